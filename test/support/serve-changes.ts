/**
 * For the `kubeharden serve` tests: random changes to a real API server (workloads, policies, bindings, accounts,
 * services, an ignore annotation, namespace labels, NetworkPolicy peers that pick pods of other namespaces by their
 * namespace's labels, and in-place workload changes that leave the cluster-wide controls' input alone), the scan options the agent and `kubeharden cluster` share, and findings written
 * so two sets can be compared exactly.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ApiClient } from '../../src/cluster/api-client.js';
import { scanCluster } from '../../src/cluster/cluster-scan.js';
import { scoreSummary } from '../../src/serve/score-summary.js';
import { TemplatePaths } from '../../src/kube/pod-templates.js';
import { parseKubeVersion } from '../../src/kube/version.js';
import type { ScanOptions } from '../../src/scan/scan.js';
import type { Finding } from '../../src/vocabulary/finding.js';
import type { Cluster } from './cluster-harness.js';
import type { Agent } from '../../src/serve/agent.js';

export const NAMESPACES = ['alpha', 'beta'] as const;
const NAMES = ['a', 'b', 'c'] as const;

export type Change =
  | { readonly op: 'put'; readonly what: 'deployment'; readonly namespace: string; readonly name: string; readonly privileged: boolean; readonly app: string; readonly serviceAccount: string; readonly ignore: boolean }
  | { readonly op: 'put'; readonly what: 'pod'; readonly namespace: string; readonly name: string; readonly hostNetwork: boolean; readonly app: string }
  | { readonly op: 'put'; readonly what: 'networkpolicy'; readonly namespace: string; readonly name: string; readonly deny: boolean; readonly app: string; readonly peer?: Peer }
  /** A Namespace's `team` label set (or removed, null): what cross-namespace peers select on. */
  | { readonly op: 'label'; readonly what: 'namespace'; readonly namespace: string; readonly team: string | null }
  /** An existing Deployment changed in place (nothing happens when it is absent): privileged and token mounting. */
  | { readonly op: 'patch'; readonly what: 'deployment'; readonly namespace: string; readonly name: string; readonly privileged: boolean; readonly automount: boolean }
  | { readonly op: 'put'; readonly what: 'rolebinding'; readonly namespace: string; readonly name: string; readonly role: string; readonly subject: string }
  | { readonly op: 'put'; readonly what: 'serviceaccount'; readonly namespace: string; readonly name: string; readonly automount: boolean }
  | { readonly op: 'put'; readonly what: 'service'; readonly namespace: string; readonly name: string; readonly app: string; readonly nodePort: boolean }
  | { readonly op: 'delete'; readonly what: Kinds; readonly namespace: string; readonly name: string };

/**
 * An allow rule's source: any namespace (`namespaceSelector: {}`), or pods labelled `app` in the namespaces of a
 * team (`namespaceSelector: {matchLabels: {team}}` with a podSelector), which may select nothing.
 */
export type Peer = { readonly namespaces: 'any' } | { readonly namespaces: 'team'; readonly team: string; readonly app: string };

type Kinds = 'deployment' | 'pod' | 'networkpolicy' | 'rolebinding' | 'serviceaccount' | 'service';

const PATHS: Record<Kinds, string> = {
  deployment: '/apis/apps/v1/namespaces/NS/deployments',
  pod: '/api/v1/namespaces/NS/pods',
  networkpolicy: '/apis/networking.k8s.io/v1/namespaces/NS/networkpolicies',
  rolebinding: '/apis/rbac.authorization.k8s.io/v1/namespaces/NS/rolebindings',
  serviceaccount: '/api/v1/namespaces/NS/serviceaccounts',
  service: '/api/v1/namespaces/NS/services',
};

const namespace = fc.constantFrom(...NAMESPACES);
const name = fc.constantFrom(...NAMES);
const app = fc.constantFrom('web', 'db');
const team = fc.constantFrom('red', 'blue');
const peer: fc.Arbitrary<Peer> = fc.oneof(fc.constant({ namespaces: 'any' as const }), fc.record({ namespaces: fc.constant('team' as const), team, app }));

