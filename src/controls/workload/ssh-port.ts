import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { containersOf } from '../../kube/containers.js';
import { array, isRecord } from '../../util/object.js';
import { containerRule, celField } from '../../engine/admission-cel.js';

export const meta: ControlMeta = {
  id: 'POD-NO-SSH-PORT',
  title: 'Containers should not listen for SSH',
  rationale:
    'An SSH server in a container is a second way in that bypasses the API server\'s authentication, RBAC and audit ' +
    'log (kubectl exec is the audited way), and usually comes with long-lived keys or passwords baked into the ' +
    'image. A container that declares port 22, or a port named ssh, most likely runs one. Low severity: the port ' +
    'list is informational, so this is a hint, not proof.',
  nsaSection: 'Authentication and authorization (every way into a pod should go through the API server)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove the SSH server from the image; use kubectl exec or kubectl debug, which go through RBAC and the audit log.',
    snippet: 'ports:\n- name: http\n  containerPort: 8080\n',
  },
  references: { kubeLinter: ['ssh-port'] },
  frameworks: ['nsa'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () => [
      containerRule(meta, {
        violates: celField('c', 'ports', (ports) =>
          `${ports}.exists(p, (${celField('p', 'containerPort', (v) => `${v} == 22`)} && !(${celField('p', 'protocol', (v) => `${v} != 'TCP'`)})) || ${celField('p', 'name', (v) => `type(${v}) == string && ${v}.lowerAscii() == 'ssh'`)})`,
        ),
        field: 'ports',
        must: 'must not open SSH (TCP port 22, or a port named ssh)',
      }),
    ],
  },
  check({ spec, specPath }) {
    const violations: Violation[] = [];
    for (const ref of containersOf(spec, specPath)) {
      array(ref.container.ports).forEach((port, index) => {
        if (!isRecord(port)) return;
        // SSH runs over TCP; a UDP port 22 is something else.
        const tcp = port.protocol === undefined || port.protocol === 'TCP';
        if (tcp && port.containerPort === 22) {
          violations.push({ path: [...ref.path, 'ports', index, 'containerPort'], message: `container "${ref.name}" listens on port 22 (SSH)` });
        } else if (typeof port.name === 'string' && port.name.toLowerCase() === 'ssh') {
          violations.push({ path: [...ref.path, 'ports', index, 'name'], message: `container "${ref.name}" declares a port named ssh${typeof port.containerPort === 'number' ? ` (${port.containerPort})` : ''}` });
        }
      });
    }
    return violations;
  },
};
