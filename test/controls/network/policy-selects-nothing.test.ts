/**
 * NET-POLICY-SELECTS-NOTHING and NET-POLICY-PEER-SELECTS-NOTHING: selectors that match no pod or namespace, judged
 * only where the input (or the live cluster) shows everything that could match. Cases after kube-linter's
 * dangling-networkpolicy and dangling-networkpolicypeer-podselector tests, plus the partial-input rules.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as peerSelectsNothing from '../../../src/controls/network/policy-peer-selects-nothing.js';
import * as policySelectsNothing from '../../../src/controls/network/policy-selects-nothing.js';
import type { ClusterView } from '../../../src/engine/inventory.js';
import { assertCompleteMetadata } from '../../support/control-tester.js';
import { scanAll } from '../../support/scan-text.js';

const deployment = (name: string, namespace: string | undefined, labels: Record<string, string>) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
const policy = (name: string, namespace: string, spec: object) =>
  JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
const namespace = (name: string, labels: Record<string, string> = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
/** Each object on its own line, so a finding's line names the object it is in. */
const stream = (...documents: string[]) => documents.join('\n---\n');
const from = (...peers: object[]) => ({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: peers }] });

interface Outcome {
  readonly findings: { field: string; line: number; name: string | null; message: string }[];
  readonly assessed: number;
}

async function judge(text: string, controlId: string, options: { clusterView?: ClusterView; namespaceObjectsElsewhere?: boolean; version?: string } = {}): Promise<Outcome> {
  const result = await scanAll(text, options);
  assert.deepEqual(result.errors, []);
  const findings = result.findings
    .filter((finding) => finding.controlId === controlId)
    .map((finding) => ({ field: finding.field, line: finding.location.line, name: finding.resource.name, message: finding.message }));
  return { findings, assessed: result.scores?.controls.find((control) => control.id === controlId)?.assessed ?? 0 };
}

const everything: ClusterView = { excluded: [] };

describe('NET-POLICY-SELECTS-NOTHING', () => {
  const id = policySelectsNothing.meta.id;
  it('has complete metadata', () => assertCompleteMetadata(policySelectsNothing.meta));

  it('passes podSelector {} even with no pod, and selectors that match a workload (kube-linter: empty selector, no dangling policies)', async () => {
    const text = stream(
      deployment('pod1', 'shop', { app: 'pod1-test' }),
      deployment('pod2', 'shop', { app: 'pod2-test' }),
      policy('all', 'shop', { podSelector: {} }),
      policy('p1', 'shop', { podSelector: { matchLabels: { app: 'pod1-test' } } }),
      policy('p2', 'shop', { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['pod2-test', 'other'] }] } }),
      policy('empty-ns', 'quiet', { podSelector: {} }),
    );
    assert.deepEqual(await judge(text, id), { findings: [], assessed: 4 });
  });

  it('reports a podSelector that matches no workload of its namespace, at spec.podSelector (kube-linter: one policy is dangling)', async () => {
    const text = stream(
      deployment('pod2', 'shop', { app: 'pod2-test' }),
      deployment('pod1', 'other', { app: 'pod1-test' }),
      policy('p1', 'shop', { podSelector: { matchLabels: { app: 'pod1-test' } } }),
      policy('p2', 'shop', { podSelector: { matchLabels: { app: 'pod2-test' } } }),
    );
    const outcome = await judge(text, id);
    assert.deepEqual(outcome.findings.map((f) => [f.name, f.field, f.line]), [['p1', 'spec.podSelector', 5]]);
    assert.equal(outcome.findings[0]?.message, 'NetworkPolicy shop/p1 isolates no pod: no workload in namespace shop among the scanned files has labels app=pod1-test');
    assert.equal(outcome.assessed, 2);
  });

  it('does not judge a policy whose namespace has no workload in the input, or a custom resource that may run pods', async () => {
    const text = stream(
      policy('p1', 'elsewhere', { podSelector: { matchLabels: { app: 'x' } } }),
      deployment('grafana', 'monitoring', { app: 'grafana' }),
      JSON.stringify({ apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'k8s', namespace: 'monitoring' }, spec: {} }),
      policy('prometheus', 'monitoring', { podSelector: { matchLabels: { app: 'prometheus' } } }),
    );
    assert.deepEqual(await judge(text, id), { findings: [], assessed: 0 });
  });

  it('in a cluster scan judges every namespace it read, and none it left out', async () => {
    const text = stream(policy('p1', 'empty', { podSelector: { matchLabels: { app: 'x' } } }), policy('p2', 'skipped', { podSelector: { matchLabels: { app: 'x' } } }));
    const outcome = await judge(text, id, { clusterView: { excluded: ['skipped'] } });
    assert.deepEqual(outcome.findings.map((f) => f.name), ['p1']);
    assert.match(outcome.findings[0]?.message ?? '', /no workload in namespace empty in the cluster has labels app=x/);
    assert.equal(outcome.assessed, 1);
    const one = await judge(text, id, { clusterView: { namespace: 'skipped', excluded: [] } });
    assert.deepEqual(one.findings.map((f) => f.name), ['p2']);
  });
});

