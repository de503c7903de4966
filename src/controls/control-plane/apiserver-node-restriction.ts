import type { ComponentControl, ControlMeta } from '../../engine/types.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-AUTHZ-NODE',
  title: 'Kubelets must be limited to their own node (Node authorizer and NodeRestriction)',
  rationale:
    'The Node authorizer lets a kubelet read only the Secrets and objects of pods bound to its node, and the ' +
    'NodeRestriction admission plugin stops it from changing other nodes or its own labels. Without both, one ' +
    'compromised node can read every Secret the cluster hands to kubelets.',
  nsaSection: 'Authentication and authorization › RBAC; Worker node segmentation',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 7, changes: [] },
  remediation: { text: 'Start kube-apiserver with --authorization-mode=Node,RBAC and --enable-admission-plugins=NodeRestriction.', snippet: '    - --authorization-mode=Node,RBAC\n    - --enable-admission-plugins=NodeRestriction\n' },
  references: { trivy: ['KCV-0008', 'KCV-0016'], cis: ['1.2.7', '1.2.14'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => {
    const problems = [];
    if (!component.flags.list('authorization-mode').includes('Node') && !component.flags.has('authorization-config')) {
      problems.push({ at: { flag: 'authorization-mode' }, message: '--authorization-mode does not include Node: kubelets are not limited to their own pods' });
    }
    if (!component.flags.list('enable-admission-plugins').includes('NodeRestriction')) {
      problems.push({ at: { flag: 'enable-admission-plugins' }, message: 'NodeRestriction is not in --enable-admission-plugins: kubelets may change other nodes and their own labels' });
    }
    return problems;
  },
};
