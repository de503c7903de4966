import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { checkFiles, type FileRule } from './file-mode.js';

export const meta: ControlMeta = {
  id: 'CP-PKI-PERMS',
  title: 'PKI private keys must be readable only by root, and the PKI directory and certificates owned by root',
  rationale:
    'The keys under /etc/kubernetes/pki sign every cluster credential (ca.key) and every service account token (sa.key); ' +
    'reading one is enough to impersonate anyone. Keys must be mode 0600 or stricter, certificates 0644 or stricter, and ' +
    'the directory and its files owned by root:root.',
  nsaSection: 'Control plane hardening; Network separation and hardening › Encryption',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Give the PKI directory and its files to root, keys 0600 and certificates 0644.',
    snippet: 'chown -R root:root /etc/kubernetes/pki\nchmod 600 /etc/kubernetes/pki/*.key /etc/kubernetes/pki/etcd/*.key\nchmod 644 /etc/kubernetes/pki/*.crt /etc/kubernetes/pki/etcd/*.crt\n',
  },
  references: { trivy: ['KCV-0066', 'KCV-0067', 'KCV-0068'], cis: ['1.1.19', '1.1.20', '1.1.21'] },
  frameworks: ['nsa'],
};

const RULES: readonly FileRule[] = [
  { role: 'pki-dir', what: 'the PKI directory', rootOwned: true, directory: true },
  { role: 'pki-key', what: 'the private key', maxMode: 0o600, rootOwned: true },
  { role: 'pki-cert', what: 'the certificate', maxMode: 0o644, rootOwned: true },
];

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['host'],
  check: ({ component }) => checkFiles(component, RULES),
};
