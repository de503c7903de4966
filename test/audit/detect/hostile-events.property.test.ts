/**
 * Audit events are input: any field may hold any JSON value. The reader checks each event's shape once, reports
 * the ones with wrong types at their line and skips them; every event it lets through is one the detections, the
 * estimator and the lint can read without a TypeError.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createDetector } from '../../../src/audit/detect/engine.js';
import { DEFAULT_DETECTION_SETTINGS } from '../../../src/audit/detect/rule.js';
import { DETECTION_RULES } from '../../../src/audit/detect/rules/index.js';
import { detectionFinding } from '../../../src/audit/detect/finding.js';
import { VolumeEstimator } from '../../../src/audit/estimate/estimate.js';
import { parseAuditPolicies } from '../../../src/audit/policy/load.js';
import { RECOMMENDED_POLICY_YAML } from '../../../src/audit/policy/recommended.js';
import { parseInPieces } from '../log/support.js';

const base = {
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'RequestResponse',
  auditID: 'a1',
  stage: 'ResponseComplete',
  requestURI: '/api/v1/namespaces/kube-system/pods/p/exec?command=sh',
  verb: 'create',
  user: { username: 'alice', uid: 'u', groups: ['system:masters'], extra: { scopes: ['x'] } },
  impersonatedUser: { username: 'system:admin', groups: ['system:masters'] },
  sourceIPs: ['203.0.113.7'],
  userAgent: 'kubectl',
  objectRef: { resource: 'pods', namespace: 'kube-system', name: 'p', apiGroup: '', apiVersion: 'v1', subresource: 'exec' },
  responseStatus: { code: 403, status: 'Failure', reason: 'Forbidden', message: 'no' },
  requestObject: { kind: 'Pod', metadata: { name: 'p' }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }] } },
  responseObject: { kind: 'Pod' },
  requestReceivedTimestamp: '2026-03-01T10:00:00.000000Z',
  stageTimestamp: '2026-03-01T10:00:00.100000Z',
  annotations: { 'authorization.k8s.io/decision': 'allow' },
};

/** Where a hostile value can go: every top-level field, and every field of the nested objects. */
const PATHS: readonly (readonly string[])[] = [
  ...Object.keys(base).map((field) => [field]),
  ...['username', 'uid', 'groups', 'extra'].flatMap((field) => [['user', field], ['impersonatedUser', field]]),
  ...Object.keys(base.objectRef).map((field) => ['objectRef', field]),
  ...Object.keys(base.responseStatus).map((field) => ['responseStatus', field]),
  ['annotations', 'authorization.k8s.io/decision'],
  ['requestObject', 'spec'],
];

function withValue(path: readonly string[], value: unknown): Record<string, unknown> {
  const event = structuredClone(base) as Record<string, unknown>;
  let at = event;
  for (const step of path.slice(0, -1)) at = at[step] as Record<string, unknown>;
  at[path[path.length - 1] as string] = value;
  return event;
}

const RECOMMENDED = parseAuditPolicies('recommended.yaml', Buffer.from(RECOMMENDED_POLICY_YAML), []);

/** Runs every detection and the volume estimator over a log; returns the parser's errors. Throws on a crash. */
function run(lines: readonly unknown[]) {
  const { events, errors } = parseInPieces(Buffer.from(lines.map((line) => JSON.stringify(line)).join('\n') + '\n'), []);
  const detector = createDetector(DETECTION_RULES, { ...DEFAULT_DETECTION_SETTINGS, burstThreshold: 2 }, (hit) => detectionFinding(hit));
  for (const logged of events) detector.event(logged);
  detector.end();
  const estimator = new VolumeEstimator(RECOMMENDED);
  for (const logged of events) estimator.add(logged);
  estimator.finish();
  return { events, errors };
}

