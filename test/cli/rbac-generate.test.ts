/** `kubeharden rbac generate --from-audit` end to end: output, --output, standard input, exit codes and messages. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { runCli } from '../support/cli-process.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('rbac-generate');
const base = { kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', stage: 'ResponseComplete', responseStatus: { code: 200 } };
const alice = { username: 'alice', groups: ['devs', 'system:authenticated'] };
const bob = { username: 'bob', groups: ['system:authenticated'] };
const events = [
  { ...base, verb: 'list', user: alice, requestURI: '/api/v1/namespaces/shop/pods', objectRef: { resource: 'pods', namespace: 'shop', apiVersion: 'v1' } },
  { ...base, verb: 'create', user: alice, requestURI: '/api/v1/namespaces/shop/pods/web/exec', objectRef: { resource: 'pods', subresource: 'exec', namespace: 'shop', name: 'web', apiVersion: 'v1' } },
  { ...base, verb: 'get', user: alice, requestURI: '/apis', responseStatus: { code: 200 } },
  { ...base, verb: 'get', user: bob, requestURI: '/api/v1/nodes/worker-1', objectRef: { resource: 'nodes', name: 'worker-1', apiVersion: 'v1' } },
];
const lines = (list: readonly object[]) => list.map((event) => JSON.stringify(event)).join('\n') + '\n';
const log = join(dir, 'audit.log');
writeFileSync(log, lines(events));

interface RbacObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: { resources?: string[]; resourceNames?: string[]; verbs: string[] }[];
  subjects?: { kind: string; name: string }[];
}
const parse = (text: string) => yaml.loadAll(text) as RbacObject[];

describe('kubeharden rbac generate', () => {
  it('writes the Role and RoleBinding of the subject, namespaced where the requests were (exit 0)', () => {
    const result = runCli(['rbac', 'generate', '--from-audit', log, '--subject', 'user:alice']);
    assert.equal(result.code, 0, result.stderr);
    const objects = parse(result.stdout);
    assert.deepEqual(objects.map((object) => `${object.kind} ${object.metadata.namespace ?? '-'} ${object.metadata.name}`), [
      'Role shop kubeharden:user:alice',
      'RoleBinding shop kubeharden:user:alice',
    ]);
    assert.deepEqual(objects[0]?.rules, [
      { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
      { apiGroups: [''], resources: ['pods/exec'], resourceNames: ['web'], verbs: ['create'] },
    ]);
    assert.deepEqual(objects[1]?.subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }]);
  });

  it('a group and a user, from a gzip log, into --output', () => {
    const gzipped = join(dir, 'audit.log.gz');
    writeFileSync(gzipped, gzipSync(lines(events)));
    const output = join(dir, 'roles.yaml');
    const result = runCli(['rbac', 'generate', '--from-audit', gzipped, '--subject', 'group:devs', '--subject', 'user:bob', '--output', output]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    const objects = parse(readFileSync(output, 'utf8'));
    assert.deepEqual(objects.map((object) => `${object.kind} ${object.metadata.name}`), [
      'Role kubeharden:group:devs',
      'RoleBinding kubeharden:group:devs',
      'ClusterRole kubeharden:user:bob',
      'ClusterRoleBinding kubeharden:user:bob',
    ]);
    assert.deepEqual(objects[2]?.rules, [{ apiGroups: [''], resources: ['nodes'], resourceNames: ['worker-1'], verbs: ['get'] }]);
  });

  it('a log on standard input', () => {
    const result = runCli(['rbac', 'generate', '--from-audit', '-', '--subject', 'sa:shop:robot'], { input: lines([{ ...events[0], user: { username: 'system:serviceaccount:shop:robot' } }]) });
    assert.equal(result.code, 0, result.stderr);
    const objects = parse(result.stdout);
    assert.deepEqual(objects[1]?.subjects, [{ kind: 'ServiceAccount', name: 'robot', namespace: 'shop' }]);
  });

  it('the same output whatever the order of the log', () => {
    const reversed = join(dir, 'reversed.log');
    writeFileSync(reversed, lines([...events].reverse()));
    const forward = runCli(['rbac', 'generate', '--from-audit', log, '--subject', 'user:alice']);
    const backward = runCli(['rbac', 'generate', '--from-audit', reversed, '--subject', 'user:alice']);
    assert.equal(backward.stdout.replaceAll(reversed, log), forward.stdout);
  });

  it('without --subject, the only user of the log', () => {
    const single = join(dir, 'single.log');
    writeFileSync(single, lines(events.filter((event) => event.user === bob)));
    const result = runCli(['rbac', 'generate', '--from-audit', single]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /name: kubeharden:user:bob/);
  });

  it('a subject whose requests every authenticated user may make: no objects, says so, exit 0', () => {
    const discovery = join(dir, 'discovery.log');
    writeFileSync(discovery, lines([events[2] as object]));
    const result = runCli(['rbac', 'generate', '--from-audit', discovery, '--subject', 'user:alice']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /User alice needs no role: every authenticated user may make its 1 request/);
  });

  const USAGE_CASES: { name: string; args: string[]; message: RegExp }[] = [
    { name: 'a subject that made no request', args: ['--from-audit', log, '--subject', 'user:carol'], message: /User carol made no request in .*audit\.log; users in the log: alice, bob/ },
    { name: 'a subject without its kind', args: ['--from-audit', log, '--subject', 'alice'], message: /--subject must be user:NAME, group:NAME or sa:NAMESPACE:NAME, not "alice"/ },
    { name: 'a service account without its namespace', args: ['--from-audit', log, '--subject', 'sa:robot'], message: /a service account is sa:NAMESPACE:NAME/ },
    { name: 'no log', args: ['--subject', 'user:alice'], message: /give the audit log to learn from/ },
    { name: 'a log that does not exist', args: ['--from-audit', join(dir, 'missing.log'), '--subject', 'user:alice'], message: /cannot read the audit log/ },
    { name: 'two users and no --subject', args: ['--from-audit', log], message: /give --subject .*users in the log: alice, bob/ },
  ];
  for (const testCase of USAGE_CASES) {
    it(`exit 2 with a clear message: ${testCase.name}`, () => {
      const result = runCli(['rbac', 'generate', ...testCase.args]);
      assert.equal(result.code, 2, result.stdout);
      assert.match(result.stderr, testCase.message);
      assert.equal(result.stdout, '');
    });
  }

  it('a damaged line: the roles of the rest are written, the line is named, exit 2', () => {
    const damaged = join(dir, 'damaged.log');
    writeFileSync(damaged, `${JSON.stringify(events[0])}\n{"kind": "Event", \n`);
    const result = runCli(['rbac', 'generate', '--from-audit', damaged, '--subject', 'user:alice']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /damaged\.log:2/);
    assert.match(result.stdout, /kind: Role\n/);
  });
});
