/**
 * Turns the findings of `audit lint` and `audit detect` into what every report format renders, so audit results
 * get table, JSON, SARIF, JUnit, HTML and PolicyReport output, gates and baselines like a scan.
 */
import type { Finding } from '../../engine/finding.js';
import { FindingStore } from '../../engine/finding-store.js';
import { ScoreBoard, type Described } from '../../engine/scores.js';
import type { InputError } from '../../loader/source.js';
import type { ReportInput } from '../../report/report.js';

/** The findings of an audit command as they are made, with the subjects (policies, events) each rule failed. */
export class AuditFindings {
  readonly store = new FindingStore();
  /** Per rule, the subjects it failed: a rule fails each subject at most once. */
  readonly failedSubjects = new Map<string, Set<string>>();

  /** @param subject what the finding is about (its policy file, its event's line), so a rule fails it once */
  add(finding: Finding, subject: string): void {
    this.store.add(finding);
    let subjects = this.failedSubjects.get(finding.controlId);
    if (!subjects) this.failedSubjects.set(finding.controlId, (subjects = new Set()));
    subjects.add(subject);
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
    const failed = run.findings.failedSubjects.get(rule.meta.id)?.size ?? 0;
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