describe('audit events with fields of the wrong type', () => {
  it('never crash the detector or the estimator, whatever JSON value sits in any field', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...PATHS), fc.jsonValue({ maxDepth: 3 })), { minLength: 1, maxLength: 4 }), (hostile) => {
        const lines = [base, ...hostile.map(([path, value]) => withValue(path, value)), base];
        const { events, errors } = run(lines);
        assert.equal(events.length + errors.length, lines.length, 'each event is either read or reported');
        assert.equal(events[0]?.line, 1);
        assert.equal(events[events.length - 1]?.line, lines.length, 'reading goes on after a bad event');
      }),
      { numRuns: 300 },
    );
  });

  it('never crash the detector on request bodies holding any value, mappings with toString or valueOf keys included', () => {
    // Such a mapping makes String() and template literals throw: the rules that quote a body must not call them on it.
    const keyed = fc.dictionary(fc.constantFrom('toString', 'valueOf', '__proto__', 'constructor'), fc.jsonValue({ maxDepth: 1 }), { minKeys: 1 });
    const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), keyed, fc.array(keyed, { maxLength: 2 }));
    const pod = (container: Record<string, unknown>, volume: Record<string, unknown>) => ({
      ...base,
      requestURI: '/api/v1/namespaces/kube-system/pods',
      responseStatus: { code: 201 },
      // The rules judge the stored object when the event has one: here only the request is there.
      responseObject: undefined,
      objectRef: { resource: 'pods', namespace: 'kube-system', apiVersion: 'v1' },
      requestObject: { kind: 'Pod', metadata: { name: 'p' }, spec: { hostPID: true, volumes: [{ name: 'v', hostPath: { path: '/' }, ...volume }], containers: [{ name: 'c', image: 'x', securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } }, ...container }] } },
    });
    const binding = (subject: Record<string, unknown>) => ({
      ...base,
      requestURI: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
      responseStatus: { code: 201 },
      responseObject: undefined,
      objectRef: { resource: 'clusterrolebindings', apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1', name: 'b' },
      requestObject: { kind: 'ClusterRoleBinding', roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'u', ...subject }] },
    });
    fc.assert(
      fc.property(fc.constantFrom('name', 'image'), fc.constantFrom('name', 'hostPath'), fc.constantFrom('kind', 'name', 'namespace'), value, (containerField, volumeField, subjectField, hostile) => {
        const lines = [pod({ [containerField]: hostile }, { [volumeField]: volumeField === 'hostPath' ? { path: hostile } : hostile }), binding({ [subjectField]: hostile })];
        const rules = new Set<string>();
        const { events } = parseInPieces(Buffer.from(lines.map((line) => JSON.stringify(line)).join('\n') + '\n'), []);
        const detector = createDetector(DETECTION_RULES, DEFAULT_DETECTION_SETTINGS, (hit) => rules.add(detectionFinding(hit).controlId));
        for (const logged of events) detector.event(logged);
        detector.end();
        assert.ok(rules.has('AUDIT-PRIVILEGED-POD'), [...rules].join(', '));
      }),
      { numRuns: 200 },
    );
  });

  const cases: readonly [string, readonly string[], unknown, RegExp][] = [
    ['a numeric username', ['user', 'username'], 5, /user\.username must be a string, not a number/],
    ['one source IP as a string', ['sourceIPs'], '1.2.3.4', /sourceIPs must be a list of strings, not a string/],
    ['a number among the source IPs', ['sourceIPs'], ['1.2.3.4', 7], /sourceIPs\[1\] must be a string, not a number/],
    ['a numeric impersonated username', ['impersonatedUser', 'username'], 5, /impersonatedUser\.username must be a string, not a number/],
    ['an objectRef that is a string', ['objectRef'], 'pods', /objectRef must be an object, not a string/],
    ['a verb that is a list', ['verb'], [], /verb must be a string, not a list/],
    ['a status code that is text', ['responseStatus', 'code'], 'x', /responseStatus\.code must be an integer, not a string/],
    ['groups that are an object', ['user', 'groups'], { a: 1 }, /user\.groups must be a list of strings, not an object/],
    ['an annotation that is a number', ['annotations', 'authorization.k8s.io/decision'], 1, /annotations\["authorization\.k8s\.io\/decision"\] must be a string, not a number/],
  ];
  for (const [name, path, value, message] of cases) {
    it(`reports ${name} at its line and reads the events after it`, () => {
      const { events, errors } = run([base, withValue(path, value), base]);
      assert.deepEqual(events.map((logged) => logged.line), [1, 3]);
      assert.equal(errors.length, 1);
      assert.equal(errors[0]?.line, 2);
      assert.match(errors[0]?.message ?? '', message);
    });
  }

  it('takes null as an absent field, as Go writes empty ones', () => {
    const { events, errors } = run([withValue(['impersonatedUser'], null), withValue(['user', 'groups'], null)]);
    assert.deepEqual(errors, []);
    assert.equal(events.length, 2);
    assert.equal('impersonatedUser' in events[0]!.event, false);
  });

  it('checks each item of an EventList and names it', () => {
    const list = { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [base, withValue(['user', 'username'], 5)] };
    const { events, errors } = run([list]);
    assert.equal(events.length, 1);
    assert.match(errors[0]?.message ?? '', /^items\[1\]: audit event skipped: user\.username must be a string/);
  });
});
