import type { ControlMeta, PodControl } from '../../engine/types.js';
import { array } from '../../util/object.js';
import { podRule, celField } from '../../engine/admission-cel.js';

export const meta: ControlMeta = {
  id: 'POD-NO-HOST-ALIASES',
  title: 'Pods should not rewrite /etc/hosts with hostAliases',
  rationale:
    'hostAliases writes fixed name-to-address entries into every container\'s /etc/hosts, ahead of DNS: a name ' +
    'that DNS, network policies by FQDN or a service mesh would resolve and secure is silently sent to a fixed ' +
    'address instead, which also outlives any change of that address. Low severity: it needs write access to the ' +
    'workload, and it is a common stop-gap rather than an attack in itself.',
  nsaSection: 'Network separation and hardening (name resolution inside the cluster)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove spec.hostAliases; publish the name in DNS, or give the external host a Service of type ExternalName.',
    snippet: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: legacy-db\nspec:\n  type: ExternalName\n  externalName: db.internal.example.com\n',
  },
  references: { trivy: ['KSV-0007'] },
  frameworks: ['nsa'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () => [podRule(meta, { violates: celField('variables.spec', 'hostAliases', (v) => `type(${v}) == list && size(${v}) > 0`), field: 'hostAliases', must: 'must be empty' })],
  },
  check: ({ spec, specPath }) => {
    const entries = array(spec.hostAliases).length;
    return entries === 0
      ? []
      : [{ path: [...specPath, 'hostAliases'], message: `pod writes ${entries} hostAliases entr${entries === 1 ? 'y' : 'ies'} into /etc/hosts, ahead of DNS` }];
  },
};