describe('NET-POLICY-SELECTS-NOTHING on Cilium policies', () => {
  const id = policySelectsNothing.meta.id;
  const cilium = (kind: 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy', name: string, body: object) =>
    JSON.stringify({ apiVersion: 'cilium.io/v2', kind, metadata: { name, ...(kind === 'CiliumNetworkPolicy' ? { namespace: 'shop' } : {}) }, ...body });
  const select = (labels: Record<string, string>) => ({ endpointSelector: { matchLabels: labels }, ingress: [{}] });

  it('passes endpointSelectors that match a workload (source prefixes too), {} and node-only specs', async () => {
    const text = stream(
      deployment('web', 'shop', { app: 'web' }),
      cilium('CiliumNetworkPolicy', 'plain', { spec: select({ app: 'web' }) }),
      cilium('CiliumNetworkPolicy', 'prefixed', { spec: select({ 'k8s:app': 'web' }) }),
      cilium('CiliumNetworkPolicy', 'all', { spec: { endpointSelector: {}, ingress: [{}] } }),
      cilium('CiliumClusterwideNetworkPolicy', 'hosts', { spec: { nodeSelector: {}, ingress: [{}] } }),
      cilium('CiliumClusterwideNetworkPolicy', 'shop-web', { spec: select({ 'k8s:io.kubernetes.pod.namespace': 'shop', app: 'web' }) }),
    );
    assert.deepEqual(await judge(text, id), { findings: [], assessed: 4 });
  });

  it('reports an endpointSelector that matches nothing, in spec or specs; a cluster-wide one only when every namespace was read', async () => {
    const text = stream(
      deployment('web', 'shop', { app: 'web' }),
      cilium('CiliumNetworkPolicy', 'gone', { spec: select({ app: 'gone' }) }),
      cilium('CiliumNetworkPolicy', 'list', { specs: [select({ app: 'web' }), select({ app: 'old' })] }),
      cilium('CiliumClusterwideNetworkPolicy', 'nowhere', { spec: select({ app: 'nowhere' }) }),
    );
    const manifests = await judge(text, id);
    assert.deepEqual(manifests.findings.map((f) => [f.name, f.field, f.line]), [
      ['gone', 'spec.endpointSelector', 3],
      ['list', 'specs[1].endpointSelector', 5],
    ]);
    assert.equal(manifests.findings[0]?.message, 'CiliumNetworkPolicy shop/gone isolates no pod: no workload in namespace shop among the scanned files has labels app=gone');
    assert.equal(manifests.assessed, 3);
    const cluster = await judge(text, id, { clusterView: everything });
    assert.deepEqual(cluster.findings.map((f) => f.name), ['gone', 'list', 'nowhere']);
    assert.match(cluster.findings[2]?.message ?? '', /^CiliumClusterwideNetworkPolicy nowhere isolates no pod: no workload in the cluster has labels app=nowhere$/);
  });
});

describe('NET-POLICY-PEER-SELECTS-NOTHING', () => {
  const id = peerSelectsNothing.meta.id;
  it('has complete metadata', () => assertCompleteMetadata(peerSelectsNothing.meta));

  it('passes peers that match, and {} selectors (kube-linter: empty selector, no dangling peers)', async () => {
    const text = stream(
      deployment('pod1', 'shop', { app: 'pod1-test' }),
      deployment('pod2', 'shop', { app: 'pod2-test' }),
      policy('egress-all', 'shop', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] }),
      policy('ingress-all', 'shop', from({ podSelector: {} }, { namespaceSelector: {} }, { namespaceSelector: {}, podSelector: {} })),
      policy('p1', 'shop', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'pod1-test' } } }] }] }),
      policy('p2', 'shop', from({ podSelector: { matchLabels: { app: 'pod2-test' } } })),
    );
    assert.deepEqual(await judge(text, id), { findings: [], assessed: 6 });
  });

  it('reports each dangling podSelector peer of ingress and egress rules, at the selector (kube-linter: multiple peers, some dangling)', async () => {
    const text = stream(
      deployment('pod1', 'shop', { app: 'pod1-test' }),
      deployment('pod2', 'shop', { app: 'pod2-test' }),
      policy('multi', 'shop', {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'pod1-test' } } }, { podSelector: { matchLabels: { app: 'wrong1-test' } } }] }],
        egress: [{ to: [{ podSelector: { matchLabels: { app: 'pod2-test' } } }, { podSelector: { matchLabels: { app: 'wrong2-test' } } }] }],
      }),
    );
    const outcome = await judge(text, id);
    assert.deepEqual(outcome.findings.map((f) => f.field), ['spec.ingress[0].from[1].podSelector', 'spec.egress[0].to[1].podSelector']);
    assert.deepEqual(outcome.findings.map((f) => f.message), [
      'NetworkPolicy shop/multi ingress[0] from[1] selects nothing, so it allows nothing: no workload in namespace shop among the scanned files has labels app=wrong1-test',
      'NetworkPolicy shop/multi egress[0] to[1] selects nothing, so it allows nothing: no workload in namespace shop among the scanned files has labels app=wrong2-test',
    ]);
    assert.equal(outcome.assessed, 4);
  });

  const monitoring = (labels: Record<string, string> = {}) => stream(namespace('monitoring', labels), deployment('grafana', 'monitoring', { app: 'grafana' }));
  const byName = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } };
  const byLabel = { namespaceSelector: { matchLabels: { name: 'monitoring' } } };

  it('judges a peer that names its namespace by kubernetes.io/metadata.name when the input has that namespace and its workloads', async () => {
    const outcome = await judge(stream(monitoring(), deployment('web', 'shop', { app: 'web' }), policy('from-prometheus', 'shop', from(byName))), id);
    assert.deepEqual(outcome.findings.map((f) => f.field), ['spec.ingress[0].from[0].podSelector']);
    assert.match(outcome.findings[0]?.message ?? '', /no workload in namespace monitoring among the scanned files has labels app=prometheus$/);
    // The namespace is in the input only through a workload: a selector on the name alone can still be judged.
    const referred = await judge(stream(deployment('grafana', 'monitoring', { app: 'grafana' }), policy('from-prometheus', 'shop', from(byName))), id);
    assert.deepEqual(referred.findings.map((f) => f.field), ['spec.ingress[0].from[0].podSelector']);
  });

  it('does not judge a peer whose namespaces the input does not show: absent, unlabelled, or picked by labels', async () => {
    const absent = await judge(stream(deployment('web', 'shop', { app: 'web' }), policy('from-prometheus', 'shop', from(byName))), id);
    assert.deepEqual(absent, { findings: [], assessed: 0 });
    const withTeam = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring', team: 'obs' } } };
    const unlabelled = await judge(stream(deployment('grafana', 'monitoring', { app: 'grafana' }), policy('p', 'shop', from(withTeam))), id);
    assert.deepEqual(unlabelled, { findings: [], assessed: 0 });
    const labels = await judge(stream(monitoring(), policy('p', 'shop', from(byLabel))), id);
    assert.deepEqual(labels, { findings: [], assessed: 0 });
  });

  it('reports a namespaceSelector that no namespace matches: pinned and declared in manifests, or any selector in a cluster scan', async () => {
    const withTeam = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring', team: 'obs' } } };
    const declared = await judge(stream(monitoring({ team: 'platform' }), policy('p', 'shop', from(withTeam))), id);
    assert.deepEqual(declared.findings.map((f) => f.field), ['spec.ingress[0].from[0].namespaceSelector']);
    assert.match(declared.findings[0]?.message ?? '', /no namespace among the scanned files has labels kubernetes\.io\/metadata\.name=monitoring,team=obs$/);
    // The classic mistake: `name: monitoring`, a label nobody set. Only a scan of every namespace can tell.
    const cluster = await judge(stream(monitoring(), policy('p', 'shop', from(byLabel))), id, { clusterView: everything });
    assert.deepEqual(cluster.findings.map((f) => [f.field, f.line]), [['spec.ingress[0].from[0].namespaceSelector', 5]]);
    assert.match(cluster.findings[0]?.message ?? '', /no namespace in the cluster has labels name=monitoring$/);
    assert.deepEqual(await judge(stream(monitoring({ name: 'monitoring' }), policy('p', 'shop', from(byLabel))), id, { clusterView: everything }), { findings: [], assessed: 1 });
    // With a namespace left out of the scan, a label selector might have meant it.
    assert.deepEqual(await judge(stream(monitoring(), policy('p', 'shop', from(byLabel))), id, { clusterView: { excluded: ['kube-system'] } }), { findings: [], assessed: 0 });
  });

  it('before 1.21, kubernetes.io/metadata.name selects only namespaces that set it by hand, and is judged only on Namespace objects', async () => {
    const fromMonitoring = policy('p', 'shop', from({ namespaceSelector: byName.namespaceSelector }));
    const unset = await judge(stream(monitoring(), fromMonitoring), id, { version: '1.20' });
    assert.deepEqual(unset.findings.map((f) => f.field), ['spec.ingress[0].from[0].namespaceSelector']);
    assert.match(unset.findings[0]?.message ?? '', /kubernetes\.io\/metadata\.name=monitoring \(before Kubernetes 1\.21 the API server does not set kubernetes\.io\/metadata\.name\)$/);
    assert.deepEqual(await judge(stream(monitoring(), fromMonitoring), id, { version: '1.21' }), { findings: [], assessed: 1 });
    assert.deepEqual(await judge(stream(monitoring({ 'kubernetes.io/metadata.name': 'monitoring' }), fromMonitoring), id, { version: '1.20' }), { findings: [], assessed: 1 });
    // Known only through a workload: whether someone labelled it is unknown.
    assert.deepEqual(await judge(stream(deployment('grafana', 'monitoring', { app: 'grafana' }), fromMonitoring), id, { version: '1.20' }), { findings: [], assessed: 0 });
  });

  it('gives the same answers when namespace objects are declared to live elsewhere: a missing namespace is never taken as absent', async () => {
    const text = stream(deployment('grafana', 'monitoring', { app: 'grafana' }), policy('from-prometheus', 'shop', from(byName)), policy('p', 'shop', from(byLabel)));
    const elsewhere = await judge(text, id, { namespaceObjectsElsewhere: true });
    assert.deepEqual(elsewhere, await judge(text, id));
    assert.deepEqual(elsewhere.findings.map((f) => f.field), ['spec.ingress[0].from[0].podSelector']);
  });
});
