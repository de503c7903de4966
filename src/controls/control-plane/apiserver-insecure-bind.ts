import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { isLoopback } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-NO-INSECURE-BIND',
  title: 'The API server must not set an insecure bind address',
  rationale:
    '--insecure-bind-address chose where the unauthenticated insecure port listened; kubeadm never set it, and ' +
    'setting it usually meant exposing that port beyond the host. Insecure serving was removed in 1.20, making the flag ' +
    'inert, and 1.24 removed the flag, so the check applies up to 1.23.',
  nsaSection: 'Control plane hardening (ports 6443 and 8080)',
  pss: null,
  severity: 'high',
  versions: {
    sinceMinor: 0,
    untilMinor: 23,
    changes: [
      { minor: 20, change: 'insecure serving removed: the flag no longer opens anything' },
      { minor: 24, change: 'the flag is removed; the API server does not start with it' },
    ],
  },
  remediation: { text: 'Remove --insecure-bind-address from the kube-apiserver manifest (and keep --insecure-port=0 before 1.20).', snippet: '    # remove: - --insecure-bind-address=...\n' },
  references: { cis: ['1.2.18 (cis-1.6)', '1.2.17 (cis-1.20)'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component, version }) => {
    const address = component.flags.value('insecure-bind-address');
    if (address === undefined) return [];
    const port = component.flags.value('insecure-port');
    const serving = version.minor <= 19 && (port === undefined || Number(port) !== 0);
    const reach = isLoopback(address) ? 'any process on this host' : 'anyone who can reach that address';
    return [
      {
        at: { flag: 'insecure-bind-address' },
        message: serving
          ? `--insecure-bind-address=${address} serves the insecure port ${port ?? 8080} there: ${reach} gets the whole API without authentication`
          : `--insecure-bind-address=${address} is set: it opens nothing while insecure serving is off${version.minor >= 20 ? ' (removed in 1.20)' : ''}, but it is one flag away from an open API and 1.24 no longer starts with it`,
      },
    ];
  },
};
