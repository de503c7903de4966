import yaml from 'js-yaml';
import type { ComponentConfig } from '../../components/component-config.js';
import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { isRecord } from '../../util/object.js';

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
  versions: { sinceMinor: 13, changes: [{ minor: 27, change: 'resources may use wildcards (*.*, *.apps) to cover secrets' }] },
  remediation: {
    text: 'Write an EncryptionConfiguration whose first provider for secrets is kms (v2), aesgcm or secretbox, start kube-apiserver with --encryption-provider-config, then rewrite existing Secrets (kubectl get secrets -A -o json | kubectl replace -f -).',
    snippet:
      'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n      - kms:\n          apiVersion: v2\n          name: cloud-kms\n          endpoint: unix:///var/run/kms.sock\n      - identity: {}\n',
  },
  references: { kubescape: ['C-0066'], trivy: ['KCV-0030'], cis: ['1.2.27', '1.2.28'] },
  frameworks: ['nsa'],
};

export const ENCRYPTION_FLAG = 'encryption-provider-config';

/** The providers that apply to Secrets, in order, from an EncryptionConfiguration; or why they cannot be known. */
export function secretProviders(component: ComponentConfig): { providers: Record<string, unknown>[]; path: string } | { problem: string } | undefined {
  const path = component.flags.value(ENCRYPTION_FLAG);
  if (path === undefined || !component.reader) return undefined;
  const read = component.reader.read(path);
  if ('error' in read) return { problem: `${read.error}: the API server cannot start with it, or it lives elsewhere` };
  let document: unknown;
  try {
    document = yaml.load(read.text);
  } catch (error) {
    return { problem: `${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
  const entries = isRecord(document) && Array.isArray(document['resources']) ? document['resources'] : [];
  for (const entry of entries) {
    if (!isRecord(entry) || !Array.isArray(entry['resources'])) continue;
    // The first entry that covers secrets decides, as the API server reads them in order.
    if (entry['resources'].some((resource) => resource === 'secrets' || resource === '*.' || resource === '*.*')) {
      return { providers: (Array.isArray(entry['providers']) ? entry['providers'] : []).filter(isRecord), path };
    }
  }
  return { providers: [], path };
}

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => {
    if (!component.flags.has(ENCRYPTION_FLAG)) {
      return [{ at: { flag: ENCRYPTION_FLAG }, message: '--encryption-provider-config is not set: Secrets are stored in etcd as plain text' }];
    }
    const found = secretProviders(component);
    if (found === undefined) return [];
    if ('problem' in found) return [{ at: { flag: ENCRYPTION_FLAG }, message: found.problem }];
    const first = found.providers[0];
    if (!first) return [{ at: { flag: ENCRYPTION_FLAG }, message: `${found.path} has no providers for secrets: they are stored as plain text` }];
    if ('identity' in first) {
      return [{ at: { flag: ENCRYPTION_FLAG }, message: `${found.path} lists identity first for secrets: new Secrets are written as plain text` }];
    }
    return [];
  },
};
