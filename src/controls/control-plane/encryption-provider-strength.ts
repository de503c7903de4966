import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { ENCRYPTION_FLAG, secretProviders } from './encryption-at-rest.js';

export const meta: ControlMeta = {
  id: 'ENC-SECRETS-KMS',
  title: 'Secrets should be encrypted with a KMS v2 provider',
  rationale:
    'aescbc, aesgcm and secretbox keep the encryption key in the same file on the control-plane disk, so a copy of ' +
    'the host gives both the data and the key; aescbc is also the weakest of them. A KMS provider keeps the key ' +
    'outside the cluster. KMS v1 is deprecated since 1.28 and off by default since 1.29.',
  nsaSection: 'Network separation and hardening › Secrets (App. I: KMS)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 10, changes: [{ minor: 29, change: 'KMS v2 is GA; KMS v1 is disabled by default' }] },
  remediation: { text: 'Put a kms provider with apiVersion: v2 first for secrets, then rewrite existing Secrets.', snippet: '    providers:\n      - kms:\n          apiVersion: v2\n          name: cloud-kms\n          endpoint: unix:///var/run/kms.sock\n' },
  references: { cis: ['1.2.28'] },
  frameworks: ['nsa'],
};

const LOCAL_KEY: Record<string, string> = {
  aescbc: 'aescbc keeps the key on the control-plane disk and is the weakest local provider (CBC, no authentication)',
  aesgcm: 'aesgcm keeps the key on the control-plane disk and needs rotation every 200,000 writes',
  secretbox: 'secretbox keeps the key on the control-plane disk',
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => {
    const found = secretProviders(component);
    // Nothing to judge without a readable configuration; ENC-SECRETS-AT-REST reports a missing one.
    if (found === undefined || 'problem' in found) return [];
    const first = found.providers[0];
    if (!first) return [];
    const kind = Object.keys(first)[0] ?? '';
    const local = LOCAL_KEY[kind];
    if (local) return [{ at: { flag: ENCRYPTION_FLAG }, message: `secrets are encrypted with ${kind}: ${local}` }];
    if (kind === 'kms') {
      const settings = first['kms'] as { apiVersion?: unknown } | undefined;
      if (settings?.apiVersion !== 'v2') return [{ at: { flag: ENCRYPTION_FLAG }, message: 'secrets use KMS v1, deprecated since 1.28 and disabled by default since 1.29: move to apiVersion: v2' }];
    }
    return [];
  },
};
