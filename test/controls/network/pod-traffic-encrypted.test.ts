/** NET-POD-TRAFFIC-ENCRYPTED: Services other namespaces can reach, and whether a mesh or the CNI encrypts their pods' traffic. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as podTrafficEncrypted from '../../../src/controls/network/pod-traffic-encrypted.js';
import type { ClusterView } from '../../../src/engine/inventory.js';
import { effectiveMtls, meshOf, parsePeerAuthentication } from '../../../src/kube/transit-encryption.js';
import { assertCompleteMetadata } from '../../support/control-tester.js';
import { scanAll } from '../../support/scan-text.js';

const id = podTrafficEncrypted.meta.id;

const app = (name: string, namespace: string, template: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}) =>
  [
    JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace },
      spec: {
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name, ...template.labels }, annotations: template.annotations ?? {} }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }] } },
      },
    }),
    JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } }),
  ].join('\n---\n');
const namespace = (name: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, annotations } });
const peerAuthentication = (name: string, ns: string, spec: object) =>
  JSON.stringify({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name, namespace: ns }, spec });
const strict = (ns: string) => peerAuthentication('default', ns, { mtls: { mode: 'STRICT' } });
const ciliumConfig = (data: Record<string, string>) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cilium-config', namespace: 'kube-system' }, data });
const felix = (spec: object) => JSON.stringify({ apiVersion: 'crd.projectcalico.org/v1', kind: 'FelixConfiguration', metadata: { name: 'default' }, spec });
const policy = (name: string, ns: string, spec: object) => JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });
const stream = (...documents: string[]) => documents.join('\n---\n');
const istioShop = namespace('shop', { 'istio-injection': 'enabled' });

async function judge(text: string, options: { clusterView?: ClusterView; namespaceObjectsElsewhere?: boolean } = {}) {
  const result = await scanAll(text, options);
  assert.deepEqual(result.errors, []);
  const score = result.scores?.controls.find((control) => control.id === id);
  return {
    findings: result.findings.filter((finding) => finding.controlId === id).map((finding) => ({ resource: `${finding.resource.kind}/${finding.resource.name}`, message: finding.message })),
    assessed: score?.assessed ?? 0,
    ran: score !== undefined,
  };
}

describe('NET-POD-TRAFFIC-ENCRYPTED', () => {
  it('has complete metadata', () => assertCompleteMetadata(podTrafficEncrypted.meta));

  it('does not assess manifests that show no mesh and no CNI, and runs not at all when namespace objects live elsewhere', async () => {
    assert.deepEqual(await judge(stream(namespace('shop'), app('web', 'shop'))), { findings: [], assessed: 0, ran: true });
    assert.equal((await judge(stream(istioShop, app('web', 'shop')), { namespaceObjectsElsewhere: true })).ran, false);
  });

  it('passes meshed pods in STRICT mTLS (mesh-wide or per namespace), Linkerd-injected pods, and CNI encryption', async () => {
    const valid: [string, string][] = [
      ['mesh-wide STRICT in istio-system', stream(istioShop, app('web', 'shop'), strict('istio-system'))],
      ['namespace STRICT', stream(istioShop, app('web', 'shop'), strict('shop'))],
      ['ambient namespace, STRICT', stream(namespace('shop', { 'istio.io/dataplane-mode': 'ambient' }), app('web', 'shop'), strict('istio-system'))],
      ['pod label opts in, STRICT', stream(namespace('shop'), app('web', 'shop', { labels: { 'sidecar.istio.io/inject': 'true' } }), strict('shop'))],
      ['Linkerd namespace annotation', stream(namespace('shop', {}, { 'linkerd.io/inject': 'enabled' }), app('web', 'shop'))],
      ['Linkerd pod annotation', stream(namespace('shop'), app('web', 'shop', { annotations: { 'linkerd.io/inject': 'enabled' } }))],
      ['Cilium WireGuard', stream(namespace('shop'), app('web', 'shop'), ciliumConfig({ 'enable-wireguard': 'true' }))],
      ['Cilium IPsec', stream(namespace('shop'), app('web', 'shop'), ciliumConfig({ 'enable-ipsec': 'true' }))],
      ['Calico WireGuard', stream(namespace('shop'), app('web', 'shop'), felix({ wireguardEnabled: true }))],
      [
        'reachable only from its own namespace',
        stream(istioShop, app('web', 'shop'), policy('same-ns', 'shop', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }] }] })),
      ],
    ];
    for (const [name, text] of valid) assert.deepEqual(await judge(text), { findings: [], assessed: 1, ran: true }, name);
  });

  it('reports the namespace when its reachable pods accept plaintext, saying why for each', async () => {
    const invalid: [string, string, RegExp][] = [
      ['Istio default (no PeerAuthentication)', stream(istioShop, app('web', 'shop')), /shop\/web \(Istio sidecar\) has mTLS PERMISSIVE from Istio's default/],
      ['mesh-wide PERMISSIVE', stream(istioShop, app('web', 'shop'), peerAuthentication('default', 'istio-system', { mtls: { mode: 'PERMISSIVE' } })), /PERMISSIVE from PeerAuthentication istio-system\/default/],
      [
        'namespace STRICT, workload DISABLE',
        stream(istioShop, app('web', 'shop'), strict('shop'), peerAuthentication('web', 'shop', { selector: { matchLabels: { app: 'web' } }, mtls: { mode: 'DISABLE' } })),
        /mTLS DISABLE from PeerAuthentication shop\/web/,
      ],
      [
        'STRICT with a port-level PERMISSIVE',
        stream(istioShop, app('web', 'shop'), strict('istio-system'), peerAuthentication('web', 'shop', { selector: { matchLabels: { app: 'web' } }, portLevelMtls: { '8080': { mode: 'PERMISSIVE' } } })),
        /is STRICT but takes plaintext on port 8080/,
      ],
      ['opted out of injection', stream(istioShop, app('web', 'shop', { labels: { 'sidecar.istio.io/inject': 'false' } }), strict('istio-system')), /shop\/web is in no service mesh/],
      ['Cilium without encryption', stream(namespace('shop'), app('web', 'shop'), ciliumConfig({ 'enable-wireguard': 'false' })), /Cilium \(ConfigMap kube-system\/cilium-config\) without encryption/],
      [
        'open to a labelled namespace',
        stream(istioShop, app('web', 'shop'), policy('from-team', 'shop', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }] }] })),
        /Service web of namespace shop can be reached from other namespaces in plaintext/,
      ],
    ];
    for (const [name, text, message] of invalid) {
      const outcome = await judge(text);
      assert.deepEqual(outcome.findings.map((f) => f.resource), ['Namespace/shop'], name);
      assert.match(outcome.findings[0]?.message ?? '', message, name);
      assert.equal(outcome.assessed, 1, name);
    }
  });

  it('always assesses a live cluster, and names what it looked for', async () => {
    const outcome = await judge(stream(namespace('shop'), app('web', 'shop')), { clusterView: { excluded: [] } });
    assert.deepEqual(outcome.findings, [
      {
        resource: 'Namespace/shop',
        message: 'Service web of namespace shop can be reached from other namespaces in plaintext: shop/web is in no service mesh; no CNI encryption in the cluster (cilium-config, FelixConfiguration)',
      },
    ]);
  });
});

describe('Istio and Linkerd semantics', () => {
  const pa = (ns: string, spec: object, name = 'p') => parsePeerAuthentication({ metadata: { name, namespace: ns }, spec }, 'default');
  it('takes workload over namespace over mesh, lets UNSET inherit, and the weakest of disagreeing policies at one level', () => {
    const mesh = pa('istio-system', { mtls: { mode: 'STRICT' } });
    const unset = pa('shop', { selector: { matchLabels: { app: 'web' } } });
    assert.equal(effectiveMtls([mesh, unset], 'shop', { app: 'web' }).mode, 'STRICT');
    assert.equal(effectiveMtls([mesh, pa('shop', { mtls: { mode: 'PERMISSIVE' } })], 'shop', { app: 'web' }).mode, 'PERMISSIVE');
    assert.equal(effectiveMtls([mesh, pa('shop', { selector: { matchLabels: { app: 'api' } }, mtls: { mode: 'DISABLE' } })], 'shop', { app: 'web' }).mode, 'STRICT');
    assert.equal(effectiveMtls([pa('shop', { mtls: { mode: 'STRICT' } }, 'a'), pa('shop', { mtls: { mode: 'DISABLE' } }, 'b')], 'shop', {}).source, 'PeerAuthentication shop/b');
    assert.equal(effectiveMtls([], 'shop', {}).mode, 'PERMISSIVE');
  });
  it('decides mesh membership as the injectors do', () => {
    const pod = (labels: Record<string, string> = {}, annotations: Record<string, string> = {}, containers: string[] = ['app']) => ({ labels, annotations, containers });
    const ns = (labels: Record<string, string> = {}, annotations: Record<string, string> = {}) => ({ labels, annotations });
    assert.equal(meshOf(pod({}, {}, ['app', 'istio-proxy']), undefined), 'istio');
    assert.equal(meshOf(pod(), ns({ 'istio.io/rev': 'canary' })), 'istio');
    assert.equal(meshOf(pod(), ns({ 'istio-injection': 'disabled', 'istio.io/rev': 'canary' })), undefined);
    assert.equal(meshOf(pod({}, { 'sidecar.istio.io/inject': 'false' }), ns({ 'istio-injection': 'enabled' })), undefined);
    assert.equal(meshOf(pod({ 'istio.io/dataplane-mode': 'none' }), ns({ 'istio.io/dataplane-mode': 'ambient' })), undefined);
    assert.equal(meshOf(pod({}, { 'linkerd.io/inject': 'disabled' }), ns({}, { 'linkerd.io/inject': 'enabled' })), undefined);
    assert.equal(meshOf(pod({}, { 'linkerd.io/inject': 'ingress' }), undefined), 'linkerd');
  });
});
