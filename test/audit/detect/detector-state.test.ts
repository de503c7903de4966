/**
 * The rules' memory across a restart (`audit serve --state-file`): a detector that saves its state, and a new one
 * that restores it, must report exactly what one detector that never stopped reports, for bursts and for exec
 * sessions; without the restore they would not (the control cases show the test can fail).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createDetector, type DetectorState, type RuleHit } from '../../../src/audit/detect/engine.js';
import { DEFAULT_DETECTION_SETTINGS, type DetectionSettings } from '../../../src/audit/detect/rule.js';
import { DETECTION_RULES } from '../../../src/audit/detect/rules/index.js';
import type { AuditEvent } from '../../../src/audit/event.js';
import { logged } from './detection-tester.js';

const at = (second: number): string => new Date(Date.UTC(2026, 11, 3, 12, 0, 0) + second * 1000).toISOString();

function refused(user: string, second: number): AuditEvent {
  return {
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: `r-${user}-${second}`, stage: 'ResponseComplete',
    verb: 'list', requestURI: '/api/v1/pods', user: { username: user, groups: ['system:authenticated'] }, sourceIPs: ['10.0.0.7'],
    objectRef: { resource: 'pods', apiVersion: 'v1' }, responseStatus: { code: 403 }, requestReceivedTimestamp: at(second), stageTimestamp: at(second),
  } as AuditEvent;
}

function execStage(id: string, stage: 'ResponseStarted' | 'ResponseComplete', second: number): AuditEvent {
  return {
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: id, stage, verb: 'create',
    requestURI: '/api/v1/namespaces/shop/pods/web/exec?command=ls&stdout=true', user: { username: 'mallory', groups: ['system:authenticated'] },
    sourceIPs: ['10.0.0.9'], objectRef: { resource: 'pods', subresource: 'exec', namespace: 'shop', name: 'web', apiVersion: 'v1' },
    responseStatus: { code: 101 }, requestReceivedTimestamp: at(second), stageTimestamp: at(second),
  } as AuditEvent;
}

/** The hits of EVENTS, with the detector stopped and started again (state saved, JSON round trip, restored) before each index of RESTARTS. */
function runWithRestarts(events: readonly AuditEvent[], restarts: ReadonlySet<number>, restore = true, settings: DetectionSettings = DEFAULT_DETECTION_SETTINGS): string[] {
  const hits: string[] = [];
  const onHit = (hit: RuleHit): void => void hits.push(`${hit.rule.meta.id} ${hit.logged.event.auditID}`);
  let detector = createDetector(DETECTION_RULES, settings, onHit);
  events.forEach((event, index) => {
    if (restarts.has(index)) {
      const saved = JSON.parse(JSON.stringify(detector.saveState())) as DetectorState;
      detector = createDetector(DETECTION_RULES, settings, onHit);
      if (restore) assert.deepEqual(detector.restoreState(saved).refused, []);
    }
    detector.event(logged(event));
  });
  detector.end();
  return hits;
}

describe('detection state across a restart', () => {
  const burst = Array.from({ length: 20 }, (_, second) => refused('mallory', second));

  it('a burst whose first half came before the restart is reported once, and not without the restored memory', () => {
    assert.deepEqual(runWithRestarts(burst, new Set()), ['AUDIT-FORBIDDEN-BURST r-mallory-19']);
    assert.deepEqual(runWithRestarts(burst, new Set([10])), ['AUDIT-FORBIDDEN-BURST r-mallory-19']);
    assert.deepEqual(runWithRestarts(burst, new Set([10]), false), []);
  });

  it('a burst already reported stays quiet for its window after a restart', () => {
    const longer = [...burst, ...Array.from({ length: 40 }, (_, index) => refused('mallory', 20 + index))];
    assert.deepEqual(runWithRestarts(longer, new Set([25])), ['AUDIT-FORBIDDEN-BURST r-mallory-19']);
    assert.deepEqual(runWithRestarts(longer, new Set([25]), false), ['AUDIT-FORBIDDEN-BURST r-mallory-19', 'AUDIT-FORBIDDEN-BURST r-mallory-44']);
  });

  it('an exec session open at the restart is not reported again when it ends', () => {
    const session = [execStage('exec-1', 'ResponseStarted', 0), execStage('exec-1', 'ResponseComplete', 30)];
    assert.deepEqual(runWithRestarts(session, new Set([1])), ['AUDIT-EXEC-INTO-POD exec-1']);
    assert.deepEqual(runWithRestarts(session, new Set([1]), false), ['AUDIT-EXEC-INTO-POD exec-1', 'AUDIT-EXEC-INTO-POD exec-1']);
  });

  it('a threshold lowered since the save keeps the newest times', () => {
    const lower = { ...DEFAULT_DETECTION_SETTINGS, burstThreshold: 5 };
    const hits: string[] = [];
    const first = createDetector(DETECTION_RULES, DEFAULT_DETECTION_SETTINGS, () => undefined);
    for (const event of burst.slice(0, 12)) first.event(logged(event));
    const second = createDetector(DETECTION_RULES, lower, (hit) => void hits.push(`${hit.rule.meta.id} ${hit.logged.event.auditID}`));
    second.restoreState(JSON.parse(JSON.stringify(first.saveState())) as DetectorState);
    second.event(logged(refused('mallory', 12)));
    assert.deepEqual(hits, ['AUDIT-FORBIDDEN-BURST r-mallory-12']);
  });

  it('memory of the wrong shape is refused per rule, the others are restored, and unknown rules are ignored', () => {
    const detector = createDetector(DETECTION_RULES, DEFAULT_DETECTION_SETTINGS, () => undefined);
    const answer = detector.restoreState({ 'AUDIT-FORBIDDEN-BURST': [{ key: 'x', times: ['soon'], quietUntil: null, last: 1 }], 'AUDIT-EXEC-INTO-POD': ['exec-1'], 'AUDIT-RETIRED-RULE': [1, 2] });
    assert.deepEqual(answer.restored, ['AUDIT-EXEC-INTO-POD']);
    assert.deepEqual(answer.refused.map(({ rule }) => rule), ['AUDIT-FORBIDDEN-BURST']);
    assert.match(answer.refused[0]?.reason ?? '', /wrong shape/);
    assert.deepEqual(detector.saveState()['AUDIT-FORBIDDEN-BURST'], []);
  });

  it('restarting anywhere in any sequence of refusals and exec sessions changes nothing (property)', () => {
    const event = fc.oneof(
      fc.record({ user: fc.constantFrom('mallory', 'trudy'), step: fc.integer({ min: 0, max: 4 }) }).map(({ user, step }) => ({ kind: 'refused' as const, user, step })),
      fc.record({ session: fc.integer({ min: 1, max: 4 }), stage: fc.constantFrom('ResponseStarted' as const, 'ResponseComplete' as const), step: fc.integer({ min: 0, max: 4 }) }).map((value) => ({ kind: 'exec' as const, ...value })),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 120 }), fc.array(fc.nat(), { maxLength: 4 }), (steps, cuts) => {
        let second = 0;
        const events = steps.map((step) => {
          second += step.step;
          return step.kind === 'refused' ? refused(step.user, second) : execStage(`exec-${step.session}`, step.stage, second);
        });
        const restarts = new Set(cuts.map((cut) => (events.length === 0 ? 0 : cut % events.length)));
        const settings = { ...DEFAULT_DETECTION_SETTINGS, burstThreshold: 6, burstWindowSeconds: 20 };
        assert.deepEqual(runWithRestarts(events, restarts, true, settings), runWithRestarts(events, new Set(), true, settings));
      }),
      { numRuns: 300 },
    );
  });
});
