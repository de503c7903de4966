import type { ControlMeta } from '../../../engine/types.js';
import type { SampleRequest } from '../../policy/sample.js';
import { coverageRule } from './coverage.js';

export const meta: ControlMeta = {
  id: 'AUDIT-POLICY-POD-CREATION',
  title: 'Pod creation and changes must be logged',
  rationale:
    'Privileged, host-namespace and host-mount pods are how a foothold becomes a node compromise (MITRE T1610, ' +
    'T1611). The guide asks for auditing of workload changes; detections of dangerous pods need the pod body, so ' +
    'pod writes belong at Request.',
  nsaSection: 'Audit logging and threat detection › Kubernetes audit logging (audit policy)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Log writes to pods (and their ephemeralcontainers) at Request.',
    snippet: '- level: Request\n  verbs: ["create", "update", "patch"]\n  resources:\n  - group: ""\n    resources: ["pods", "pods/ephemeralcontainers"]\n',
  },
  references: {},
  frameworks: ['nsa'],
};

const SAMPLES: SampleRequest[] = [
  ...['create', 'update', 'patch', 'delete'].map((verb): SampleRequest => ({ verb, resource: 'pods' })),
  { verb: 'patch', resource: 'pods', subresource: 'ephemeralcontainers' },
  { verb: 'create', apiGroup: 'apps', resource: 'deployments' },
  { verb: 'create', apiGroup: 'apps', resource: 'daemonsets', namespace: 'kube-system' },
];

export const rule = coverageRule(meta, SAMPLES, 'new workloads and what they run go unrecorded');
