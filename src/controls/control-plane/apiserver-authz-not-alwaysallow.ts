import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { authorizers } from './authorization.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-AUTHZ-NOT-ALWAYSALLOW',
  title: 'The API server must authorize requests (no AlwaysAllow)',
  rationale:
    'AlwaysAllow lets every authenticated request do anything, which disables RBAC altogether. It is also the ' +
    'default when neither --authorization-mode nor an --authorization-config file is given.',
  nsaSection: 'Authentication and authorization › RBAC ("AlwaysAllow … effectively disabling all authorization")',
  pss: null,
  severity: 'critical',
  versions: { sinceMinor: 0, changes: [{ minor: 29, change: '--authorization-config (structured authorization) can replace --authorization-mode; its authorizers are checked when the file is readable' }] },
  remediation: { text: 'Start kube-apiserver with --authorization-mode=Node,RBAC (or list Node and RBAC authorizers in the --authorization-config file), without AlwaysAllow.', snippet: '    - --authorization-mode=Node,RBAC\n' },
  references: { trivy: ['KCV-0007'], cis: ['1.2.6'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => {
    const found = authorizers(component);
    if (!found.types?.includes('AlwaysAllow')) return [];
    const at = { flag: found.flag };
    if (found.flag === 'authorization-config') return [{ at, message: `${found.path} has an AlwaysAllow authorizer: every authenticated request that reaches it is allowed` }];
    if (found.defaulted) return [{ at, message: '--authorization-mode is not set, and it defaults to AlwaysAllow: every authenticated request is allowed' }];
    return [{ at, message: `--authorization-mode=${found.types.join(',')} includes AlwaysAllow: every authenticated request that reaches it is allowed, so RBAC restricts nothing` }];
  },
};
