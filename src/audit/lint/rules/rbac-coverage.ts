import type { ControlMeta } from '../../../engine/types.js';
import type { SampleRequest } from '../../policy/sample.js';
import { coverageRule } from './coverage.js';

export const meta: ControlMeta = {
  id: 'AUDIT-POLICY-RBAC-CHANGES',
  title: 'Changes to Roles, ClusterRoles and their bindings must be logged',
  rationale:
    'Granting oneself cluster-admin or widening a role is the shortest path to owning a cluster (MITRE T1098.006). ' +
    'Without a record of RBAC writes there is no way to tell who granted what, or when.',
  nsaSection: 'Audit logging and threat detection › Kubernetes audit logging (audit policy)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Log writes to rbac.authorization.k8s.io at Request or RequestResponse, so the granted rules are recorded too.',
    snippet: '- level: RequestResponse\n  verbs: ["create", "update", "patch", "delete"]\n  resources:\n  - group: rbac.authorization.k8s.io\n',
  },
  references: {},
  frameworks: ['nsa'],
};

const SAMPLES: SampleRequest[] = ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'].flatMap((resource) =>
  ['create', 'update', 'patch', 'delete'].map((verb): SampleRequest => ({
    verb,
    apiGroup: 'rbac.authorization.k8s.io',
    resource,
    namespace: resource.startsWith('cluster') ? '' : 'default',
  })),
);

export const rule = coverageRule(meta, SAMPLES, 'grants of new rights leave no trace');
