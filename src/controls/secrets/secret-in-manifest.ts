import type { ControlMeta, ObjectControl, Violation } from '../../engine/types.js';
import { isRecord, str } from '../../util/object.js';

export const meta: ControlMeta = {
  id: 'SEC-NO-SECRET-IN-MANIFEST',
  title: 'Secrets must not be committed with their values',
  rationale:
    'A Secret manifest with data is a credential in version control and in every CI log and artifact that holds ' +
    'the manifest; base64 is an encoding, not encryption.',
  nsaSection: 'Network separation and hardening › Secrets',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Keep secret values out of manifests: use an external secret store (External Secrets, CSI secrets store) or encrypt them (Sealed Secrets, SOPS).',
    snippet: 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: db-credentials\nspec:\n  secretStoreRef:\n    name: vault\n    kind: ClusterSecretStore\n',
  },
  references: {},
  frameworks: ['nsa'],
};

export const control: ObjectControl = {
  meta,
  scope: 'object',
  kinds: ['Secret'],
  admission: {
    notAdmissible:
      'judges where a manifest is kept (version control, CI logs): every Secret the API server admits carries its values, so a policy would refuse them all, the ones controllers write included',
  },
  check({ object }) {
    const violations: Violation[] = [];
    for (const field of ['data', 'stringData'] as const) {
      const values = object[field];
      if (!isRecord(values)) continue;
      const keys = Object.entries(values).filter(([, value]) => typeof value === 'string' && value !== '').map(([key]) => key);
      if (keys.length > 0) {
        violations.push({
          path: [field],
          message: `Secret of type ${str(object.type) ?? 'Opaque'} carries ${keys.length} ${keys.length === 1 ? 'value' : 'values'} in ${field} (${keys.join(', ')}; values not shown)`,
        });
      }
    }
    return violations;
  },
};
