import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { control } from '../../../src/controls/workload/missing-service-account.js';
import { assertCompleteMetadata } from '../../support/control-tester.js';
import { scanAll } from '../../support/scan-text.js';

const workload = (name: string, namespace: string | null, spec: object, kind = 'Deployment') =>
  JSON.stringify(
    kind === 'Pod'
      ? { apiVersion: 'v1', kind, metadata: { name, ...(namespace ? { namespace } : {}) }, spec: { containers: [{ name: 'c', image: 'x:1' }], ...spec } }
      : {
          apiVersion: 'apps/v1',
          kind,
          metadata: { name, ...(namespace ? { namespace } : {}) },
          spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x:1' }], ...spec } } },
        },
  );
const serviceAccount = (name: string, namespace: string | null) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, ...(namespace ? { namespace } : {}) } });

async function missing(text: string, options: { namespaceObjectsElsewhere?: boolean } = {}) {
  const result = await scanAll(text, options);
  assert.deepEqual(result.errors, []);
  return result.findings.filter((finding) => finding.controlId === control.meta.id);
}

describe(`${control.meta.id} (inventory)`, () => {
  it('has complete metadata', () => assertCompleteMetadata(control.meta));

  const text = [
    workload('defined', 'shop', { serviceAccountName: 'storefront' }),
    serviceAccount('storefront', 'shop'),
    workload('implicit-default', 'shop', {}),
    workload('explicit-default', 'shop', { serviceAccountName: 'default' }),
    workload('ghost', 'shop', { serviceAccountName: 'ghost' }),
    workload('deprecated-spelling', 'shop', { serviceAccount: 'phantom' }, 'Pod'),
    // Defined, but in another namespace: a pod can only use its own namespace's accounts.
    workload('other-namespace', 'billing', { serviceAccountName: 'storefront' }),
    workload('no-namespace', null, { serviceAccountName: 'builder' }),
    serviceAccount('builder', null),
  ].join('\n---\n');

  it('reports only named accounts the input does not define in the pod\'s namespace, at the field that names them', async () => {
    const found = await missing(text);
    assert.deepEqual(
      found.map((f) => [f.resource.name, f.field]),
      [
        ['ghost', 'spec.template.spec.serviceAccountName'],
        ['deprecated-spelling', 'spec.serviceAccount'],
        ['other-namespace', 'spec.template.spec.serviceAccountName'],
      ],
    );
    assert.equal(found[0]?.message, 'pod runs as ServiceAccount ghost, which is not among the scanned files in namespace shop');
    assert.equal(found[0]?.severity, 'low');
    const lines = text.split('\n');
    for (const finding of found) assert.match(lines[finding.location.line - 1] ?? '', /serviceAccount/);
  });

  it('does not run when namespace-level objects live elsewhere', async () => {
    assert.deepEqual(await missing(text, { namespaceObjectsElsewhere: true }), []);
  });

  it('finds the ServiceAccount wherever it comes in the stream (after the workload too)', async () => {
    const later = [workload('early', 'shop', { serviceAccountName: 'late' }), serviceAccount('late', 'shop')].join('\n---\n');
    assert.deepEqual(await missing(later), []);
  });
});
