/**
 * `rbac generate --from-audit` proven by the real API server: a user without rights makes requests (refused, and
 * audited), kubeharden generates roles from the audit log, the roles are created, and then every request of the log
 * is allowed (SubjectAccessReview, and the reads replayed for real with the user's token), while a sample of other
 * requests — other verbs, names, namespaces, resources — is still denied.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { readAuditEvents } from '../../src/audit/log/read-events.js';
import { requestOfEvent, subjectMadeRequest } from '../../src/audit/audited-request.js';
import type { AuditedRequest } from '../../src/rbac/generate.js';
import type { RbacSubject } from '../../src/rbac/model.js';
import { runCliAsync } from '../support/cli-process.js';
import { createRbacObjects } from '../support/rbac-objects.js';
import type { Cluster } from '../support/cluster-harness.js';
import { useCluster } from '../support/use-cluster.js';
import { tempDir } from '../support/temp-dir.js';

/** Who makes the traffic: a static user, and a ServiceAccount with a bound token (its username and groups as the API server sees them). */
interface Caller {
  readonly subject: RbacSubject;
  readonly argument: string;
  readonly user: string;
  readonly groups: string[];
  /** A static user's name, or the bearer token (set once the token is issued). */
  credential: string;
}
const CALLERS: Caller[] = [
  { subject: { kind: 'User', name: 'dev', namespace: null }, argument: 'user:dev', user: 'dev', groups: ['team', 'system:authenticated'], credential: 'dev' },
  { subject: { kind: 'ServiceAccount', name: 'robot', namespace: 'shop' }, argument: 'sa:shop:robot', user: 'system:serviceaccount:shop:robot', groups: ['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:authenticated'], credential: '' },
];

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
  const dir = tempDir('rbac-generate-cluster');
  const made = new Map<Caller, AuditedRequest[]>();
  let generated: { code: number | null; stderr: string; objects: { kind: string; metadata: { name: string; namespace?: string } }[] };

  async function allowed(cluster: Cluster, user: string, groups: string[], request: AuditedRequest | ReturnType<typeof resource>): Promise<boolean> {
    const spec = 'path' in request && request.path !== ''
      ? { user, groups, nonResourceAttributes: { verb: request.verb, path: request.path } }
      : { user, groups, resourceAttributes: { verb: request.verb, group: request.group, resource: request.resource, subresource: request.subresource, name: request.name, namespace: request.namespace } };
    const review = await cluster.request('admin', 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec });
    assert.equal(review.status, 201, review.text);
    return (review.json as { status: { allowed: boolean } }).status.allowed;
  }

  const shared = useCluster({ profile: 'hardened', users: { dev: { groups: ['team'] }, other: { groups: ['team'] } } }, async (cluster) => {
    await cluster.createNamespace('shop');
    await cluster.createNamespace('stage');
    assert.equal((await cluster.request('admin', 'POST', '/api/v1/namespaces/shop/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot' } })).status, 201);
    const token = await cluster.request('admin', 'POST', '/api/v1/namespaces/shop/serviceaccounts/robot/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} });
    assert.equal(token.status, 201, token.text);
    (CALLERS[1] as Caller).credential = (token.json as { status: { token: string } }).status.token;
    for (const caller of CALLERS) {
      for (const [method, path, body] of TRAFFIC) {
        const response = await cluster.request(caller.credential, method, path, body);
        // Only discovery is open to a subject without roles.
        assert.equal(response.status === 403, path !== '/apis', `${caller.user} ${method} ${path} before: ${response.status}`);
      }
    }
    await cluster.request('other', 'GET', '/api/v1/namespaces/shop/secrets');
    const log = cluster.auditLogPath;
    for await (const { event } of readAuditEvents(log, [])) {
      const request = requestOfEvent(event);
      for (const caller of CALLERS) if (request && subjectMadeRequest(caller.subject, event)) made.set(caller, [...(made.get(caller) ?? []), request]);
    }
    const output = join(dir, 'roles.yaml');
    const result = await runCliAsync(['rbac', 'generate', '--from-audit', log, ...CALLERS.flatMap((caller) => ['--subject', caller.argument]), '--output', output]);
    generated = { code: result.code, stderr: result.stderr, objects: result.code === 0 ? (yaml.loadAll(readFileSync(output, 'utf8')) as typeof generated.objects) : [] };
    await createRbacObjects(cluster, generated.objects);
  });

  it('the audit log holds every request of each subject, and roles are generated for them', (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    assert.equal(generated.code, 0, generated.stderr);
    for (const caller of CALLERS) {
      const distinct = new Set((made.get(caller) ?? []).map((request) => JSON.stringify(request)));
      t.diagnostic(`${caller.user}: ${distinct.size} distinct requests in the log`);
      assert.equal(distinct.size, TRAFFIC.length);
    }
    t.diagnostic(`${generated.objects.length} objects generated`);
    assert.deepEqual(generated.objects.map((object) => `${object.kind} ${object.metadata.namespace ?? ''} ${object.metadata.name}`), CALLERS.flatMap((caller) => {
      const name = caller.subject.kind === 'User' ? 'kubeharden:user:dev' : 'kubeharden:sa:shop:robot';
      return [`ClusterRole  ${name}`, `ClusterRoleBinding  ${name}`, `Role shop ${name}`, `RoleBinding shop ${name}`, `Role stage ${name}`, `RoleBinding stage ${name}`];
    }));
  });

  for (const caller of CALLERS) {
    it(`${caller.argument}: every request of the log is now allowed (SubjectAccessReview)`, async (t) => {
      const cluster = shared.ready(t);
    if (!cluster) return;
      for (const request of made.get(caller) ?? []) assert.ok(await allowed(cluster, caller.user, caller.groups, request), JSON.stringify(request));
    });

    it(`${caller.argument}: replayed for real with its token, none is forbidden any more`, async (t) => {
      const cluster = shared.ready(t);
    if (!cluster) return;
      for (const [method, path, body] of TRAFFIC) {
        const response = await cluster.request(caller.credential, method, path, body);
        assert.notEqual(response.status, 403, `${method} ${path}: ${response.text}`);
      }
    });

    it(`${caller.argument}: a sample of other requests stays denied`, async (t) => {
      const cluster = shared.ready(t);
    if (!cluster) return;
      const wronglyAllowed = [];
      for (const request of OTHERS) if (await allowed(cluster, caller.user, caller.groups, request)) wronglyAllowed.push(request);
      assert.deepEqual(wronglyAllowed, []);
      assert.equal(await allowed(cluster, caller.user, caller.groups, { ...resource('get', ''), path: '/logs' } as AuditedRequest), false);
      t.diagnostic(`${OTHERS.length + 1} other requests denied`);
    });
  }

  it('nobody else gained anything: another user of the same groups is refused every request', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const distinct = new Map((made.get(CALLERS[0] as Caller) ?? []).map((request) => [JSON.stringify(request), request]));
    const requests = [...distinct.values()].filter((candidate) => candidate.path !== '/apis');
    for (const request of requests) assert.equal(await allowed(cluster, 'other', ['team', 'system:serviceaccounts', 'system:authenticated'], request), false, JSON.stringify(request));
    t.diagnostic(`${requests.length} requests denied to another user`);
  });
});
