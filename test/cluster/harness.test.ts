/** The test harness itself: a real kube-apiserver and etcd that authenticate, authorize, audit and encrypt. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import { startCluster, type Cluster } from '../support/cluster-harness.js';

/** True while a process with this id exists (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** GET as the admin client certificate instead of a token. */
function getWithClientCert(cluster: Cluster, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const { certFile, keyFile } = cluster.adminClientCert;
    https
      .get(new URL(path, cluster.url), { ca: cluster.caPem, cert: readFileSync(certFile), key: readFileSync(keyFile) }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

/** Who the API server says USER is (SelfSubjectReview, allowed to every authenticated user). */
async function whoAmI(cluster: Cluster, user: string): Promise<{ username: string; uid?: string; groups: string[] }> {
  const review = await cluster.request(user, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
  assert.equal(review.status, 201, review.text);
  return (review.json as { status: { userInfo: { username: string; uid?: string; groups: string[] } } }).status.userInfo;
}

/** The raw bytes etcd holds under KEY, through etcd's JSON gateway. */
async function etcdValue(cluster: Cluster, key: string): Promise<Buffer> {
  const response = await fetch(`${cluster.etcdUrl}/v3/kv/range`, { method: 'POST', body: JSON.stringify({ key: Buffer.from(key).toString('base64') }) });
  const body = (await response.json()) as { kvs?: { value: string }[] };
  const value = body.kvs?.[0]?.value;
  assert.ok(value, `etcd has no ${key}: ${JSON.stringify(body)}`);
  return Buffer.from(value, 'base64');
}

describe('the real API server harness', { timeout: 180_000 }, () => {
  let hardened: Cluster | undefined;
  let insecure: Cluster | undefined;
  let skip: string | undefined;

  before(async () => {
    const results = await Promise.allSettled([
      startCluster({ profile: 'hardened', users: { auditor: { groups: ['auditors', 'readers'] } } }),
      startCluster({ profile: 'insecure' }),
    ]);
    const failed = results.find((result) => result.status === 'rejected');
    const started = results.flatMap((result) => (result.status === 'fulfilled' && !('skip' in result.value) ? [result.value] : []));
    if (failed) {
      // The one that did start is stopped here rather than at process exit.
      await Promise.all(started.map((cluster) => cluster.stop()));
      throw failed.reason;
    }
    const [a, b] = results.map((result) => (result as PromiseFulfilledResult<Cluster | { skip: string }>).value) as [Cluster | { skip: string }, Cluster | { skip: string }];
    if ('skip' in a) skip = a.skip;
    else hardened = a;
    if (!('skip' in b)) insecure = b;
  });
  after(async () => {
    await hardened?.stop();
    await insecure?.stop();
  });

  it('runs the pinned release', (t) => {
    if (skip || !hardened || !insecure) return t.skip(skip);
    t.diagnostic(`ready in ${hardened.startupMs} ms (hardened) and ${insecure.startupMs} ms (insecure), started side by side`);
    assert.equal(hardened.version.gitVersion, 'v1.37.2');
    assert.equal(insecure.version.gitVersion, 'v1.37.2');
  });

  it('hardened: tokens and the client certificate authenticate, anonymous does not, RBAC authorizes', async (t) => {
    if (skip || !hardened) return t.skip(skip);
    assert.equal((await hardened.request(null, 'GET', '/api')).status, 401, 'anonymous is off');
    assert.equal((await hardened.request('not-a-token', 'GET', '/api')).status, 401);
    assert.equal((await hardened.request('nobody', 'GET', '/api/v1/namespaces')).status, 403);
    assert.equal((await hardened.request('reader', 'GET', '/api/v1/namespaces')).status, 403, 'reader has no rights until a test binds some');
    assert.equal((await hardened.request('admin', 'GET', '/api/v1/namespaces')).status, 200);
    assert.equal(await getWithClientCert(hardened, '/api/v1/namespaces'), 200, 'the admin certificate is in system:masters');
    assert.deepEqual(await whoAmI(hardened, 'admin'), { username: 'admin', uid: 'uid-admin', groups: ['system:masters', 'system:authenticated'] });
    const auditor = await whoAmI(hardened, 'auditor');
    assert.equal(auditor.username, 'auditor');
    assert.deepEqual(auditor.groups, ['auditors', 'readers', 'system:authenticated'], 'extra users get their groups');
  });

  it('hardened: stores what admin writes, audits it and encrypts Secrets in etcd', async (t) => {
    if (skip || !hardened) return t.skip(skip);
    await hardened.createNamespace('harness', { team: 'a' });
    const account = await hardened.request('admin', 'GET', '/api/v1/namespaces/harness/serviceaccounts/default');
    assert.equal(account.status, 200, 'createNamespace adds the default ServiceAccount');
    const created = await hardened.request('admin', 'POST', '/api/v1/namespaces/harness/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe' }, data: { a: 'b' } });
    assert.equal(created.status, 201, created.text);
    const read = await hardened.request('admin', 'GET', '/api/v1/namespaces/harness/configmaps/probe');
    assert.deepEqual((read.json as { data: unknown }).data, { a: 'b' });

    const events = readFileSync(hardened.auditLogPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { verb: string; level: string; user: { username: string }; objectRef?: { resource?: string; name?: string } });
    const create = events.find((event) => event.verb === 'create' && event.objectRef?.resource === 'configmaps' && event.objectRef.name === 'probe');
    assert.ok(create, 'the ConfigMap create is in the audit log');
    assert.equal(create.level, 'Metadata');
    assert.equal(create.user.username, 'admin');

    const secret = await hardened.request('admin', 'POST', '/api/v1/namespaces/harness/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: 'hunter2' } });
    assert.equal(secret.status, 201, secret.text);
    const stored = await etcdValue(hardened, '/registry/secrets/harness/s');
    assert.match(stored.subarray(0, 30).toString('latin1'), /^k8s:enc:aesgcm:v1:key1:/);
    assert.ok(!stored.includes('hunter2'));
    const configMap = await etcdValue(hardened, '/registry/configmaps/harness/probe');
    assert.ok(!configMap.toString('latin1').startsWith('k8s:enc:'), 'only Secrets are encrypted');
  });

  it('hardened: profiling is off; insecure: on', async (t) => {
    if (skip || !hardened || !insecure) return t.skip(skip);
    assert.equal((await hardened.request('admin', 'GET', '/debug/pprof/')).status, 404);
    assert.equal((await insecure.request('admin', 'GET', '/debug/pprof/')).status, 200);
    assert.ok(hardened.apiserverArgs.includes('--anonymous-auth=false'));
    assert.ok(!insecure.apiserverArgs.some((arg) => arg.startsWith('--audit-')), 'the insecure profile audits nothing');
  });

  it('insecure: anonymous requests are authenticated, and RBAC still forbids them most things', async (t) => {
    if (skip || !insecure) return t.skip(skip);
    // system:public-info-viewer lets system:unauthenticated read /version, /healthz, /readyz and /livez.
    assert.equal((await insecure.request(null, 'GET', '/version')).status, 200);
    assert.equal((await insecure.request(null, 'GET', '/api/v1/namespaces')).status, 403);
    const forbidden = (await insecure.request(null, 'GET', '/api/v1/namespaces')).json as { message: string };
    assert.match(forbidden.message, /system:anonymous/);
  });

  it('stop() ends both processes and removes the temporary folder', async (t) => {
    if (skip || !hardened || !insecure) return t.skip(skip);
    const clusters = [hardened, insecure];
    hardened = undefined;
    insecure = undefined;
    await Promise.all(clusters.map((cluster) => cluster.stop()));
    for (const cluster of clusters) {
      assert.ok(!alive(cluster.pids.apiserver), `kube-apiserver ${cluster.pids.apiserver} exited`);
      assert.ok(!alive(cluster.pids.etcd), `etcd ${cluster.pids.etcd} exited`);
      assert.ok(!existsSync(cluster.caFile), 'the temporary folder is gone');
    }
  });
});
