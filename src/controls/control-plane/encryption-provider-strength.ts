import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { ownEntry, record } from '../../util/object.js';
import { ENCRYPTION_FLAG, secretProviders } from './encryption-at-rest.js';

export const meta: ControlMeta = {
  id: 'ENC-SECRETS-KMS',
  title: 'Secrets should be encrypted with a KMS v2 provider',
  rationale:
    'aescbc, aesgcm and secretbox keep the encryption key in the configuration file on the control-plane disk, so a ' +
    'copy of the host gives both the data and the key; aescbc is also not recommended (CBC is open to padding-oracle ' +
    'attacks). A KMS provider keeps the key outside the cluster; KMS v1 is deprecated since 1.28 and off by default since 1.29.',
  nsaSection: 'Network separation and hardening › Secrets (App. I: KMS)',
  pss: null,
  severity: 'medium',
  versions: {
    sinceMinor: 10,
    changes: [
      { minor: 27, change: 'KMS v2 is beta and on by default' },
      { minor: 28, change: 'KMS v1 is deprecated' },
      { minor: 29, change: 'KMS v2 is GA; KMS v1 is disabled by default (feature gate KMSv1)' },
    ],
  },
  remediation: { text: 'Put a kms provider with apiVersion: v2 first for secrets, then rewrite existing Secrets.', snippet: '    providers:\n      - kms:\n          apiVersion: v2\n          name: cloud-kms\n          endpoint: unix:///var/run/kms.sock\n' },
  references: { cis: ['1.2.28'] },
  frameworks: ['nsa'],
};

const LOCAL_KEY: Record<string, string> = {
  aescbc: 'aescbc is weaker (CBC) and not recommended, and its key sits on the control-plane disk',
  aesgcm: 'its key sits on the control-plane disk, next to the data it protects',
  secretbox: 'its key sits on the control-plane disk, next to the data it protects',
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component, version }) => {
    const found = secretProviders(component, version);
    // Nothing to judge without a readable configuration; ENC-SECRETS-AT-REST reports a missing or broken one, and identity first.
    if (found === undefined) return [{ notAssessed: 'the EncryptionConfiguration is not readable from here (run kubeharden node on a control-plane host)' }];
    if ('problem' in found) return [{ notAssessed: found.problem }];
    const first = found.providers[0];
    const kind = first ? Object.keys(first)[0] : undefined;
    if (!first || kind === undefined) return [{ notAssessed: 'no provider for secrets (ENC-SECRETS-AT-REST reports it)' }];
    const at = { flag: ENCRYPTION_FLAG };
    const kms = version.minor >= 27 ? 'a KMS v2 provider' : 'a KMS provider';
    const local = ownEntry(LOCAL_KEY, kind);
    if (local) return [{ at, message: `${found.path} encrypts secrets with ${kind}: ${local}; use ${kms}` }];
    if (kind === 'kms' && record(first['kms'])?.['apiVersion'] !== 'v2' && version.minor >= 28) {
      return [{ at, message: `${found.path} encrypts secrets with KMS v1: deprecated since 1.28 and disabled by default since 1.29; set apiVersion: v2` }];
    }
    return [];
  },
};
