/** Volume estimates: requests re-classified per policy and costed per stage, with exact arithmetic on small logs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditEvent, LoggedEvent } from '../../../src/audit/event.js';
import { VolumeEstimator } from '../../../src/audit/estimate/estimate.js';
import { parseAuditPolicies } from '../../../src/audit/policy/load.js';
import { requestFromEvent, parseApiPath } from '../../../src/audit/policy/request.js';
import type { AuditPolicy } from '../../../src/audit/policy/types.js';
import type { InputError } from '../../../src/loader/source.js';

function policy(body: string): AuditPolicy {
  const errors: InputError[] = [];
  const [parsed] = parseAuditPolicies('p.yaml', Buffer.from(`apiVersion: audit.k8s.io/v1\nkind: Policy\n${body}`), errors);
  assert.deepEqual(errors, []);
  return parsed as AuditPolicy;
}

function logged(event: AuditEvent): LoggedEvent {
  return { event, file: 'audit.log', line: 1, bytes: Buffer.byteLength(JSON.stringify(event)) + 1 };
}

const user = { username: 'alice', groups: ['system:authenticated'] };
const secret = { kind: 'Secret', apiVersion: 'v1', metadata: { name: 's', namespace: 'a' }, data: { password: 'c2VjcmV0' } };

function secretGet(id: string, withBody: boolean, time: string): LoggedEvent[] {
  const base = { auditID: id, verb: 'get', user, requestURI: '/api/v1/namespaces/a/secrets/s', objectRef: { resource: 'secrets', namespace: 'a', name: 's', apiVersion: 'v1' }, requestReceivedTimestamp: time, stageTimestamp: time };
  return [
    logged({ ...base, stage: 'RequestReceived', level: withBody ? 'RequestResponse' : 'Metadata' }),
    logged({ ...base, stage: 'ResponseComplete', level: withBody ? 'RequestResponse' : 'Metadata', responseStatus: { code: 200 }, ...(withBody ? { responseObject: secret } : {}) }),
  ];
}

describe('request attributes from events', () => {
  it('reads objectRef, and the authenticated (not the impersonated) user', () => {
    const request = requestFromEvent({ verb: 'create', user, impersonatedUser: { username: 'bob' }, requestURI: '/api/v1/namespaces/a/pods/p/exec?command=sh', objectRef: { resource: 'pods', subresource: 'exec', namespace: 'a', name: 'p' } });
    assert.deepEqual(request, { user: { name: 'alice', groups: ['system:authenticated'] }, verb: 'create', resourceRequest: true, namespace: 'a', apiGroup: '', resource: 'pods', subresource: 'exec', name: 'p', path: '/api/v1/namespaces/a/pods/p/exec' });
  });
  it('treats an event without a username as failed authentication', () => {
    assert.equal(requestFromEvent({ verb: 'get', user: {}, requestURI: '/api' }).user, null);
  });
  const paths: readonly [string, ReturnType<typeof parseApiPath>][] = [
    ['/healthz', { resourceRequest: false, namespace: '', apiGroup: '', resource: '', subresource: '', name: '' }],
    ['/api', { resourceRequest: false, namespace: '', apiGroup: '', resource: '', subresource: '', name: '' }],
    ['/apis/apps/v1', { resourceRequest: false, namespace: '', apiGroup: '', resource: '', subresource: '', name: '' }],
    ['/api/v1/pods', { resourceRequest: true, namespace: '', apiGroup: '', resource: 'pods', subresource: '', name: '' }],
    ['/api/v1/namespaces/a/pods/p/log', { resourceRequest: true, namespace: 'a', apiGroup: '', resource: 'pods', subresource: 'log', name: 'p' }],
    ['/apis/apps/v1/namespaces/a/deployments/d/scale', { resourceRequest: true, namespace: 'a', apiGroup: 'apps', resource: 'deployments', subresource: 'scale', name: 'd' }],
    ['/api/v1/namespaces/kube-system', { resourceRequest: true, namespace: 'kube-system', apiGroup: '', resource: 'namespaces', subresource: '', name: 'kube-system' }],
    ['/apis/rbac.authorization.k8s.io/v1/clusterroles/edit', { resourceRequest: true, namespace: '', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', subresource: '', name: 'edit' }],
  ];
  for (const [path, expected] of paths) it(`parses ${path}`, () => assert.deepEqual(parseApiPath(path), expected));
});

describe('volume estimates', () => {
  const everything = policy('rules:\n- level: RequestResponse\n');
  const metadataOnce = policy('omitStages: ["RequestReceived"]\nrules:\n- level: None\n  verbs: ["watch"]\n- level: Metadata\n');

  it('costs each stage and body exactly from a RequestResponse recording', () => {
    const events = secretGet('1', true, '2026-01-01T00:00:00Z');
    const estimator = new VolumeEstimator([everything, metadataOnce]);
    for (const event of events) estimator.add(event);
    const result = estimator.finish();
    const body = JSON.stringify(secret).length + 18;
    const [received, completed] = events as [LoggedEvent, LoggedEvent];
    assert.equal(result.requests, 1);
    assert.equal(result.recordedEvents, 2);
    const [full, lean] = result.policies;
    assert.equal(full?.events, 2);
    assert.equal(full?.bytes, received.bytes + completed.bytes, 'replayed under the policy that recorded it: exactly the log');
    assert.equal(full?.estimatedBodies, 0);
    assert.equal(lean?.events, 1);
    assert.equal(lean?.bytes, completed.bytes - body, 'the completed event without its body');
    assert.deepEqual(lean?.rules.map((rule) => [rule.index, rule.requests, rule.events]), [[1, 1, 1]]);
  });

  it('re-classifies requests recorded at a lower level and estimates their bodies from similar requests', () => {
    const estimator = new VolumeEstimator([everything]);
    for (const event of [...secretGet('1', true, '2026-01-01T00:00:00Z'), ...secretGet('2', false, '2026-01-01T00:10:00Z')]) estimator.add(event);
    const result = estimator.finish();
    assert.equal(result.policies[0]?.events, 4);
    assert.equal(result.policies[0]?.estimatedBodies, 1, 'the second get had no body recorded: its size is the first one\'s');
    assert.equal(result.spanSeconds, 600);
    assert.equal(result.policies[0]?.eventsPerDay, 4 * 144);
  });

  it('gives watches and exec a ResponseStarted event, and drops what a None rule matches', () => {
    const watch = { auditID: 'w', verb: 'watch', user, requestURI: '/api/v1/pods?watch=1', objectRef: { resource: 'pods' }, stage: 'ResponseComplete' };
    const exec = { auditID: 'e', verb: 'create', user, requestURI: '/api/v1/namespaces/a/pods/p/exec?command=sh', objectRef: { resource: 'pods', subresource: 'exec', namespace: 'a', name: 'p' }, stage: 'ResponseStarted' };
    const estimator = new VolumeEstimator([everything, metadataOnce]);
    estimator.add(logged(watch));
    estimator.add(logged(exec));
    estimator.add(logged({ ...exec, stage: 'ResponseComplete' }));
    const result = estimator.finish();
    assert.equal(result.requests, 2);
    assert.equal(result.policies[0]?.events, 6, 'RequestReceived, ResponseStarted and ResponseComplete for each');
    assert.equal(result.policies[1]?.events, 2, 'the watch is dropped; exec keeps ResponseStarted and ResponseComplete');
    assert.equal(result.policies[1]?.rules.find((rule) => rule.index === 0)?.requests, 1);
  });

  it('subtracts managedFields when the policy omits them', () => {
    const pod = { kind: 'Pod', metadata: { name: 'p', managedFields: [{ manager: 'kubectl', operation: 'Update', fieldsV1: { 'f:spec': { 'f:containers': {} } } }] }, spec: {} };
    const create = { auditID: 'c', verb: 'create', user, requestURI: '/api/v1/namespaces/a/pods', objectRef: { resource: 'pods', namespace: 'a' }, stage: 'ResponseComplete', requestObject: pod, responseObject: pod };
    const keep = policy('rules:\n- level: RequestResponse\n  omitStages: ["RequestReceived"]\n');
    const omit = policy('omitManagedFields: true\nrules:\n- level: RequestResponse\n  omitStages: ["RequestReceived"]\n');
    const estimator = new VolumeEstimator([keep, omit]);
    estimator.add(logged(create));
    const [kept, omitted] = estimator.finish().policies;
    const managed = (JSON.stringify(pod.metadata.managedFields).length + 17) * 2;
    assert.equal((kept?.bytes ?? 0) - (omitted?.bytes ?? 0), managed);
  });
});
