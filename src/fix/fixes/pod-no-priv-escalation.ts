import { containersOf, securityContext } from '../../kube/containers.js';
import { array, record } from '../../util/object.js';
import type { AutomaticFix } from '../fix-module.js';
import type { EditOp } from '../yaml-edit.js';

export const fix: AutomaticFix = {
  controlId: 'POD-NO-PRIV-ESCALATION',
  // Only setuid binaries and file capabilities behave differently, and a hardened container must not need them.
  risk: 'safe',
  summary: 'set allowPrivilegeEscalation: false on each container',
  plan({ template }) {
    const edits: EditOp[] = [];
    const manual: string[] = [];
    for (const ref of containersOf(template.spec, template.specPath)) {
      const context = securityContext(ref.container);
      if (context?.allowPrivilegeEscalation === false) continue;
      // The API server rejects allowPrivilegeEscalation: false next to privileged or CAP_SYS_ADMIN.
      const adds = array(record(context?.capabilities)?.add);
      if (context?.privileged === true || adds.includes('SYS_ADMIN') || adds.includes('CAP_SYS_ADMIN')) {
        manual.push(`container "${ref.name}" is privileged or adds SYS_ADMIN, which the API server does not allow with allowPrivilegeEscalation: false: decide on privileged first`);
        continue;
      }
      edits.push({ op: 'set', path: [...ref.path, 'securityContext', 'allowPrivilegeEscalation'], value: false });
    }
    return { edits, manual };
  },
};
