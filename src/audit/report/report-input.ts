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
  const board = new ScoreBoard();
  for (const rule of run.rules) {
    const failed = new Set(run.findings.filter((finding) => finding.controlId === rule.meta.id).map(run.subjectOf));
    board.record(rule.meta.id, Math.max(run.assessed, failed.size), failed.size);
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
