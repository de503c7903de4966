import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { requireBool } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-CM-SA-CREDENTIALS',
  title: 'Each controller should use its own service account credentials',
  rationale:
    'With --use-service-account-credentials=true every controller calls the API as its own ServiceAccount in ' +
    'kube-system, bound to a narrow system:controller:* role. Without it (the default) all controllers share the ' +
    'controller-manager\'s own broad identity, so RBAC cannot tell them apart or limit any one of them.',
  nsaSection: 'Authentication and authorization › Role-based access control (least privilege)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Start kube-controller-manager with --use-service-account-credentials=true.', snippet: '    - --use-service-account-credentials=true\n' },
  references: { trivy: ['KCV-0035'], cis: ['1.3.3'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-controller-manager'],
  check: ({ component }) =>
    requireBool(component, 'use-service-account-credentials', true, false, 'every controller acts with the controller-manager\'s own broad credentials instead of its own narrow role'),
};
