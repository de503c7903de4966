/** The test harness itself: a real kube-apiserver and etcd that authenticate, authorize and audit. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startCluster, type Cluster } from '../support/cluster-harness.js';

describe('the real API server harness', { timeout: 120_000 }, () => {
  let hardened: Cluster | undefined;
  let insecure: Cluster | undefined;
  let skip: string | undefined;

  before(async () => {
    const [a, b] = await Promise.all([startCluster({ profile: 'hardened' }), startCluster({ profile: 'insecure' })]);
    if ('skip' in a) skip = a.skip;
    else hardened = a;
    if (!('skip' in b)) insecure = b;
  });
  after(async () => {
    await hardened?.stop();
    await insecure?.stop();
  });

  it('runs the pinned release, authenticates tokens and authorizes with RBAC', async (t) => {
    if (skip || !hardened) return t.skip(skip);
    const version = await hardened.request('admin', 'GET', '/version');
    assert.equal((version.json as { gitVersion: string }).gitVersion, 'v1.37.2');
    assert.equal((await hardened.request(null, 'GET', '/api')).status, 401, 'anonymous is off');
    assert.equal((await hardened.request('nobody', 'GET', '/api/v1/namespaces')).status, 403);
    assert.equal((await hardened.request('not-a-token', 'GET', '/api')).status, 401);
    await hardened.createNamespace('harness');
    const created = await hardened.request('admin', 'POST', '/api/v1/namespaces/harness/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe' }, data: { a: 'b' } });
    assert.equal(created.status, 201, created.text);
    const read = await hardened.request('admin', 'GET', '/api/v1/namespaces/harness/configmaps/probe');
    assert.deepEqual((read.json as { data: unknown }).data, { a: 'b' });
    const audit = readFileSync(hardened.auditLogPath, 'utf8');
    assert.match(audit, /"verb":"create".*"resource":"configmaps".*"name":"probe"/);
  });

  it('the insecure profile serves anonymous requests (and RBAC still forbids them most things)', async (t) => {
    if (skip || !insecure) return t.skip(skip);
    assert.equal((await insecure.request(null, 'GET', '/version')).status, 200);
    assert.equal((await insecure.request(null, 'GET', '/api/v1/namespaces')).status, 403);
  });

  it('stops cleanly', async (t) => {
    if (skip || !hardened) return t.skip(skip);
    const url = hardened.url;
    await hardened.stop();
    hardened = undefined;
    await assert.rejects(() => fetch(`${url}/readyz`), 'nothing listens after stop');
  });
});
