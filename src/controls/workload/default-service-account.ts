import type { ControlMeta, PodControl } from '../../engine/types.js';
import { str } from '../../util/object.js';
import { podRule, celField } from '../../engine/admission-cel.js';

export const meta: ControlMeta = {
  id: 'POD-NO-DEFAULT-SERVICE-ACCOUNT',
  title: 'Workloads must run as their own service account',
  rationale:
    'Every pod that does not name a service account runs as "default", so any permission granted to one of them is ' +
    'granted to all; a dedicated account per workload keeps RBAC least-privilege.',
  nsaSection: 'Authentication and authorization › Service accounts (one per workload, restricted with RBAC)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Create a ServiceAccount for the workload and set spec.serviceAccountName.',
    snippet: 'spec:\n  serviceAccountName: storefront\n  automountServiceAccountToken: false\n',
  },
  references: { kubescape: ['C-0189'], cis: ['5.1.5'] },
  frameworks: ['nsa'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () => {
      const named = (field: string) => celField('variables.spec', field, (v) => `${v} != ''`);
      const account = `(${named('serviceAccountName')} ? variables.spec.serviceAccountName : ${named('serviceAccount')} ? variables.spec.serviceAccount : 'default')`;
      return [podRule(meta, { violates: `${account} == 'default'`, field: 'serviceAccountName', must: 'must name a service account of its own, not "default"' })];
    },
  },
  check({ spec, specPath }) {
    // serviceAccount is the deprecated spelling; the API server copies it into serviceAccountName.
    const name = str(spec.serviceAccountName) || str(spec.serviceAccount) || 'default';
    if (name !== 'default') return [];
    const field = spec.serviceAccountName !== undefined ? 'serviceAccountName' : spec.serviceAccount !== undefined ? 'serviceAccount' : 'serviceAccountName';
    return [{ path: [...specPath, field], message: 'pod runs as the namespace\'s "default" service account' }];
  },
};
