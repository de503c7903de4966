/**
 * ESLint RuleTester-style tables for detection rules: `valid` event sequences fire nothing, `invalid` ones fire the
 * given number of times (default once), at the given field, with a message matching the pattern. Plus the minimal
 * audit events the tables are written with.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDetector, type RuleHit } from '../../../src/audit/detect/engine.js';
import { DEFAULT_DETECTION_SETTINGS, type DetectionRule, type DetectionSettings } from '../../../src/audit/detect/rule.js';
import { DETECTION_RULES } from '../../../src/audit/detect/rules/index.js';
import type { AuditEvent, LoggedEvent } from '../../../src/audit/event.js';

let line = 0;
export const logged = (event: AuditEvent): LoggedEvent => ({ event, file: 'audit.log', line: ++line, bytes: 1 });

/** Runs rules through the real engine (so their `resources` index is exercised) and collects the hits. */
export function run(rules: readonly DetectionRule[], events: readonly AuditEvent[], settings: DetectionSettings = DEFAULT_DETECTION_SETTINGS): RuleHit[] {
  const hits: RuleHit[] = [];
  const detector = createDetector(rules, settings, (hit) => hits.push(hit));
  for (const event of events) detector.event(logged(event));
  detector.end();
  return hits;
}

export interface ValidCase {
  readonly name: string;
  readonly events: readonly AuditEvent[];
}

export interface InvalidCase extends ValidCase {
  readonly field: string;
  readonly message: RegExp;
  readonly count?: number;
}

/** Ids a table was written for; the catalog test checks every rule has one. */
export const TESTED = new Set<string>();

export function ruleById(id: string): DetectionRule {
  const rule = DETECTION_RULES.find((candidate) => candidate.meta.id === id);
  assert.ok(rule, `${id} is registered in DETECTION_RULES`);
  return rule;
}

export function testDetection(id: string, table: { valid: readonly ValidCase[]; invalid: readonly InvalidCase[]; settings?: DetectionSettings }): void {
  TESTED.add(id);
  describe(id, () => {
    for (const entry of table.valid) {
      it(`does not fire: ${entry.name}`, () => assert.deepEqual(run([ruleById(id)], entry.events, table.settings).map((hit) => hit.message), []));
    }
    for (const entry of table.invalid) {
      it(`fires: ${entry.name}`, () => {
        const hits = run([ruleById(id)], entry.events, table.settings);
        assert.equal(hits.length, entry.count ?? 1, JSON.stringify(hits.map((hit) => hit.message)));
        for (const hit of hits) assert.equal(hit.rule.meta.id, id);
        assert.equal(hits[0]?.field, entry.field);
        assert.match(hits[0]?.message ?? '', entry.message);
      });
    }
  });
}

export const alice = { username: 'alice', groups: ['system:authenticated'] };
export const replicaSetController = { username: 'system:serviceaccount:kube-system:replicaset-controller', groups: ['system:serviceaccounts', 'system:authenticated'] };
export const kubelet = { username: 'system:node:worker-1', groups: ['system:nodes', 'system:authenticated'] };

/** A request by alice that was allowed and answered, at ResponseComplete; `event` overrides any of it. */
export const done = (event: AuditEvent): AuditEvent => ({
  kind: 'Event',
  level: 'Request',
  stage: 'ResponseComplete',
  user: alice,
  sourceIPs: ['192.0.2.10'],
  responseStatus: { code: 200 },
  annotations: { 'authorization.k8s.io/decision': 'allow' },
  requestReceivedTimestamp: '2026-01-01T00:00:00.000000Z',
  stageTimestamp: '2026-01-01T00:00:00.100000Z',
  ...event,
});

export const podCreate = (spec: object, namespace = 'shop', user = alice): AuditEvent =>
  done({
    verb: 'create',
    user,
    requestURI: `/api/v1/namespaces/${namespace}/pods`,
    objectRef: { resource: 'pods', namespace, apiVersion: 'v1' },
    responseStatus: { code: 201 },
    requestObject: { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'web' }, spec },
  });

/** `kubectl debug` adding ephemeral containers: a strategic merge patch of pods/ephemeralcontainers. */
export const debugPatch = (ephemeralContainers: object[]): AuditEvent =>
  done({
    verb: 'patch',
    requestURI: '/api/v1/namespaces/shop/pods/web/ephemeralcontainers',
    objectRef: { resource: 'pods', subresource: 'ephemeralcontainers', namespace: 'shop', name: 'web', apiVersion: 'v1' },
    requestObject: { spec: { ephemeralContainers } },
  });

export const container = (extra: object = {}) => ({ name: 'app', image: 'nginx:1.27', ...extra });

export const rbac = (resource: string, verb: string, body: object, name = 'r', namespace?: string): AuditEvent =>
  done({
    verb,
    requestURI: `/apis/rbac.authorization.k8s.io/v1/${namespace ? `namespaces/${namespace}/` : ''}${resource}${verb === 'create' ? '' : `/${name}`}`,
    objectRef: { resource, name, apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1', ...(namespace ? { namespace } : {}) },
    responseStatus: { code: verb === 'create' ? 201 : 200 },
    requestObject: body,
  });

/** An ISO timestamp `second` seconds after 2026-01-01T00:00:00Z. */
export const at = (second: number): string => new Date(Date.UTC(2026, 0, 1) + second * 1000).toISOString();
