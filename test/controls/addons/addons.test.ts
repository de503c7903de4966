/** Kubernetes Dashboard and Tiller found by their images, with version, risky flags and exposure. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { control as dashboard } from '../../../src/controls/addons/dashboard.js';
import { control as tiller } from '../../../src/controls/addons/tiller.js';
import { findAddons, tagVersion } from '../../../src/kube/addons.js';
import { assertCompleteMetadata } from '../../support/control-tester.js';
import { needsShared, sharedPath } from '../../support/paths.js';
import { scanAll } from '../../support/scan-text.js';

const deployment = (name: string, image: string, args: string[] = [], labels: Record<string, string> = { app: name }, namespace = 'tools') =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image, args }] } } },
  });
const service = (name: string, type: string, selector: Record<string, string>, namespace = 'tools') =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { type, selector, ports: [{ port: 443 }] } });
const ingress = (name: string, serviceName: string, apiVersion = 'networking.k8s.io/v1', namespace = 'tools') =>
  JSON.stringify({
    apiVersion,
    kind: 'Ingress',
    metadata: { name, namespace },
    spec: {
      tls: [{ hosts: ['d.example.com'] }],
      rules: [{ host: 'd.example.com', http: { paths: [{ path: '/', backend: apiVersion === 'networking.k8s.io/v1' ? { service: { name: serviceName, port: { number: 443 } } } : { serviceName, servicePort: 443 } }] } }],
    },
  });

async function messages(controlId: string, ...documents: string[]) {
  const result = await scanAll(documents.join('\n---\n'));
  assert.deepEqual(result.errors, []);
  return result.findings.filter((f) => f.controlId === controlId).map((f) => [f.resource.name, f.field, f.message]);
}

describe('add-on images', () => {
  const cases: [string, string | undefined][] = [
    ['kubernetesui/dashboard:v2.7.0', 'dashboard'],
    ['docker.io/kubernetesui/dashboard-web:1.6.0', 'dashboard'],
    ['k8s.gcr.io/kubernetes-dashboard-amd64:v1.10.1', 'dashboard'],
    ['gcr.io/google_containers/kubernetes-dashboard-arm64:v1.8.3', 'dashboard'],
    ['mirror.example.com/kubernetesui/dashboard:v2.0.0@sha256:abc', 'dashboard'],
    ['gcr.io/kubernetes-helm/tiller:v2.16.12', 'tiller'],
    ['ghcr.io/helm/tiller:v2.17.0', 'tiller'],
    ['kubernetesui/metrics-scraper:v1.0.8', undefined],
    ['example.com/my-dashboard:1.0', undefined],
    ['example.com/tiller:1.0', undefined],
    ['alpine/helm:3.14.0', undefined],
  ];
  for (const [image, addon] of cases) {
    it(`${image} → ${addon ?? 'none'}`, () => {
      const found = findAddons({ containers: [{ name: 'c', image }] }, ['spec']);
      assert.deepEqual(found.map((f) => f.addon), addon ? [addon] : []);
    });
  }
  it('reads versions from tags', () => {
    assert.deepEqual(tagVersion('v1.10.1'), { major: 1, minor: 10 });
    assert.deepEqual(tagVersion('2.7.0-beta'), { major: 2, minor: 7 });
    assert.equal(tagVersion('latest'), undefined);
    assert.equal(tagVersion(undefined), undefined);
  });
});

describe(`${dashboard.meta.id} (inventory)`, () => {
  it('has complete metadata', () => {
    assertCompleteMetadata(dashboard.meta);
    assertCompleteMetadata(tiller.meta);
  });

  it('names the version, the 1.x risk and the login flags; --enable-skip-login=false is off', async () => {
    assert.deepEqual(await messages('ADDON-NO-DASHBOARD', deployment('old', 'k8s.gcr.io/kubernetes-dashboard-amd64:v1.8.3', ['--enable-skip-login', '--enable-insecure-login=true'])), [
      [
        'old',
        'spec.template.spec.containers[0].image',
        'Kubernetes Dashboard is deployed (container "old"): version v1.8.3; a 1.x release, whose Skip button signs visitors in as the Dashboard itself (CVE-2018-18264 before v1.10.1); it runs with --enable-skip-login; it runs with --enable-insecure-login=true; no NodePort or LoadBalancer Service or Ingress among the scanned files exposes it',
      ],
    ]);
    const off = await messages('ADDON-NO-DASHBOARD', deployment('new', 'kubernetesui/dashboard', ['--enable-skip-login=false']));
    assert.equal(off[0]?.[2], 'Kubernetes Dashboard is deployed (container "new"): version unknown (image kubernetesui/dashboard); no NodePort or LoadBalancer Service or Ingress among the scanned files exposes it');
  });

  it('names what exposes it: NodePort and LoadBalancer Services, and Ingresses routing to any Service that selects it', async () => {
    const labels = { 'k8s-app': 'kubernetes-dashboard' };
    const found = await messages(
      'ADDON-NO-DASHBOARD',
      deployment('dash', 'kubernetesui/dashboard:v2.7.0', [], labels),
      service('dash-np', 'NodePort', labels),
      service('dash-internal', 'ClusterIP', labels),
      ingress('dash-ing', 'dash-internal', 'extensions/v1beta1'),
      // Not exposure: a ClusterIP Service nothing routes to, a Service of another namespace, one that selects other pods.
      service('dash-lb-elsewhere', 'LoadBalancer', labels, 'other'),
      service('other-lb', 'LoadBalancer', { app: 'shop' }),
    );
    assert.match(found[0]?.[2] ?? '', /version v2\.7\.0; exposed outside the cluster through Service dash-np of type NodePort and Ingress dash-ing through Service dash-internal$/);
  });

  it('reports Tiller with its version and exposure, and nothing else', async () => {
    const found = await messages(
      'ADDON-NO-TILLER',
      deployment('tiller-deploy', 'gcr.io/kubernetes-helm/tiller:v2.16.12', [], { app: 'helm', name: 'tiller' }, 'kube-system'),
      service('tiller-deploy', 'LoadBalancer', { app: 'helm', name: 'tiller' }, 'kube-system'),
      deployment('web', 'nginx:1.27'),
    );
    assert.deepEqual(found, [
      ['tiller-deploy', 'spec.template.spec.containers[0].image', 'Helm v2 Tiller is deployed (container "tiller-deploy"): version v2.16.12; exposed outside the cluster through Service tiller-deploy of type LoadBalancer'],
    ]);
    assert.deepEqual(await messages('ADDON-NO-DASHBOARD', deployment('tiller-deploy', 'ghcr.io/helm/tiller:v2.17.0')), []);
  });

  it('finds the Dashboard of the real recommended.yaml (v2.0.0-rc4), behind a ClusterIP Service only', { skip: needsShared }, async () => {
    const text = readFileSync(sharedPath('corpus', 'real-world', 'kubernetes-dashboard', 'recommended.yaml'), 'utf8');
    const result = await scanAll(text);
    const found = result.findings.filter((f) => f.controlId === 'ADDON-NO-DASHBOARD');
    assert.deepEqual(found.map((f) => [f.resource.name, f.field, f.location.line]), [['kubernetes-dashboard', 'spec.template.spec.containers[0].image', 190]]);
    assert.match(found[0]?.message ?? '', /version v2\.0\.0-rc4; no NodePort or LoadBalancer Service or Ingress among the scanned files exposes it$/);
    assert.equal(result.findings.filter((f) => f.controlId === 'ADDON-NO-TILLER').length, 0);
  });
});