export const changeArbitrary: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ op: fc.constant('put' as const), what: fc.constant('deployment' as const), namespace, name, privileged: fc.boolean(), app, serviceAccount: fc.constantFrom('default', 'a', 'ghost'), ignore: fc.boolean() }),
  fc.record({ op: fc.constant('put' as const), what: fc.constant('pod' as const), namespace, name, hostNetwork: fc.boolean(), app }),
  fc.record({ op: fc.constant('put' as const), what: fc.constant('networkpolicy' as const), namespace, name, deny: fc.boolean(), app, peer }),
  fc.record({ op: fc.constant('label' as const), what: fc.constant('namespace' as const), namespace, team: fc.option(team, { nil: null }) }),
  fc.record({ op: fc.constant('patch' as const), what: fc.constant('deployment' as const), namespace, name, privileged: fc.boolean(), automount: fc.boolean() }),
  fc.record({ op: fc.constant('put' as const), what: fc.constant('rolebinding' as const), namespace, name, role: fc.constantFrom('cluster-admin', 'view', 'edit'), subject: fc.constantFrom('default', 'a') }),
  fc.record({ op: fc.constant('put' as const), what: fc.constant('serviceaccount' as const), namespace, name, automount: fc.boolean() }),
  fc.record({ op: fc.constant('put' as const), what: fc.constant('service' as const), namespace, name, app, nodePort: fc.boolean() }),
  fc.record({ op: fc.constant('delete' as const), what: fc.constantFrom<Kinds>('deployment', 'pod', 'networkpolicy', 'rolebinding', 'serviceaccount', 'service'), namespace, name }),
);

function body(change: Extract<Change, { op: 'put' }>): Record<string, unknown> {
  const metadata = { name: change.name, namespace: change.namespace };
  switch (change.what) {
    case 'deployment':
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { ...metadata, ...(change.ignore ? { annotations: { 'kubeharden.io/ignore': 'POD-NO-PRIVILEGED: a test accepts it' } } : {}) },
        spec: {
          selector: { matchLabels: { app: change.app } },
          template: {
            metadata: { labels: { app: change.app } },
            spec: { serviceAccountName: change.serviceAccount, containers: [{ name: 'main', image: 'registry.example/app:1.0', ...(change.privileged ? { securityContext: { privileged: true } } : {}) }] },
          },
        },
      };
    case 'pod':
      return { apiVersion: 'v1', kind: 'Pod', metadata: { ...metadata, labels: { app: change.app } }, spec: { hostNetwork: change.hostNetwork, containers: [{ name: 'main', image: 'nginx:1.27' }] } };
    case 'networkpolicy':
      return {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata,
        spec: change.deny ? { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } : { podSelector: { matchLabels: { app: change.app } }, ingress: [{ from: [peerOf(change.peer ?? { namespaces: 'any' })] }] },
      };
    case 'rolebinding':
      return {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: change.role },
        subjects: [{ kind: 'ServiceAccount', name: change.subject, namespace: change.namespace }],
      };
    case 'serviceaccount':
      return { apiVersion: 'v1', kind: 'ServiceAccount', metadata, automountServiceAccountToken: change.automount };
    case 'service':
      return { apiVersion: 'v1', kind: 'Service', metadata, spec: { type: change.nodePort ? 'NodePort' : 'ClusterIP', selector: { app: change.app }, ports: [{ port: 80 }] } };
  }
}

function peerOf(peer: Peer): Record<string, unknown> {
  return peer.namespaces === 'any' ? { namespaceSelector: {} } : { namespaceSelector: { matchLabels: { team: peer.team } }, podSelector: { matchLabels: { app: peer.app } } };
}

