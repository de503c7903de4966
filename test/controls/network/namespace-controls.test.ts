/** Cross-resource controls: namespaces, NetworkPolicies, LimitRanges, quotas and ServiceAccounts judged together. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectorMatches } from '../../../src/kube/label-selector.js';
import { effectivePolicyTypes, isDefaultDeny } from '../../../src/kube/network-policy.js';
import { scanAll } from '../../support/scan-text.js';

const deployment = (name: string, namespace: string | null, labels: Record<string, string>, spec: object = {}) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x' }], ...spec } } },
  });
const policy = (name: string, namespace: string | null, spec: object) =>
  JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, ...(namespace ? { namespace } : {}) }, spec });
const object = (kind: string, name: string, namespace: string | null, extra: object = {}) =>
  JSON.stringify({ apiVersion: 'v1', kind, metadata: { name, ...(namespace ? { namespace } : {}) }, ...extra });
const stream = (...documents: string[]) => documents.join('\n---\n');

async function findings(text: string, controlId: string, options: { namespaceObjectsElsewhere?: boolean } = {}) {
  const result = await scanAll(text, options);
  assert.deepEqual(result.errors, []);
  return result.findings.filter((finding) => finding.controlId === controlId);
}

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front' };
  const cases: [object, boolean][] = [
    [{}, true],
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'db' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'edge'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, false],
    [{ matchExpressions: [{ key: 'missing', operator: 'NotIn', values: ['x'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'Bogus' }] }, false],
  ];
  for (const [selector, expected] of cases) {
    it(`${JSON.stringify(selector)} → ${expected}`, () => assert.equal(selectorMatches(selector, labels), expected));
  }
});

describe('NetworkPolicy defaulting', () => {
  it('defaults policyTypes as the API server does', () => {
    assert.deepEqual([...effectivePolicyTypes({ podSelector: {} })], ['Ingress']);
    assert.deepEqual([...effectivePolicyTypes({ podSelector: {}, egress: [{}] })], ['Ingress', 'Egress']);
    assert.deepEqual([...effectivePolicyTypes({ podSelector: {}, egress: [] })], ['Ingress']);
    assert.deepEqual([...effectivePolicyTypes({ podSelector: {}, policyTypes: ['Egress'] })], ['Egress']);
  });
  it('recognises default-deny policies', () => {
    assert.ok(isDefaultDeny({ podSelector: {} }, 'Ingress'));
    assert.ok(!isDefaultDeny({ podSelector: {} }, 'Egress'));
    assert.ok(isDefaultDeny({ podSelector: {}, egress: [{ to: [{ podSelector: {} }] }] }, 'Ingress'), 'egress-only policies deny ingress');
    assert.ok(!isDefaultDeny({ podSelector: {}, ingress: [{}] }, 'Ingress'), 'ingress: [{}] allows everything');
    assert.ok(!isDefaultDeny({ podSelector: { matchLabels: { a: 'b' } }, policyTypes: ['Ingress'] }, 'Ingress'));
    assert.ok(isDefaultDeny({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] }, 'Egress'));
  });
});

describe('NET-DEFAULT-DENY-INGRESS and NET-DEFAULT-DENY-EGRESS', () => {
  it('report each namespace with workloads and no default-deny policy, saying what was searched', async () => {
    const text = stream(
      object('Namespace', 'shop', null),
      deployment('web', 'shop', { app: 'web' }),
      deployment('api', 'api', { app: 'api' }),
      policy('deny', 'api', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    );
    const ingress = await findings(text, 'NET-DEFAULT-DENY-INGRESS');
    assert.deepEqual(ingress.map((f) => [f.resource.kind, f.resource.name, f.location.line, f.message]), [
      ['Namespace', 'shop', 1, 'no default-deny ingress NetworkPolicy in namespace shop among the scanned files'],
    ]);
    assert.equal((await findings(text, 'NET-DEFAULT-DENY-EGRESS')).length, 1);
  });

  it('attach to the first object of an undeclared namespace, and group objects without a namespace', async () => {
    const text = stream(deployment('web', 'shop', { app: 'web' }), deployment('chart', null, { app: 'chart' }));
    const ingress = await findings(text, 'NET-DEFAULT-DENY-INGRESS');
    assert.deepEqual(ingress.map((f) => [f.resource.name, f.field, f.message]), [
      ['web', 'metadata.namespace', 'no default-deny ingress NetworkPolicy in namespace shop among the scanned files'],
      ['chart', 'metadata.namespace', 'no default-deny ingress NetworkPolicy in the objects without a namespace among the scanned files'],
    ]);
  });

  it('are skipped with --namespace-objects-elsewhere', async () => {
    assert.deepEqual(await findings(deployment('web', 'shop', { app: 'web' }), 'NET-DEFAULT-DENY-INGRESS', { namespaceObjectsElsewhere: true }), []);
  });
});

describe('NET-WORKLOAD-ISOLATED', () => {
  it('passes workloads selected by a policy of their own namespace and reports the others', async () => {
    const text = stream(
      deployment('web', 'shop', { app: 'web', tier: 'front' }),
      deployment('db', 'shop', { app: 'db' }),
      deployment('other', 'elsewhere', { app: 'web' }),
      policy('web', 'shop', { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] } }),
    );
    const result = await findings(text, 'NET-WORKLOAD-ISOLATED');
    assert.deepEqual(result.map((f) => [f.resource.name, f.field]), [
      ['db', 'spec.template.metadata.labels'],
      ['other', 'spec.template.metadata.labels'],
    ]);
    assert.match(result[0]?.message ?? '', /labels: app=db/);
  });
});

describe('RES-LIMITRANGE and RES-RESOURCEQUOTA', () => {
  it('require both in each namespace with workloads', async () => {
    const text = stream(
      deployment('web', 'shop', { app: 'web' }),
      object('LimitRange', 'limits', 'shop', { spec: { limits: [] } }),
      deployment('api', 'api', { app: 'api' }),
      object('ResourceQuota', 'quota', 'api', { spec: { hard: {} } }),
    );
    assert.deepEqual((await findings(text, 'RES-LIMITRANGE')).map((f) => f.resource.namespace), ['api']);
    assert.deepEqual((await findings(text, 'RES-RESOURCEQUOTA')).map((f) => f.resource.namespace), ['shop']);
  });
});

describe('POD-SA-TOKEN-NOT-AUTOMOUNTED', () => {
  it('uses the pod setting first, then its ServiceAccount in the input', async () => {
    const text = stream(
      deployment('off', 'shop', { app: 'a' }, { automountServiceAccountToken: false }),
      deployment('on', 'shop', { app: 'b' }, { automountServiceAccountToken: true }),
      deployment('sa-off', 'shop', { app: 'c' }, { serviceAccountName: 'quiet' }),
      deployment('sa-silent', 'shop', { app: 'd' }, { serviceAccountName: 'loud' }),
      deployment('sa-missing', 'shop', { app: 'e' }, { serviceAccountName: 'ghost' }),
      object('ServiceAccount', 'quiet', 'shop', { automountServiceAccountToken: false }),
      object('ServiceAccount', 'loud', 'shop'),
    );
    const result = await findings(text, 'POD-SA-TOKEN-NOT-AUTOMOUNTED');
    assert.deepEqual(result.map((f) => [f.resource.name, f.field]), [
      ['on', 'spec.template.spec.automountServiceAccountToken'],
      ['sa-silent', 'spec.template.spec.automountServiceAccountToken'],
      ['sa-missing', 'spec.template.spec.automountServiceAccountToken'],
    ]);
    assert.match(result[2]?.message ?? '', /ServiceAccount ghost in namespace shop is not among the scanned files/);
    const elsewhere = await findings(text, 'POD-SA-TOKEN-NOT-AUTOMOUNTED', { namespaceObjectsElsewhere: true });
    assert.deepEqual(elsewhere.map((f) => f.resource.name), ['on', 'sa-silent']);
  });
});

describe('PSS-ENFORCE-LABELS', () => {
  const namespace = (labels: Record<string, string>, name = 'shop') => object('Namespace', name, null, { metadata: { name, labels } });
  it('accepts baseline and restricted, exempts kube-system', async () => {
    const text = stream(
      namespace({ 'pod-security.kubernetes.io/enforce': 'restricted' }),
      namespace({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'latest' }, 'b'),
      namespace({}, 'kube-system'),
    );
    assert.deepEqual(await findings(text, 'PSS-ENFORCE-LABELS'), []);
  });
  it('reports missing or privileged enforcement and a pinned old version', async () => {
    const text = stream(
      namespace({}, 'none'),
      namespace({ 'pod-security.kubernetes.io/enforce': 'privileged' }, 'priv'),
      namespace({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.24' }, 'old'),
    );
    const result = await findings(text, 'PSS-ENFORCE-LABELS');
    assert.deepEqual(result.map((f) => [f.resource.name, f.field]), [
      ['none', 'metadata.labels'],
      ['priv', 'metadata.labels["pod-security.kubernetes.io/enforce"]'],
      ['old', 'metadata.labels["pod-security.kubernetes.io/enforce-version"]'],
    ]);
  });
});

describe('Cilium policies', () => {
  const cilium = (kind: string, name: string, namespace: string | null, body: object) =>
    JSON.stringify({ apiVersion: 'cilium.io/v2', kind, metadata: { name, ...(namespace ? { namespace } : {}) }, ...body });

  it('a CiliumNetworkPolicy selecting the pods isolates them; a whole-namespace one with rules is default-deny', async () => {
    const text = stream(
      deployment('web', 'shop', { app: 'web' }),
      deployment('db', 'shop', { app: 'db' }),
      cilium('CiliumNetworkPolicy', 'web', 'shop', { spec: { endpointSelector: { matchLabels: { 'k8s:app': 'web' } }, ingress: [] } }),
    );
    assert.deepEqual((await findings(text, 'NET-WORKLOAD-ISOLATED')).map((f) => f.resource.name), ['db']);
    assert.equal((await findings(text, 'NET-DEFAULT-DENY-INGRESS')).length, 1);
    const denyAll = stream(text, cilium('CiliumNetworkPolicy', 'all', 'shop', { specs: [{ endpointSelector: {}, ingress: [{ fromEndpoints: [{}] }] }] }));
    assert.deepEqual(await findings(denyAll, 'NET-DEFAULT-DENY-INGRESS'), []);
    assert.equal((await findings(denyAll, 'NET-DEFAULT-DENY-EGRESS')).length, 1);
  });

  it('a CiliumClusterwideNetworkPolicy applies to every namespace, or to the one it names', async () => {
    const workloads = stream(deployment('web', 'shop', { app: 'web' }), deployment('api', 'api', { app: 'api' }));
    const clusterWide = stream(workloads, cilium('CiliumClusterwideNetworkPolicy', 'all', null, { spec: { endpointSelector: {}, egress: [] } }));
    assert.deepEqual(await findings(clusterWide, 'NET-WORKLOAD-ISOLATED'), []);
    assert.deepEqual(await findings(clusterWide, 'NET-DEFAULT-DENY-EGRESS'), []);
    const shopOnly = stream(
      workloads,
      cilium('CiliumClusterwideNetworkPolicy', 'shop', null, { spec: { endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'shop' } }, egress: [] } }),
    );
    assert.deepEqual((await findings(shopOnly, 'NET-DEFAULT-DENY-EGRESS')).map((f) => f.resource.namespace), ['api']);
  });
});
