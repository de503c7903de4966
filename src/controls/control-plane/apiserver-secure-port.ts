import type { ComponentControl, ControlMeta } from '../../engine/types.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-SECURE-PORT',
  title: 'The API server must not turn off its secure port',
  rationale:
    'Up to 1.11, --secure-port=0 switched HTTPS off, leaving only the insecure port: no TLS, no authentication, no ' +
    'authorization. From 1.12 kube-apiserver refuses to start with it ("It cannot be switched off with 0"), so a ' +
    'manifest that still sets it is a control plane that does not come up.',
  nsaSection: 'Control plane hardening (TLS on port 6443; the insecure port)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [{ minor: 12, change: 'kube-apiserver refuses --secure-port=0 and does not start' }] },
  remediation: { text: 'Remove --secure-port=0 (the default is 6443) or set it to the port clients use.', snippet: '    - --secure-port=6443\n' },
  references: { kubescape: ['C-0128'], trivy: ['KCV-0017'], cis: ['1.2.20 (cis-1.6)', '1.2.19 (cis-1.20)', '1.2.17 (cis-1.23)', '1.2.16 (cis-1.24)'], checkov: ['CKV_K8S_89'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component, version }) => {
    const value = component.flags.value('secure-port');
    if (value === undefined || value.trim() === '' || Number(value) !== 0) return [];
    return [
      {
        at: { flag: 'secure-port' },
        message:
          version.minor >= 12
            ? `--secure-port=${value} turns HTTPS off, which kube-apiserver 1.${version.minor} refuses: it does not start`
            : `--secure-port=${value} turns HTTPS off: clients are left with the insecure port, without TLS, authentication or authorization`,
      },
    ];
  },
};
