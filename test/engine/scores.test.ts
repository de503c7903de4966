import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTROLS } from '../../src/controls/index.js';
import { nsaChapter, ScoreBoard } from '../../src/engine/scores.js';
import type { Control } from '../../src/engine/types.js';

const byId = (id: string) => CONTROLS.find((control) => control.meta.id === id) as Control;

describe('ScoreBoard', () => {
  it('averages per-control pass ratios, plainly and by severity, and leaves unassessed controls out', () => {
    const board = new ScoreBoard();
    board.record('POD-NO-PRIVILEGED', 4, 1); // high: 75%
    board.record('RES-REQUESTS', 2, 2); // low: 0%
    const scores = board.scores([byId('POD-NO-PRIVILEGED'), byId('RES-REQUESTS'), byId('NET-INGRESS-TLS')]);
    assert.equal(scores.overall, 37.5);
    assert.equal(scores.weighted, Math.round(((75 * 7 + 0 * 2) / 9) * 10) / 10);
    assert.deepEqual(scores.controls.map((c) => [c.id, c.status, c.score]), [
      ['POD-NO-PRIVILEGED', 'failed', 75],
      ['RES-REQUESTS', 'failed', 0],
      ['NET-INGRESS-TLS', 'not-assessed', null],
    ]);
  });

  it('has no score at all when nothing was assessed', () => {
    const scores = new ScoreBoard().scores([byId('POD-NO-PRIVILEGED')]);
    assert.equal(scores.overall, null);
    assert.equal(scores.weighted, null);
  });

  it('groups controls by NSA/CISA chapter', () => {
    assert.equal(nsaChapter(byId('POD-NO-PRIVILEGED')), 'Kubernetes Pod security');
    assert.equal(nsaChapter(byId('NET-DEFAULT-DENY-INGRESS')), 'Network separation and hardening');
  });
});
