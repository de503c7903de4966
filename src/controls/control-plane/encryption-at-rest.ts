import type { ComponentConfig } from '../../components/component-config.js';
import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import type { KubeVersion } from '../../kube/version.js';
import { array, isRecord, type Json } from '../../util/object.js';
import { readConfigFile } from './config-file.js';

export const meta: ControlMeta = {
  id: 'ENC-SECRETS-AT-REST',
  title: 'Secrets must be encrypted at rest in etcd',
  rationale:
    'Without an EncryptionConfiguration the API server writes Secrets to etcd as plain text: anyone with a copy of ' +
    'etcd or of a backup reads every credential. The first provider listed for secrets is the one that writes, so ' +
    'identity first means plain text even when other providers follow.',
  nsaSection: 'Network separation and hardening › Secrets (encrypt Secrets at rest)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 13, changes: [{ minor: 27, change: 'resources may use wildcards (*.* for everything, *. for the core group) to cover secrets' }] },
  remediation: {
    text: 'Write an EncryptionConfiguration whose first provider for secrets is kms (v2), aesgcm or secretbox, start kube-apiserver with --encryption-provider-config, then rewrite existing Secrets (kubectl get secrets -A -o json | kubectl replace -f -).',
    snippet:
      'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n      - kms:\n          apiVersion: v2\n          name: cloud-kms\n          endpoint: unix:///var/run/kms.sock\n      - identity: {}\n',
  },
  references: { kubescape: ['C-0066'], trivy: ['KCV-0030'], cis: ['1.2.27', '1.2.28'] },
  frameworks: ['nsa'],
};

export const ENCRYPTION_FLAG = 'encryption-provider-config';

/** Names in `resources` that cover Secrets: the name itself, and from 1.27 the wildcards for everything and for the core group. */
function coversSecrets(resource: unknown, version: KubeVersion): boolean {
  return resource === 'secrets' || (version.minor >= 27 && (resource === '*.*' || resource === '*.'));
}

/**
 * The providers that apply to Secrets, in order, from the EncryptionConfiguration; a problem when the file cannot be
 * used; undefined when there is nothing to read (no flag, or a live cluster whose files the scan cannot see).
 */
export function secretProviders(component: ComponentConfig, version: KubeVersion): { providers: Json[]; path: string } | { problem: string } | undefined {
  const file = readConfigFile(component, ENCRYPTION_FLAG, 'EncryptionConfiguration');
  if (file === undefined) return undefined;
  if ('problem' in file) return { problem: file.problem };
  // The API server takes the first entry that covers a resource.
  const entry = array(file.document['resources']).find((item) => isRecord(item) && array(item['resources']).some((resource) => coversSecrets(resource, version)));
  return { providers: isRecord(entry) ? array(entry['providers']).filter(isRecord) : [], path: file.path };
}

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component, version }) => {
    const at = { flag: ENCRYPTION_FLAG };
    if (!component.flags.value(ENCRYPTION_FLAG)) return [{ at, message: '--encryption-provider-config is not set: Secrets are stored in etcd as plain text' }];
    const found = secretProviders(component, version);
    if (found === undefined) return [];
    if ('problem' in found) return [{ at, message: `${found.problem}: the API server cannot load it, so whether Secrets are encrypted is unknown` }];
    const first = found.providers[0];
    if (!first) {
      const hint = version.minor < 27 ? ' (wildcards such as *.* cover secrets only from 1.27)' : '';
      return [{ at, message: `${found.path} has no providers for secrets${hint}: they are stored as plain text` }];
    }
    if ('identity' in first) return [{ at, message: `${found.path} lists identity first for secrets: new Secrets are written as plain text` }];
    return [];
  },
};
