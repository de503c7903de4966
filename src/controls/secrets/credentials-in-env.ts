import { celField, containerRule } from '../../engine/admission-cel.js';
import { celCredentialValue, celLiteralSecret, celSensitiveName } from '../../engine/admission-credentials.js';
import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { containersOf } from '../../kube/containers.js';
import { credentialInValue, isSensitiveName, looksLikeLiteralSecret } from '../../kube/credentials.js';
import { array, isRecord, str } from '../../util/object.js';

export const meta: ControlMeta = {
  id: 'SEC-NO-CREDENTIALS-IN-ENV',
  title: 'Containers must not carry credentials in plain environment values',
  rationale:
    'A literal env value is stored in the manifest, in etcd unencrypted as part of the pod spec, and is readable by ' +
    'anyone who can read the workload; credentials belong in Secrets (encrypted at rest, separately authorised).',
  nsaSection: 'Network separation and hardening › Secrets',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Move the value into a Secret and mount it as a file (or, at least, reference it with valueFrom.secretKeyRef).',
    snippet: 'volumes:\n- name: db\n  secret:\n    secretName: db-credentials\n',
  },
  references: { kubescape: ['C-0012'] },
  frameworks: ['nsa'],
};

/** CEL over an env entry `e`: a literal value the scanner reports, by its form or by the variable's name. */
const LITERAL_CREDENTIAL =
  `${celField('e', 'value', (v) => `type(${v}) == string && (${celCredentialValue(v)} || ` +
    `(${celField('e', 'name', (n) => `type(${n}) == string && ${celSensitiveName(n)}`)} && ${celLiteralSecret(v)}))`)}`;

export const control: PodControl = {
  meta,
  scope: 'pod',
  // Names the container, never the value.
  admission: {
    validations: () => [
      containerRule(meta, { violates: `${celField('c', 'env', (env) => `${env}.exists(e, ${LITERAL_CREDENTIAL})`)}`, field: 'env', must: 'must not set a credential as a literal value (use valueFrom.secretKeyRef)' }),
    ],
  },
  check({ spec, specPath }) {
    const violations: Violation[] = [];
    for (const ref of containersOf(spec, specPath)) {
      array(ref.container.env).forEach((variable, index) => {
        if (!isRecord(variable)) return;
        const name = str(variable.name) ?? '';
        const value = typeof variable.value === 'string' ? variable.value : undefined;
        if (value === undefined) return;
        const found = credentialInValue(value);
        const byName = isSensitiveName(name) && looksLikeLiteralSecret(value);
        if (found || byName) {
          // Never echo the value: the message names the variable and what it looks like.
          violations.push({
            path: [...ref.path, 'env', index, 'value'],
            message: `container "${ref.name}" sets env ${name} to a literal ${found ?? 'credential'} (value not shown)`,
          });
        }
      });
    }
    return violations;
  },
};
