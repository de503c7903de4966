import type { ComponentViolation } from '../../components/component-config.js';
import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { authorizers, describeAuthorizers } from './authorization.js';
import { enabledAdmissionPlugins } from './flag-rules.js';

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
  remediation: { text: 'Start kube-apiserver with --authorization-mode=Node,RBAC (or a Node authorizer in the --authorization-config file) and --enable-admission-plugins=NodeRestriction.', snippet: '    - --authorization-mode=Node,RBAC\n    - --enable-admission-plugins=NodeRestriction\n' },
  references: { trivy: ['KCV-0008', 'KCV-0016'], cis: ['1.2.7', '1.2.14'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => {
    const problems: ComponentViolation[] = [];
    const found = authorizers(component);
    // An unreadable --authorization-config is CP-APISERVER-AUTHZ-RBAC's finding; a file not read is trusted.
    if (found.types !== undefined && !found.types.includes('Node')) {
      const where = found.flag === 'authorization-config' ? `${found.path} has no authorizer of type Node` : `${describeAuthorizers(found)} does not include Node`;
      problems.push({ at: { flag: found.flag }, message: `${where}: kubelets are not limited to the objects of their own pods` });
    }
    const admission = enabledAdmissionPlugins(component);
    if (!admission.names.includes('NodeRestriction')) {
      problems.push({ at: { flag: admission.flag }, message: `NodeRestriction is not in --${admission.flag}: a kubelet may change other nodes, their pods, and its own labels` });
    }
    return problems;
  },
};
