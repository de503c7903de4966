import type { ComponentControl, ControlMeta } from '../../engine/types.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-AUTHZ-NOT-ALWAYSALLOW',
  title: 'The API server must authorize requests (no AlwaysAllow)',
  rationale:
    'AlwaysAllow lets every authenticated request do anything, which disables RBAC altogether. It is also the ' +
    'default when --authorization-mode is not given and no --authorization-config file is used.',
  nsaSection: 'Authentication and authorization › RBAC ("AlwaysAllow … effectively disabling all authorization")',
  pss: null,
  severity: 'critical',
  versions: { sinceMinor: 0, changes: [{ minor: 29, change: '--authorization-config (structured authorization) can replace --authorization-mode' }] },
  remediation: { text: 'Start kube-apiserver with --authorization-mode=Node,RBAC.', snippet: '    - --authorization-mode=Node,RBAC\n' },
  references: { trivy: ['KCV-0007'], cis: ['1.2.6'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => {
    const modes = component.flags.list('authorization-mode');
    if (modes.includes('AlwaysAllow')) return [{ at: { flag: 'authorization-mode' }, message: `--authorization-mode=${modes.join(',')} includes AlwaysAllow: every authenticated request is allowed` }];
    if (modes.length === 0 && !component.flags.has('authorization-config')) {
      return [{ at: { flag: 'authorization-mode' }, message: '--authorization-mode is not set, and it defaults to AlwaysAllow: every authenticated request is allowed' }];
    }
    if (!modes.includes('RBAC') && !component.flags.has('authorization-config')) {
      return [{ at: { flag: 'authorization-mode' }, message: `--authorization-mode=${modes.join(',')} does not include RBAC` }];
    }
    return [];
  },
};
