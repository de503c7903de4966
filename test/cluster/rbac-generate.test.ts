/**
 * `rbac generate --from-audit` proven by the real API server: a user without rights makes requests (refused, and
 * audited), kubeharden generates roles from the audit log, the roles are created, and then every request of the log
 * is allowed (SubjectAccessReview, and the reads replayed for real with the user's token), while a sample of other
 * requests — other verbs, names, namespaces, resources — is still denied.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import yaml from 'js-yaml';
import { readAuditEvents } from '../../src/audit/log/read-events.js';
import { requestOfEvent, subjectMadeRequest } from '../../src/audit/audited-request.js';
import type { AuditedRequest } from '../../src/rbac/generate.js';
import { runCliAsync } from '../support/cli-process.js';
import { createRbacObjects } from '../support/rbac-objects.js';
import { startCluster, type Cluster } from '../support/cluster-harness.js';
import { tempDir } from '../support/temp-dir.js';

const DEV = { kind: 'User', name: 'dev', namespace: null } as const;
const DEV_GROUPS = ['team', 'system:authenticated'];

/** What the user does: method, path, body. Forbidden at first; audited with their objectRef either way. */
const TRAFFIC: [string, string, unknown?][] = [
  ['GET', '/api/v1/namespaces/shop/configmaps'],
  ['GET', '/api/v1/namespaces/shop/configmaps/app'],
  ['PUT', '/api/v1/namespaces/shop/configmaps/app', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app' }, data: { a: '1' } }],
  ['POST', '/api/v1/namespaces/shop/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token' } }],
  ['GET', '/api/v1/namespaces/stage/pods'],
  ['GET', '/apis/apps/v1/namespaces/stage/deployments/web'],
  ['POST', '/api/v1/namespaces/shop/pods/web/exec?command=ls&stdout=true'],
  ['GET', '/api/v1/nodes'],
  ['GET', '/apis/storage.k8s.io/v1/storageclasses/fast'],
  ['GET', '/api/v1/namespaces/stage'],
  ['GET', '/metrics'],
  ['GET', '/apis'],
];

const resource = (verb: string, res: string, namespace = '', name = '', subresource = '', group = '') => ({ verb, resource: res, namespace, name, subresource, group });
/** Requests dev never made: each must stay denied. */
const OTHERS = [
  resource('delete', 'configmaps', 'shop', 'app'),
  resource('watch', 'configmaps', 'shop'),
  resource('list', 'configmaps', 'stage'),
  resource('update', 'configmaps', 'shop', 'other'),
  resource('get', 'secrets', 'shop', 'token'),
  resource('list', 'secrets', 'shop'),
  resource('list', 'pods', 'shop'),
  resource('create', 'pods', 'shop', '', 'exec', ''),
  resource('create', 'pods', 'shop', 'db', 'exec'),
  resource('get', 'deployments', 'stage', 'api', '', 'apps'),
  resource('update', 'deployments', 'stage', 'web', '', 'apps'),
  resource('get', 'nodes', '', 'worker-1'),
  resource('delete', 'nodes', '', 'worker-1'),
  resource('get', 'storageclasses', '', 'slow', '', 'storage.k8s.io'),
  resource('get', 'namespaces', 'shop', 'shop'),
  resource('create', 'clusterroles', '', '', '', 'rbac.authorization.k8s.io'),
];

