import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { containersOf } from '../../kube/containers.js';
import { array, isRecord, record, str } from '../../util/object.js';

export const meta: ControlMeta = {
  id: 'SEC-SECRETS-AS-FILES',
  title: 'Secrets should be mounted as files, not passed as environment variables',
  rationale:
    'Environment variables leak: into crash dumps, child processes, debug endpoints and logs. Files mounted from a ' +
    'Secret volume stay in memory-backed storage and update when the Secret rotates.',
  nsaSection: 'Network separation and hardening › Secrets',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Mount the Secret as a volume and read the value from the file.',
    snippet: 'volumeMounts:\n- name: db\n  mountPath: /var/run/secrets/db\n  readOnly: true\nvolumes:\n- name: db\n  secret:\n    secretName: db-credentials\n',
  },
  references: { kubescape: ['C-0012'], cis: ['5.4.1'] },
  frameworks: ['nsa'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  check({ spec, specPath }) {
    const violations: Violation[] = [];
    for (const ref of containersOf(spec, specPath)) {
      array(ref.container.env).forEach((variable, index) => {
        const secretRef = record(record(isRecord(variable) ? variable.valueFrom : undefined)?.secretKeyRef);
        if (!secretRef) return;
        violations.push({
          path: [...ref.path, 'env', index, 'valueFrom', 'secretKeyRef'],
          message: `container "${ref.name}" reads Secret ${str(secretRef.name) ?? '(unnamed)'} into env ${str(record(variable)?.name) ?? ''}`,
        });
      });
      array(ref.container.envFrom).forEach((source, index) => {
        const secretRef = record(isRecord(source) ? source.secretRef : undefined);
        if (!secretRef) return;
        violations.push({
          path: [...ref.path, 'envFrom', index, 'secretRef'],
          message: `container "${ref.name}" loads every key of Secret ${str(secretRef.name) ?? '(unnamed)'} into its environment`,
        });
      });
    }
    return violations;
  },
};
