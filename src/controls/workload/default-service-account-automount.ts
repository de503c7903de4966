import type { ControlMeta, ObjectControl } from '../../engine/types.js';

export const meta: ControlMeta = {
  id: 'SA-DEFAULT-NO-AUTOMOUNT',
  title: "Namespaces' default service accounts should not mount API tokens",
  rationale:
    'Every pod that names no service account runs as its namespace\'s "default" one, and gets its API token mounted ' +
    'unless something turns that off. Setting automountServiceAccountToken: false on the default account keeps ' +
    'tokens out of the pods that never asked for API access.',
  nsaSection: 'Kubernetes Pod security › Protecting Pod service account tokens',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 6, changes: [] },
  remediation: {
    text: 'Set automountServiceAccountToken: false on the default ServiceAccount of every namespace; give workloads that use the API their own ServiceAccount.',
    snippet: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\nautomountServiceAccountToken: false\n',
  },
  references: { cis: ['5.1.5'] },
  frameworks: ['nsa'],
};

export const control: ObjectControl = {
  meta,
  scope: 'object',
  kinds: ['ServiceAccount'],
  check: ({ object }) => {
    const metadata = object['metadata'] as { name?: unknown } | undefined;
    if (metadata?.name !== 'default' || object['automountServiceAccountToken'] === false) return [];
    return [
      {
        path: ['automountServiceAccountToken'],
        message:
          object['automountServiceAccountToken'] === true
            ? 'the default ServiceAccount sets automountServiceAccountToken: true: every pod without its own account gets an API token'
            : 'the default ServiceAccount does not set automountServiceAccountToken: false: every pod without its own account gets an API token',
      },
    ];
  },
};
