import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { podRule, celField } from '../../engine/admission-cel.js';

const HOST_NAMESPACE_FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

export const meta: ControlMeta = {
  id: 'POD-NO-HOST-NAMESPACES',
  title: 'Pods must not share the host network, PID or IPC namespace',
  rationale:
    'A pod in the host network can sniff and spoof node traffic and reach services bound to localhost; host PID ' +
    'lets it see and signal every process on the node; host IPC lets it read shared memory of other workloads.',
  nsaSection: 'Kubernetes Pod security › Pod security enforcement (hostPID, hostIPC, hostNetwork)',
  pss: { level: 'baseline', check: 'hostNamespaces' },
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove hostNetwork, hostPID and hostIPC from the pod spec, or set them to false.',
    snippet: 'spec:\n  hostNetwork: false\n  hostPID: false\n  hostIPC: false\n',
  },
  references: { kubescape: ['C-0038', 'C-0041'], trivy: ['KSV-0008', 'KSV-0009', 'KSV-0010'], cis: ['5.2.3', '5.2.4', '5.2.5'] },
  frameworks: ['nsa', 'pss-baseline', 'pss-restricted'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () =>
      HOST_NAMESPACE_FIELDS.map((field) => podRule(meta, { violates: celField('variables.spec', field, (v) => `${v} == true`), field, must: 'must not be true' })),
  },
  check({ spec, specPath }) {
    const violations: Violation[] = [];
    for (const field of HOST_NAMESPACE_FIELDS) {
      if (spec[field] === true) {
        violations.push({ path: [...specPath, field], message: `pod sets ${field}: true` });
      }
    }
    return violations;
  },
};
