import { isRecord } from '../../../util/object.js';
import type { DetectionMeta, DetectionRule } from '../rule.js';
import { bodyField, eventRule, objectName, succeededOrUnknown, username, writtenObject } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-INGRESS-WITHOUT-TLS',
  title: 'An Ingress serving plain HTTP was created',
  rationale:
    'An Ingress without a tls section serves its hosts over plain HTTP: credentials and session cookies cross the ' +
    'network readable by anyone on the path (MITRE T1557). kubeharden scan reports it in manifests (NET-INGRESS-TLS); ' +
    'this sees the ones created straight into the cluster, as Falco does.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [{ minor: 19, change: 'networking.k8s.io/v1 Ingress is generally available (extensions/v1beta1 removed in 1.22)' }] },
  remediation: { text: 'Add spec.tls with the hosts and a certificate Secret (cert-manager can issue it).', snippet: 'spec:\n  tls:\n  - hosts: [shop.example.com]\n    secretName: shop-tls\n' },
  references: {},
  frameworks: ['nsa'],
  needs: { level: 'Request', stage: 'ResponseComplete', requests: [{ verb: 'create', apiGroup: 'networking.k8s.io', resource: 'ingresses', name: '' }] },
  covers: { falco: ['Ingress Object without TLS Certificate Created'] },
  attack: ['T1557'],
};

export const rule: DetectionRule = eventRule(meta, ['ingresses'], (event) => {
  if (event.verb !== 'create' || !succeededOrUnknown(event)) return undefined;
  const ingress = writtenObject(event);
  if (!ingress) return undefined;
  const tls = isRecord(ingress.spec) ? ingress.spec.tls : undefined;
  if (Array.isArray(tls) && tls.length > 0) return undefined;
  return { field: `${bodyField(event)}.spec.tls`, message: `${username(event)} created Ingress ${objectName(event)} without TLS: its hosts are served over plain HTTP` };
});
