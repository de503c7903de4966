/**
 * Turns the findings of `audit lint` and `audit detect` into what every report format renders, so audit results
 * get table, JSON, SARIF, JUnit, HTML and PolicyReport output, gates and baselines like a scan.
 */
import type { Finding } from '../../engine/finding.js';
import { ScoreBoard, type Described } from '../../engine/scores.js';
import type { InputError } from '../../loader/source.js';
import type { ReportInput } from '../../report/report.js';

export interface AuditRun {
  readonly findings: Finding[];
  readonly errors: InputError[];
  /** The rules that ran, and how many subjects (policies, events) each judged. */
  readonly rules: readonly Described[];
  /** How many subjects (policies, events) every rule judged. */
  readonly assessed: number;
  readonly inputs: number;
  /** The subject a finding is about (its policy, its event), so a rule fails each subject at most once. */
  readonly subjectOf: (finding: Finding) => string;
}

export function auditReportInput(run: AuditRun): ReportInput {
  // One pass over the findings (detect may keep tens of thousands), not one per rule.
  const failedSubjects = new Map<string, Set<string>>();
  for (const finding of run.findings) {
    let subjects = failedSubjects.get(finding.controlId);
    if (!subjects) failedSubjects.set(finding.controlId, (subjects = new Set()));
    subjects.add(run.subjectOf(finding));
  }
  const board = new ScoreBoard();
  for (const rule of run.rules) {
    const failed = failedSubjects.get(rule.meta.id)?.size ?? 0;
    board.record(rule.meta.id, Math.max(run.assessed, failed), failed);
  }
  return {
    findings: run.findings,
    errors: run.errors,
    stats: { inputs: run.inputs, resources: run.assessed, podTemplates: 0 },
    selection: { active: run.rules, skipped: [] },
    scores: board.scores(run.rules),
    exceptions: [],
  };
}