describe('rbac generate against the real authorizer', { timeout: 240_000 }, () => {
  let cluster: Cluster | undefined;
  let skip: string | undefined;
  const dir = tempDir('rbac-generate-cluster');
  let made: AuditedRequest[] = [];
  let generated: { code: number | null; stderr: string; objects: { kind: string; metadata: { namespace?: string } }[] };

  async function allowed(user: string, groups: string[], request: AuditedRequest | ReturnType<typeof resource>): Promise<boolean> {
    const spec = 'path' in request && request.path !== ''
      ? { user, groups, nonResourceAttributes: { verb: request.verb, path: request.path } }
      : { user, groups, resourceAttributes: { verb: request.verb, group: request.group, resource: request.resource, subresource: request.subresource, name: request.name, namespace: request.namespace } };
    const review = await (cluster as Cluster).request('admin', 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec });
    assert.equal(review.status, 201, review.text);
    return (review.json as { status: { allowed: boolean } }).status.allowed;
  }

  before(async () => {
    const started = await startCluster({ profile: 'hardened', users: { dev: { groups: ['team'] }, other: { groups: ['team'] } } });
    if ('skip' in started) {
      skip = started.skip;
      return;
    }
    cluster = started;
    await cluster.createNamespace('shop');
    await cluster.createNamespace('stage');
    for (const [method, path, body] of TRAFFIC) {
      const response = await cluster.request('dev', method, path, body);
      // Only discovery is open to a user without roles.
      assert.equal(response.status === 403, path !== '/apis', `${method} ${path} before: ${response.status}`);
    }
    await cluster.request('other', 'GET', '/api/v1/namespaces/shop/secrets');
    const log = cluster.auditLogPath;
    for await (const { event } of readAuditEvents(log, [])) {
      const request = requestOfEvent(event);
      if (request && subjectMadeRequest(DEV, event)) made.push(request);
    }
    const output = join(dir, 'roles.yaml');
    const result = await runCliAsync(['rbac', 'generate', '--from-audit', log, '--subject', 'user:dev', '--output', output]);
    generated = { code: result.code, stderr: result.stderr, objects: result.code === 0 ? (yaml.loadAll(readFileSync(output, 'utf8')) as typeof generated.objects) : [] };
    await createRbacObjects(cluster, generated.objects);
  });
  after(async () => {
    await cluster?.stop();
  });

  it('the audit log holds every request of the user, and roles are generated for them', (t) => {
    if (skip || !cluster) return t.skip(skip);
    made = [...new Map(made.map((request) => [JSON.stringify(request), request])).values()];
    t.diagnostic(`${made.length} distinct requests of dev in the log; ${generated.objects.length} objects generated`);
    assert.equal(generated.code, 0, generated.stderr);
    assert.equal(made.length, TRAFFIC.length);
    assert.deepEqual(generated.objects.map((object) => `${object.kind} ${object.metadata.namespace ?? ''}`), [
      'ClusterRole ', 'ClusterRoleBinding ', 'Role shop', 'RoleBinding shop', 'Role stage', 'RoleBinding stage',
    ]);
  });

  it('every request of the log is now allowed (SubjectAccessReview)', async (t) => {
    if (skip || !cluster) return t.skip(skip);
    for (const request of made) assert.ok(await allowed('dev', DEV_GROUPS, request), JSON.stringify(request));
  });

  it('replayed for real with the user\'s token, none is forbidden any more', async (t) => {
    if (skip || !cluster) return t.skip(skip);
    for (const [method, path, body] of TRAFFIC) {
      const response = await cluster.request('dev', method, path, body);
      assert.notEqual(response.status, 403, `${method} ${path}: ${response.text}`);
    }
  });

  it('a sample of other requests stays denied, and nobody else gained anything', async (t) => {
    if (skip || !cluster) return t.skip(skip);
    const wronglyAllowed = [];
    for (const request of OTHERS) if (await allowed('dev', DEV_GROUPS, request)) wronglyAllowed.push(request);
    assert.deepEqual(wronglyAllowed, []);
    assert.equal(await allowed('dev', DEV_GROUPS, { ...resource('get', ''), path: '/logs' } as AuditedRequest), false);
    for (const request of made.filter((candidate) => candidate.path !== '/apis')) assert.equal(await allowed('other', DEV_GROUPS, request), false, JSON.stringify(request));
    t.diagnostic(`${OTHERS.length + 1} other requests denied; ${made.length - 1} requests denied to another user of the same group`);
  });
});
