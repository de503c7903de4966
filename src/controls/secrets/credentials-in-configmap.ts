import type { ControlMeta, ObjectControl, Violation } from '../../engine/types.js';
import { credentialInValue, decodedBase64, isSensitiveName, looksLikeLiteralSecret } from '../../kube/credentials.js';
import { isRecord } from '../../util/object.js';

export const meta: ControlMeta = {
  id: 'SEC-NO-CREDENTIALS-IN-CONFIGMAP',
  title: 'ConfigMaps must not hold credentials',
  rationale:
    'ConfigMaps are not encrypted at rest, are readable by far more roles than Secrets, and are often mounted or ' +
    'logged freely; a credential in one is effectively public inside the cluster.',
  nsaSection: 'Network separation and hardening › Secrets',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Move the credential into a Secret (or an external secret store) and reference it from there.',
    snippet: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-credentials\ntype: Opaque\nstringData:\n  password: <from your secret store>\n',
  },
  references: { kubescape: ['C-0012'], trivy: ['KSV-0109'] },
  frameworks: ['nsa'],
};

export const control: ObjectControl = {
  meta,
  scope: 'object',
  kinds: ['ConfigMap'],
  admission: {
    notAdmissible:
      "it also looks for credentials inside base64-encoded values, and Kubernetes' CEL has no base64 decoding (no release includes CEL's encoders library); matching only the plain values would miss what the scanner finds",
  },
  check({ object }) {
    const violations: Violation[] = [];
    const data = object.data;
    if (!isRecord(data)) return violations;
    for (const [key, raw] of Object.entries(data)) {
      if (typeof raw !== 'string') continue;
      const decoded = decodedBase64(raw);
      const found = credentialInValue(raw) ?? (decoded === undefined ? undefined : credentialInValue(decoded));
      // Only short values are judged by their key: a whole config file under "secret.conf" is not a password.
      const byName = isSensitiveName(key) && !raw.includes('\n') && looksLikeLiteralSecret(raw);
      if (found || byName) {
        violations.push({ path: ['data', key], message: `ConfigMap key ${key} holds ${found ?? 'a credential'} (value not shown)` });
      }
    }
    return violations;
  },
};
