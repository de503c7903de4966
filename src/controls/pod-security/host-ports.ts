import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { containersOf } from '../../kube/containers.js';
import { array, isRecord, present, stringOf } from '../../util/object.js';
import { celField, containerRule } from '../../engine/admission-cel.js';

export const meta: ControlMeta = {
  id: 'POD-NO-HOST-PORTS',
  title: 'Containers must not bind host ports',
  rationale:
    'hostPort opens a port on the node itself, bypassing Services and NetworkPolicies, and ties the pod to nodes ' +
    'where the port is free.',
  nsaSection: 'Network separation and hardening (host ports bypass network policy)',
  pss: { level: 'baseline', check: 'hostPorts' },
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove hostPort (or set it to 0) and expose the container through a Service.',
    snippet: 'ports:\n- containerPort: 8080\n  # no hostPort\n',
  },
  references: { kubescape: ['C-0044'], trivy: ['KSV-0024'], cis: ['5.2.12'] },
  frameworks: ['nsa', 'pss-baseline', 'pss-restricted'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () => [
      containerRule(meta, { violates: celField('c', 'ports', (ports) => `${ports}.exists(p, ${celField('p', 'hostPort', (v) => `${v} != 0`)})`), field: 'ports[*].hostPort', must: 'must be unset or 0' }),
    ],
  },
  check({ spec, specPath }) {
    const violations: Violation[] = [];
    for (const ref of containersOf(spec, specPath)) {
      array(ref.container.ports).forEach((port, index) => {
        if (isRecord(port) && present(port.hostPort) && port.hostPort !== 0) {
          violations.push({
            path: [...ref.path, 'ports', index, 'hostPort'],
            message: `container "${ref.name}" binds host port ${stringOf(port.hostPort)}`,
          });
        }
      });
    }
    return violations;
  },
};
