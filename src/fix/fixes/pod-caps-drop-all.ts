import { containersOf, securityContext } from '../../kube/containers.js';
import { array, isRecord, record, stringOf } from '../../util/object.js';
import type { AutomaticFix } from '../fix-module.js';
import type { EditOp } from '../yaml-edit.js';

/** Ports below this need NET_BIND_SERVICE once every capability is dropped. */
const PRIVILEGED_PORT_LIMIT = 1024;

export const fix: AutomaticFix = {
  controlId: 'POD-CAPS-DROP-ALL',
  risk: 'review',
  summary: 'drop ALL capabilities on each container, adding back NET_BIND_SERVICE where it binds a port below 1024',
  plan({ template }) {
    const edits: EditOp[] = [];
    const manual: string[] = [];
    for (const ref of containersOf(template.spec, template.specPath)) {
      const path = [...ref.path, 'securityContext', 'capabilities'];
      const capabilities = record(securityContext(ref.container)?.capabilities);
      const drop = array(capabilities?.drop);
      const add = array(capabilities?.add);
      if (!drop.includes('ALL')) edits.push({ op: 'append', path: [...path, 'drop'], value: 'ALL' });
      const bindsLowPort = array(ref.container.ports).some((port) => isRecord(port) && typeof port.containerPort === 'number' && port.containerPort < PRIVILEGED_PORT_LIMIT);
      if (bindsLowPort && !add.includes('NET_BIND_SERVICE')) edits.push({ op: 'append', path: [...path, 'add'], value: 'NET_BIND_SERVICE' });
      for (const capability of add.filter((name) => name !== 'NET_BIND_SERVICE')) {
        manual.push(`container "${ref.name}" adds ${stringOf(capability)}: decide whether it needs it (restricted allows only NET_BIND_SERVICE)`);
      }
    }
    return { edits, manual };
  },
};
