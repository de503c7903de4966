import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { authorizers, describeAuthorizers } from './authorization.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-AUTHZ-RBAC',
  title: 'The API server must use the RBAC authorizer',
  rationale:
    'Roles, ClusterRoles and their bindings only mean something when the RBAC authorizer runs; without it access is ' +
    'decided by whatever else is configured. With --authorization-config (1.29+) the file decides, so it is read when ' +
    'the scan can reach it (kubeharden node) and trusted otherwise.',
  nsaSection: 'Authentication and authorization › Role-based access control (kube-apiserver --authorization-mode=RBAC)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [{ minor: 29, change: '--authorization-config (structured authorization) can replace --authorization-mode' }] },
  remediation: {
    text: 'Start kube-apiserver with --authorization-mode=Node,RBAC, or add an authorizer of type RBAC to the --authorization-config file.',
    snippet: '    - --authorization-mode=Node,RBAC\n',
  },
  references: { kubescape: ['C-0088', 'C-0120'], trivy: ['KCV-0009'], cis: ['1.2.8'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => {
    const found = authorizers(component);
    const at = { flag: found.flag };
    if (found.problem !== undefined) return [{ at, message: `${found.problem}: cannot tell whether RBAC is on, and the API server does not start without a valid file` }];
    if (found.types === undefined || found.types.includes('RBAC')) return [];
    const where = found.flag === 'authorization-config' ? `${found.path} has no authorizer of type RBAC` : `${describeAuthorizers(found)} does not include RBAC`;
    return [{ at, message: `${where}: Roles and RoleBindings grant nothing, and access is decided by ${found.types.join(', ') || 'no authorizer'}` }];
  },
};
