import type { ControlMeta, ObjectControl } from '../../engine/types.js';
import { array, record } from '../../util/object.js';
import { objectRule, celField } from '../../engine/admission-cel.js';

export const meta: ControlMeta = {
  id: 'NET-INGRESS-TLS',
  title: 'Ingresses must terminate TLS',
  rationale: 'An Ingress without TLS serves its hosts over plain HTTP, exposing credentials and session cookies in transit.',
  nsaSection: 'Network separation and hardening › Encryption (TLS for traffic in transit)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Add spec.tls with the hosts and a certificate Secret (cert-manager can issue it).',
    snippet: 'spec:\n  tls:\n  - hosts: [shop.example.com]\n    secretName: shop-tls\n',
  },
  references: {},
  frameworks: ['nsa'],
};

export const control: ObjectControl = {
  meta,
  scope: 'object',
  admission: {
    validations: () => [objectRule(meta, { violates: `!${celField('object', 'spec.tls', (v) => `type(${v}) == list && size(${v}) > 0`)}`, field: 'spec.tls', must: 'must configure TLS' })],
  },
  kinds: ['networking.k8s.io/Ingress', 'extensions/Ingress'],
  check: ({ object }) =>
    array(record(object.spec)?.tls).length === 0
      ? [{ path: ['spec', 'tls'], message: 'Ingress serves plain HTTP: it has no tls section' }]
      : [],
};
