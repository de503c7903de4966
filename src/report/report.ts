import type { Finding } from '../engine/finding.js';
import type { ScanResult } from '../engine/scan.js';
import { SEVERITIES, SEVERITY_RANK, type FrameworkId, type Severity } from '../engine/types.js';
import type { InputError } from '../loader/source.js';
import type { ControlScore, SectionScore } from '../engine/scores.js';
import { formatVersion, type KubeVersion } from '../kube/version.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

export type FailOn = Severity | 'none';

export interface Summary {
  readonly inputs: number;
  readonly resources: number;
  readonly podTemplates: number;
  readonly findings: number;
  readonly bySeverity: Record<Severity, number>;
  readonly errors: number;
  readonly failOn: FailOn;
  /** Findings at or above the --fail-on threshold. */
  readonly failing: number;
  readonly controls: { readonly run: string[]; readonly skipped: { readonly id: string; readonly reason: string }[] };
  /** Compliance scores (0–100): plain average over assessed controls, severity-weighted average, per control. */
  readonly score: { readonly overall: number | null; readonly weighted: number | null; readonly controls: ControlScore[] };
  readonly sections: SectionScore[];
}

/** The complete scan report: the shape of `--format json`, and what every other format renders. */
export interface Report {
  readonly tool: { readonly name: string; readonly version: string };
  readonly kubernetesVersion: string;
  readonly framework: FrameworkId;
  readonly summary: Summary;
  readonly findings: Finding[];
  readonly errors: InputError[];
}

export function atOrAbove(severity: Severity, threshold: FailOn): boolean {
  return threshold !== 'none' && SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

/** Findings ordered by file, line, column, then control, so reports are stable. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      compare(a.location.file, b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column ||
      compare(a.controlId, b.controlId),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function buildReport(result: ScanResult, options: { framework: FrameworkId; version: KubeVersion; failOn: FailOn }): Report {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of result.findings) bySeverity[finding.severity]++;
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    kubernetesVersion: formatVersion(options.version),
    framework: options.framework,
    summary: {
      inputs: result.stats.inputs,
      resources: result.stats.resources,
      podTemplates: result.stats.podTemplates,
      findings: result.findings.length,
      bySeverity,
      errors: result.errors.length,
      failOn: options.failOn,
      failing: result.findings.filter((finding) => atOrAbove(finding.severity, options.failOn)).length,
      controls: {
        run: result.selection.active.map((control) => control.meta.id),
        skipped: result.selection.skipped.map(({ control, reason }) => ({ id: control.meta.id, reason })),
      },
      score: { overall: result.scores.overall, weighted: result.scores.weighted, controls: result.scores.controls },
      sections: result.scores.sections,
    },
    findings: sortFindings(result.findings),
    errors: result.errors,
  };
}

/** 2 when any input could not be read (so a partly unreadable input never looks clean), 1 on failing findings. */
export function exitCodeFor(report: Report): 0 | 1 | 2 {
  if (report.errors.length > 0) return 2;
  return report.summary.failing > 0 ? 1 : 0;
}
