import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { checkEtcd } from './etcd-settings.js';
import { parseBool } from '../../components/flags.js';

export const meta: ControlMeta = {
  id: 'ETCD-NO-AUTO-TLS',
  title: 'etcd must not use self-signed automatic certificates',
  rationale:
    'With --auto-tls or --peer-auto-tls etcd generates self-signed certificates that nobody can verify: the traffic is ' +
    'encrypted, but clients and peers cannot tell etcd from an impostor.',
  nsaSection: 'Control plane hardening › Etcd',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Remove --auto-tls and --peer-auto-tls (or set them to false) and give etcd CA-signed certificates.', snippet: '    - --auto-tls=false\n    - --peer-auto-tls=false\n' },
  references: { trivy: ['KCV-0044', 'KCV-0047'], cis: ['2.3', '2.6'] },
  frameworks: ['nsa'],
};

/** `--auto-tls` and `--peer-auto-tls`, with the certificate flags that make etcd ignore them. */
const AUTO_TLS = [
  { flag: 'auto-tls', cert: 'cert-file', key: 'key-file', who: 'clients' },
  { flag: 'peer-auto-tls', cert: 'peer-cert-file', key: 'peer-key-file', who: 'members' },
] as const;

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['etcd'],
  check: ({ component }) =>
    checkEtcd(component, (settings) =>
      AUTO_TLS.flatMap(({ flag, cert, key, who }) => {
        const value = settings.value(flag);
        if (value === undefined || !parseBool(value)) return [];
        const certificates = settings.value(cert) !== undefined && settings.value(key) !== undefined;
        const said = settings.show(flag, 'true');
        return [
          {
            at: settings.at(flag),
            message: certificates
              ? `${said}: etcd ignores it while ${settings.label(cert)} and ${settings.label(key)} are set, but falls back to self-signed certificates if they go`
              : `${said}: ${who} get a self-signed certificate they cannot verify`,
          },
        ];
      }),
    ),
};
