import { isRecord } from '../../../util/object.js';
import type { DetectionMeta, DetectionRule } from '../rule.js';
import { eventRule, objectName, username } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-CONFIGMAP-CREDENTIALS',
  title: 'A ConfigMap holding credentials was written',
  rationale:
    'ConfigMaps are readable by far more subjects than Secrets and are not encrypted at rest: credentials in them leak ' +
    '(MITRE T1552). Falco looks for AWS key ids, "password" and "passphrase" in the data; only the key name is ' +
    'reported, never the value. This needs ConfigMap bodies (level Request), which kubeharden\'s recommended policy ' +
    'does not keep, because the same bodies would put credentials into the audit log.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Move the value into a Secret (or an external secret store) and rotate it.', snippet: 'envFrom:\n- secretRef:\n    name: app-credentials\n' },
  references: {},
  frameworks: ['nsa'],
  needs: { level: 'Request', stage: 'ResponseComplete', requests: [{ verb: 'create', resource: 'configmaps', name: '' }] },
  covers: { falco: ['Create/Modify Configmap With Private Credentials'] },
  attack: ['T1552.001'],
};

const CREDENTIAL = /aws_access_key_id|aws-access-key-id|aws_s3_access_key_id|aws-s3-access-key-id|password|passphrase/i;

export const rule: DetectionRule = eventRule(meta, ['configmaps'], (event) => {
  if (event.verb !== 'create' && event.verb !== 'update' && event.verb !== 'patch') return undefined;
  const body = event.requestObject;
  if (!isRecord(body) || !isRecord(body.data)) return undefined;
  for (const [key, value] of Object.entries(body.data)) {
    // Only the key and the word that matched are reported: the value is the credential.
    const found = CREDENTIAL.exec(key) ?? (typeof value === 'string' ? CREDENTIAL.exec(value) : null);
    if (found) {
      return { field: `requestObject.data[${JSON.stringify(key)}]`, message: `${username(event)} wrote ConfigMap ${objectName(event)} whose key "${key}" holds what looks like a credential (${found[0].toLowerCase()})` };
    }
  }
  return undefined;
});
