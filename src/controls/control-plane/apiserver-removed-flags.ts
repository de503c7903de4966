import type { ComponentControl, ControlMeta } from '../../engine/types.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-REMOVED-FLAGS',
  title: 'The API server must not be given flags its version removed',
  rationale:
    'Hardening guides written for older releases still tell people to set --insecure-port=0 or --kubelet-https. ' +
    'On the releases that removed those flags the API server refuses to start, and an upgrade fails on a ' +
    'manifest that looked hardened. The guide itself predates these removals.',
  nsaSection: 'Upgrading and application security practices (keep configuration current with the release)',
  pss: null,
  severity: 'medium',
  versions: {
    sinceMinor: 22,
    changes: [
      { minor: 22, change: '--kubelet-https removed' },
      { minor: 24, change: '--insecure-port and --insecure-bind-address removed' },
    ],
  },
  remediation: { text: 'Delete the removed flags from the kube-apiserver manifest before upgrading; what they did is now the only behaviour.', snippet: '    # remove: - --insecure-port=0\n' },
  references: {},
  frameworks: ['nsa'],
};

/** Flags and the minor version that removed them. */
const REMOVED: readonly { readonly flag: string; readonly minor: number }[] = [
  { flag: 'kubelet-https', minor: 22 },
  { flag: 'insecure-port', minor: 24 },
  { flag: 'insecure-bind-address', minor: 24 },
];

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component, version }) =>
    REMOVED.filter(({ flag, minor }) => version.minor >= minor && component.flags.has(flag)).map(({ flag, minor }) => ({
      at: { flag },
      message: `--${flag} was removed in 1.${minor}: kube-apiserver 1.${version.minor} does not start with it`,
    })),
};
