/**
 * Turns the findings of `audit lint` and `audit detect` into what every report format renders, so audit results
 * get table, JSON, SARIF, JUnit, HTML and PolicyReport output, gates and baselines like a scan.
 */
import type { Finding } from '../../vocabulary/finding.js';
import { FindingStore } from '../../engine/finding-store.js';
import { ScoreBoard, type Described } from '../../engine/scores.js';
import type { InputError } from '../../loader/source.js';
import type { ReportInput } from '../../report/report.js';

/** The findings of an audit command as they are made, with how many subjects (policies, events) each rule failed. */
export class AuditFindings {
  readonly store = new FindingStore();
  /** Per rule and file, the lines of the subjects it failed (numbers, not strings: a log can have millions). */
  private readonly failed = new Map<string, Map<string, Set<number>>>();

  /**
   * @param file and `line`: what the finding is about (a policy file; an event's line in its log), so that a rule
   *   fails each subject at most once
   */
  add(finding: Finding, file: string, line = 0): void {
    this.store.add(finding);
    let files = this.failed.get(finding.controlId);
    if (!files) this.failed.set(finding.controlId, (files = new Map()));
    let lines = files.get(file);
    if (!lines) files.set(file, (lines = new Set()));
    lines.add(line);
  }

  /** How many subjects the rule failed. */
  failedSubjects(ruleId: string): number {
    let count = 0;
    for (const lines of this.failed.get(ruleId)?.values() ?? []) count += lines.size;
    return count;
  }

  get length(): number {
    return this.store.size;
  }

  /** Every finding in the order made (reads them all back: for tests and small runs). */
  [Symbol.iterator](): Iterator<Finding> {
    return this.store.all();
  }
}

export interface AuditRun {
  readonly findings: AuditFindings;
  readonly errors: InputError[];
  /** The rules that ran, and how many subjects (policies, events) each judged. */
  readonly rules: readonly Described[];
  /** How many subjects (policies, events) every rule judged. */
  readonly assessed: number;
  readonly inputs: number;
}

export function auditReportInput(run: AuditRun): ReportInput {
  const board = new ScoreBoard();
  for (const rule of run.rules) {
    const failed = run.findings.failedSubjects(rule.meta.id);
    board.record(rule.meta.id, Math.max(run.assessed, failed), failed);
  }
  return {
    store: run.findings.store,
    errors: run.errors,
    stats: { inputs: run.inputs, resources: run.assessed, podTemplates: 0 },
    selection: { active: run.rules, skipped: [] },
    scores: board.scores(run.rules),
    exceptions: [],
  };
}