/** Applies one change as the cluster admin: create or replace, patch or label in place, or delete (a missing object is fine). */
export async function applyChange(cluster: Cluster, change: Change): Promise<void> {
  if (change.op === 'label') {
    const response = await cluster.request('admin', 'PATCH', `/api/v1/namespaces/${change.namespace}`, { metadata: { labels: { team: change.team } } });
    assert.equal(response.status, 200, `label namespace ${change.namespace}: ${response.text}`);
    return;
  }
  const base = PATHS[change.what].replace('NS', change.namespace);
  if (change.op === 'patch') {
    const patch = [
      { op: 'add', path: '/spec/template/spec/automountServiceAccountToken', value: change.automount },
      { op: 'add', path: '/spec/template/spec/containers/0/securityContext', value: { privileged: change.privileged } },
    ];
    const response = await cluster.request('admin', 'PATCH', `${base}/${change.name}`, patch);
    assert.ok(response.status === 200 || response.status === 404, `PATCH ${base}/${change.name}: ${response.status} ${response.text}`);
    return;
  }
  if (change.op === 'delete') {
    const response = await cluster.request('admin', 'DELETE', `${base}/${change.name}`);
    assert.ok(response.status === 200 || response.status === 202 || response.status === 404, `DELETE ${base}/${change.name}: ${response.status} ${response.text}`);
    return;
  }
  const object = body(change);
  const created = await cluster.request('admin', 'POST', base, object);
  if (created.status === 201) return;
  assert.equal(created.status, 409, `POST ${base}: ${created.text}`);
  // Replace: a workload's selector and a binding's roleRef cannot change, so those are deleted and made again.
  if (change.what === 'deployment' || change.what === 'pod' || change.what === 'rolebinding') {
    await cluster.request('admin', 'DELETE', `${base}/${change.name}?gracePeriodSeconds=0`);
    const again = await cluster.request('admin', 'POST', base, object);
    assert.equal(again.status, 201, `POST ${base} again: ${again.text}`);
    return;
  }
  const current = await cluster.request('admin', 'GET', `${base}/${change.name}`);
  const resourceVersion = (current.json as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  const replaced = await cluster.request('admin', 'PUT', `${base}/${change.name}`, { ...object, metadata: { ...(object['metadata'] as object), resourceVersion } });
  assert.equal(replaced.status, 200, `PUT ${base}/${change.name}: ${replaced.text}`);
}

/** What `kubeharden cluster` would run with for this server: every framework's controls, the server's version. */
export function liveScanOptions(gitVersion: string): ScanOptions {
  return { framework: 'all', version: parseKubeVersion(gitVersion), templatePaths: TemplatePaths.parse([]) };
}

export const TEST_DAY = '2026-12-03';

export function release(gitVersion: string) {
  return { version: gitVersion, source: "the API server's /version", day: TEST_DAY };
}

/** A finding as one line of sorted JSON: equal lines, equal findings. */
export function findingLine(finding: Finding): string {
  return JSON.stringify(sortKeys(finding));
}

/** The value with every object's keys sorted: JSON of equal values is equal whatever order the keys came in. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
  return value;
}

export function findingLines(findings: Iterable<Finding>): string[] {
  return [...findings].map(findingLine).sort();
}

/** A fresh full `kubeharden cluster` scan's findings and scores, with the same options. */
export async function fullScan(client: ApiClient, gitVersion: string): Promise<{ lines: string[]; scores: string; findings: Finding[] }> {
  const scan = await scanCluster(client, liveScanOptions(gitVersion), { excludeNamespaces: [], probeAnonymous: false, kubeletConfigz: false, release: release(gitVersion) });
  const findings = [...scan.result.findings];
  return { lines: findingLines(findings), scores: JSON.stringify(scoreSummary(scan.result.scores)), findings };
}

export async function adminClient(cluster: Cluster): Promise<ApiClient> {
  return ApiClient.connect({ kubeconfig: cluster.adminKubeconfig, timeoutMs: 30_000, concurrency: 8 });
}

/** The difference of two sorted finding lists, for an assertion message. */
export function difference(expected: readonly string[], actual: readonly string[]): string {
  const missing = expected.filter((line) => !actual.includes(line));
  const extra = actual.filter((line) => !expected.includes(line));
  return `missing ${missing.length}:\n${missing.slice(0, 5).join('\n')}\nextra ${extra.length}:\n${extra.slice(0, 5).join('\n')}`;
}

/**
 * Polls until the agent's findings and scores equal the full scan's, or the deadline passes (then says how they differ).
 * `since`: when the time started (the change; by default the call).
 */
export async function agreeWithin(agent: Agent, expected: { lines: string[]; scores: string }, ms: number, since = Date.now()): Promise<number> {
  const started = since;
  for (;;) {
    const lines = findingLines(agent.findings().values());
    const scores = agent.lastSettled ? JSON.stringify(scoreSummary(agent.lastSettled.scores)) : '';
    if (!agent.live.pending && JSON.stringify(lines) === JSON.stringify(expected.lines) && scores === expected.scores) return Date.now() - started;
    if (Date.now() - started > ms) {
      assert.deepEqual(lines, expected.lines, difference(expected.lines, lines));
      assert.equal(scores, expected.scores);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

