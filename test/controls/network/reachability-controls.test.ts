/** The controls built on the reachability engine, each with inputs that pass and inputs that fail. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as egressInternetMetadata from '../../../src/controls/network/egress-internet-metadata.js';
import * as namespaceOpenToOthers from '../../../src/controls/network/namespace-open-to-others.js';
import * as reachableFromAllNamespaces from '../../../src/controls/network/reachable-from-all-namespaces.js';
import { assertCompleteMetadata } from '../../support/control-tester.js';
import { scanAll } from '../../support/scan-text.js';

const deployment = (name: string, namespace: string, labels: Record<string, string>, spec: object = {}) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }], ...spec } } },
  });
const policy = (name: string, namespace: string, spec: object) =>
  JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
const namespace = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const stream = (...documents: string[]) => documents.join('\n---\n');

async function findings(text: string, controlId: string) {
  const result = await scanAll(text);
  assert.deepEqual(result.errors, []);
  return result.findings.filter((finding) => finding.controlId === controlId);
}

const denyAll = (ns: string) => policy('deny-all', ns, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

describe('NET-REACHABLE-FROM-ALL-NAMESPACES', () => {
  const id = reachableFromAllNamespaces.meta.id;
  it('has complete metadata', () => assertCompleteMetadata(reachableFromAllNamespaces.meta));
  it('passes workloads whose ingress names the namespaces it admits', async () => {
    const text = stream(
      deployment('db', 'data', { app: 'db' }),
      denyAll('data'),
      policy('from-shop', 'data', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }] }] }),
    );
    assert.deepEqual(await findings(text, id), []);
  });
  it('reports a rule without peers, namespaceSelector {}, and host-network pods; no policy at all is NET-WORKLOAD-ISOLATED\'s finding', async () => {
    const text = stream(
      deployment('open', 'a', { app: 'open' }),
      deployment('any', 'b', { app: 'any' }),
      policy('any', 'b', { podSelector: { matchLabels: { app: 'any' } }, ingress: [{ ports: [{ port: 8080 }] }] }),
      deployment('all-ns', 'c', { app: 'all-ns' }),
      policy('all-ns', 'c', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { role: 'x' } } }] }] }),
      deployment('host', 'd', { app: 'host' }, { hostNetwork: true }),
      denyAll('d'),
    );
    const result = await findings(text, id);
    assert.deepEqual(result.map((f) => [f.resource.name, f.field]), [
      ['any', 'spec.template.metadata.labels'],
      ['all-ns', 'spec.template.metadata.labels'],
      ['host', 'spec.template.metadata.labels'],
    ]);
    assert.match(result[0]?.message ?? '', /b\/any ingress\[0\] allows any source/);
    assert.match(result[1]?.message ?? '', /namespaceSelector: \{\}/);
    assert.match(result[2]?.message ?? '', /host network/);
  });
});

describe('NET-EGRESS-INTERNET-METADATA', () => {
  const id = egressInternetMetadata.meta.id;
  it('has complete metadata', () => assertCompleteMetadata(egressInternetMetadata.meta));
  it('passes egress limited to in-cluster peers, or to the internet on one port without the metadata address', async () => {
    const text = stream(
      deployment('web', 'shop', { app: 'web' }),
      denyAll('shop'),
      policy('out', 'shop', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }], ports: [{ port: 443 }] }] }),
    );
    assert.deepEqual(await findings(text, id), []);
  });
  it('reports an egress rule to anywhere and an ipBlock that includes 169.254.169.254; no egress policy is NET-DEFAULT-DENY-EGRESS\'s finding', async () => {
    const text = stream(
      deployment('free', 'a', { app: 'free' }),
      deployment('wide', 'b', { app: 'wide' }),
      denyAll('b'),
      policy('wide', 'b', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] }),
      deployment('meta', 'c', { app: 'meta' }),
      denyAll('c'),
      policy('meta', 'c', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '169.254.0.0/16' } }], ports: [{ port: 80 }] }] }),
    );
    const result = await findings(text, id);
    assert.deepEqual(result.map((f) => f.resource.name), ['wide', 'meta']);
    assert.match(result[0]?.message ?? '', /any connection to any internet address and any connection to the cloud metadata service/);
    assert.match(result[1]?.message ?? '', /TCP 80 to the cloud metadata service/);
    assert.doesNotMatch(result[1]?.message ?? '', /internet/);
  });
});

describe('NET-NAMESPACE-OPEN-TO-OTHERS', () => {
  const id = namespaceOpenToOthers.meta.id;
  it('has complete metadata', () => assertCompleteMetadata(namespaceOpenToOthers.meta));
  it('passes a namespace whose pods are all isolated for ingress', async () => {
    assert.deepEqual(await findings(stream(namespace('shop'), deployment('web', 'shop', { app: 'web' }), denyAll('shop')), id), []);
  });
  it('reports a namespace with a pod no ingress policy isolates, at the Namespace object', async () => {
    const text = stream(
      namespace('shop'),
      deployment('web', 'shop', { app: 'web' }),
      deployment('api', 'shop', { app: 'api' }),
      policy('web-only', 'shop', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] }),
    );
    const result = await findings(text, id);
    assert.deepEqual(result.map((f) => [f.resource.kind, f.resource.name]), [['Namespace', 'shop']]);
    assert.match(result[0]?.message ?? '', /pods of any other namespace can connect to shop\/api in namespace shop/);
  });
});
