import type { Finding } from '../vocabulary/finding.js';
import type { ScanResult } from '../scan/scan.js';
import { SEVERITIES, SEVERITY_RANK, type Severity } from '../vocabulary/severity.js';
import type { FrameworkId } from '../engine/types.js';
import type { InputError } from '../loader/source.js';
import type { ControlScore, Described, SectionScore } from '../engine/scores.js';
import { formatVersion, type KubeVersion } from '../kube/version.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { ExceptionStatus } from '../exceptions/exception-set.js';
import { compareFindings } from '../engine/finding-order.js';
export { compareFindings } from '../engine/finding-order.js';
import { FindingList } from './finding-list.js';

export type FailOn = Severity | 'none';

/** A finding as reported: with its line-independent fingerprint and, under `--baseline`, whether it is new. */
export interface ReportFinding extends Finding {
  readonly fingerprint: string;
  readonly baseline?: 'new' | 'unchanged';
}

export interface Summary {
  readonly inputs: number;
  readonly resources: number;
  readonly podTemplates: number;
  /** Every finding, suppressed or not. */
  readonly findings: number;
  /** Findings no exception accepts. */
  readonly open: number;
  /** Findings an exception or ignore annotation accepts: reported, never counted. */
  readonly suppressed: number;
  /** Open findings by severity. */
  readonly bySeverity: Record<Severity, number>;
  readonly errors: number;
  readonly failOn: FailOn;
  /** Open findings at or above the --fail-on threshold (and, with a baseline, not in it): these decide exit code 1. */
  readonly failing: number;
  /** Findings in `findings` after the `--severity` display filter. */
  readonly shown: number;
  /** Severities `--severity` shows; all when absent. */
  readonly severityFilter?: Severity[];
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
  /** Exceptions and ignore annotations: applied, unused or expired. */
  readonly exceptions: ExceptionStatus[];
  /** With `--baseline`: the file, how many of its findings are still there, how many are new, how many were fixed. */
  readonly baseline?: {
    readonly file: string;
    readonly unchanged: number;
    readonly new: number;
    readonly fixed: number;
    readonly ref?: string;
    readonly fixedFindings?: readonly FixedFinding[];
  };
  readonly findings: ReportFinding[];
  readonly errors: InputError[];
  /** Judged, but probably not what was meant (an object defined twice); never changes the exit code. */
  readonly warnings?: InputError[];
  /** Left out on purpose, and said so (a Helm library chart, not rendered on its own); never changes the exit code. */
  readonly notices?: readonly InputError[];
  /** A live cluster or node scan: what was scanned. */
  readonly target?: ScanTarget;
  /** What the scan could not read; present (maybe empty) for cluster and node scans. */
  readonly notAssessed?: readonly NotAssessed[];
  /** True when something could not be assessed and `--allow-partial` was not given: the verdict is `incomplete`. */
  readonly incomplete?: boolean;
}

export interface BaselineInput {
  readonly file: string;
  readonly fingerprints: ReadonlySet<string>;
  /** `--diff-base REF`: the git revision the findings were compared with. */
  readonly ref?: string;
  /** `--diff-base`: the findings at REF that the change fixed (the working tree no longer has them). */
  readonly fixedFindings?: readonly FixedFinding[];
}

/** A finding of the base revision that the change removed. */
export interface FixedFinding {
  readonly controlId: string;
  readonly severity: Severity;
  /** `Kind/namespace/name`. */
  readonly resource: string;
  /** Where it was at the base revision, `file:line`, the path as in the working tree. */
  readonly location: string;
  readonly message: string;
}

/** What was scanned, when it was not manifest files: a live cluster or a node's configuration. */
export interface ScanTarget {
  /** `audit-log` and `audit-policy`: the findings of `audit detect` and `audit lint`. */
  readonly kind: 'cluster' | 'node' | 'audit-log' | 'audit-policy' | 'netpol-flows';
  /** The API server URL, or the node scan's root folder. */
  readonly name: string;
  /** The kubeconfig context used for a cluster. */
  readonly context?: string;
  /** The version the server reported (`v1.37.2`), for a cluster. */
  readonly serverVersion?: string;
  /**
   * Where `kubernetesVersion` came from: the server, the --k8s-version flag, the node's own files (`host`: static
   * pod images, kubeadm configuration, kubelet package), or nothing (`default`: the newest known).
   */
  readonly versionSource?: 'server' | 'flag' | 'host' | 'default';
  /** For a node: which version was used and why, in a sentence (the evidence, disagreements). */
  readonly versionDetail?: string;
  /** API requests the scan made. */
  readonly requests?: number;
}

/** Something the scan could not look at (a kind it may not list, a kubelet it cannot reach), and why. */
export interface NotAssessed {
  readonly what: string;
  readonly reason: string;
}

export interface ReportContext {
  readonly target?: ScanTarget;
  /** Parts that could not be read; they never count as passed, and make the scan incomplete. */
  readonly notAssessed?: readonly NotAssessed[];
  /** `--allow-partial`: an incomplete scan exits on its findings alone instead of 2. */
  readonly allowPartial?: boolean;
  /** What the scan left out on purpose: listed, never counted as an error. */
  readonly notices?: readonly InputError[];
}

export interface ReportOptions extends ReportContext {
  readonly framework: FrameworkId;
  readonly version: KubeVersion;
  readonly failOn: FailOn;
  readonly baseline?: BaselineInput;
}

export function atOrAbove(severity: Severity, threshold: FailOn): boolean {
  return threshold !== 'none' && SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

/** Findings in report order (most severe first, then file, line, column, control; see finding-order.ts). */
export function sortFindings<T extends Finding>(findings: T[]): T[] {
  return findings.sort(compareFindings);
}

/**
 * What a report is built from: a scan's result, or the findings of `audit lint` / `audit detect` with the rules
 * that ran (anything carrying catalog metadata). The findings are in a store, never all in memory at once.
 */
export interface ReportInput extends Pick<ScanResult, 'store' | 'errors' | 'stats' | 'scores' | 'exceptions'>, Partial<Pick<ScanResult, 'warnings'>> {
  readonly selection: {
    readonly active: readonly Described[];
    readonly skipped: readonly { readonly control: Described; readonly reason: string }[];
  };
}

/** Where a report built by `buildReport` keeps its findings; `findings` reads them all only when asked for. */
const FINDING_LIST = Symbol('findingList');

/** The report's findings as writers iterate them: the store's view, or the array of a hand-built report. */
export function findingsOf(report: Report): FindingList {
  return (report as { [FINDING_LIST]?: FindingList })[FINDING_LIST] ?? FindingList.of(report.findings);
}

/** A report with these findings: `findings` stays in its place among the keys and is materialized on first use. */
function withFindingList<T extends Report>(fields: Omit<T, 'findings'> & { findings?: unknown }, list: FindingList): T {
  const report = {} as Record<string | symbol, unknown>;
  let materialized: ReportFinding[] | undefined;
  for (const key of Object.keys(fields)) {
    if (key === 'findings') {
      Object.defineProperty(report, 'findings', { enumerable: true, configurable: true, get: () => (materialized ??= [...list]) });
    } else report[key] = (fields as Record<string, unknown>)[key];
  }
  Object.defineProperty(report, FINDING_LIST, { value: list, enumerable: false });
  return report as unknown as T;
}

export function buildReport(result: ReportInput, options: ReportOptions): Report {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  const baseline = options.baseline;
  const { store } = result;
  const known = baseline ? new Uint8Array(store.size) : undefined;
  let seenInBaseline = 0;
  if (baseline && known) {
    const seen = new Set<string>();
    let index = 0;
    for (const finding of store.all()) {
      if (!finding.suppression && baseline.fingerprints.has(finding.fingerprint)) {
        known[index] = 1;
        seen.add(finding.fingerprint);
      }
      index++;
    }
    seenInBaseline = seen.size;
  }
  let failing = 0;
  let suppressed = 0;
  let unchanged = 0;
  for (const severity of SEVERITIES) {
    bySeverity[severity] = store.countOf(severity, false);
    suppressed += store.countOf(severity, true);
    if (!known && atOrAbove(severity, options.failOn)) failing += bySeverity[severity];
  }
  if (known) {
    // Under a baseline the counts need each finding's state: one walk over the index, no finding read back.
    for (const entry of store.entries()) {
      if (store.isSuppressed(entry)) continue;
      if (known[entry.position] === 1) unchanged++;
      else {
        // Open and not in the baseline: new (the state the report shows, 2).
        known[entry.position] = 2;
        if (atOrAbove(store.severityOf(entry), options.failOn)) failing++;
      }
    }
  }
  const total = store.size;
  return withFindingList<Report>({
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    kubernetesVersion: formatVersion(options.version),
    framework: options.framework,
    summary: {
      inputs: result.stats.inputs,
      resources: result.stats.resources,
      podTemplates: result.stats.podTemplates,
      findings: total,
      open: total - suppressed,
      suppressed,
      bySeverity,
      errors: result.errors.length,
      failOn: options.failOn,
      failing,
      shown: total,
      controls: {
        run: result.selection.active.map((control) => control.meta.id),
        skipped: result.selection.skipped.map(({ control, reason }) => ({ id: control.meta.id, reason })),
      },
      score: { overall: result.scores.overall, weighted: result.scores.weighted, controls: result.scores.controls },
      sections: result.scores.sections,
    },
    exceptions: result.exceptions,
    ...(baseline
      ? {
          baseline: {
            file: baseline.file,
            unchanged,
            new: total - suppressed - unchanged,
            fixed: baseline.fingerprints.size - seenInBaseline,
            ...(baseline.ref !== undefined ? { ref: baseline.ref } : {}),
            ...(baseline.fixedFindings ? { fixedFindings: baseline.fixedFindings } : {}),
          },
        }
      : {}),
    findings: undefined,
    errors: result.errors,
    ...(result.warnings?.length ? { warnings: result.warnings } : {}),
    ...(options.notices?.length ? { notices: options.notices } : {}),
    ...(options.target ? { target: options.target } : {}),
    ...(options.notAssessed ? { notAssessed: options.notAssessed, incomplete: options.notAssessed.length > 0 && !options.allowPartial } : {}),
  }, FindingList.ofStore(store, known));
}

/** `--severity`: a report that shows only these severities. Counts, scores and the exit code stay those of the whole scan. */
export function withSeverityFilter(report: Report, severities: readonly Severity[] | undefined): Report {
  if (!severities || severities.length === 0) return report;
  const shown = new Set(severities);
  const findings = findingsOf(report).withSeverities(shown);
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(report)) fields[key] = key === 'findings' ? undefined : (report as unknown as Record<string, unknown>)[key];
  fields['summary'] = { ...report.summary, shown: findings.length, severityFilter: SEVERITIES.filter((severity) => shown.has(severity)) };
  return withFindingList<Report>(fields as unknown as Report, findings);
}

/**
 * What a report says about the run as a whole:
 * - `errors`: some input could not be read (exit 2);
 * - `incomplete`: parts of a cluster or node could not be assessed and `--allow-partial` was not given (exit 2;
 *   exit 0 under `--fail-on none`, which gates on nothing, but the report still says it is incomplete);
 * - `not-gated`: `--fail-on none`, so no finding can fail the run (never called a pass);
 * - `fail`: open findings at or above `--fail-on` (new ones, with a baseline) (exit 1);
 * - `pass`: none (exit 0).
 */
export type VerdictStatus = 'pass' | 'fail' | 'incomplete' | 'errors' | 'not-gated';

export interface Verdict {
  readonly status: VerdictStatus;
  /** False for `errors` and `incomplete`: the run did not judge everything it was given. */
  readonly complete: boolean;
  readonly exitCode: 0 | 1 | 2;
  /** One sentence, the same in every format: `FAIL: 3 findings at or above high (--fail-on high)`. */
  readonly text: string;
}

/**
 * The verdict of a report, computed in this one place so that no two formats (nor the exit code) can disagree. It
 * reads only counts, never the findings list, so `--severity` (a display filter) cannot change it.
 */
export function verdict(report: Pick<Report, 'summary' | 'errors' | 'notAssessed' | 'incomplete' | 'baseline'>): Verdict {
  const { summary } = report;
  const { failOn, failing } = summary;
  const errors = report.errors.length;
  const missing = report.incomplete ? (report.notAssessed?.length ?? 0) : 0;
  const failingText = `${failing}${report.baseline ? ' new' : ''} ${plural(failing, 'finding')} at or above ${failOn}`;
  if (errors > 0) {
    const alsoMissing = missing > 0 ? ` and ${missing} ${plural(missing, 'part')} could not be assessed` : '';
    return { status: 'errors', complete: false, exitCode: 2, text: `ERROR: ${errors} ${plural(errors, 'input')} could not be read${alsoMissing}; the scan is incomplete` };
  }
  if (missing > 0) {
    // What could not be read was not shown to be safe, so an incomplete scan never passes a gate.
    const gate = failOn === 'none' ? ' (not gated: --fail-on none)' : failing > 0 ? `; besides, ${failingText}` : '';
    return {
      status: 'incomplete',
      complete: false,
      exitCode: failOn === 'none' ? 0 : 2,
      text: `INCOMPLETE: ${missing} ${plural(missing, 'part')} could not be assessed, so ${missing === 1 ? 'it is' : 'they are'} not shown to be safe${gate}`,
    };
  }
  if (failOn === 'none') {
    const text = summary.open === 0 ? 'NOT GATED: no open findings (--fail-on none)' : `NOT GATED: ${summary.open} open ${plural(summary.open, 'finding')}, and --fail-on none lets none of them fail the run`;
    return { status: 'not-gated', complete: true, exitCode: 0, text };
  }
  if (failing > 0) return { status: 'fail', complete: true, exitCode: 1, text: `FAIL: ${failingText} (--fail-on ${failOn})` };
  const below = SEVERITIES.filter((severity) => !atOrAbove(severity, failOn)).reduce((sum, severity) => sum + summary.bySeverity[severity], 0);
  return {
    status: 'pass',
    complete: true,
    exitCode: 0,
    text: `PASS: nothing${report.baseline ? ' new' : ''} at or above ${failOn}${below > 0 ? ` (${below} below the threshold)` : ''}`,
  };
}

/**
 * The {@link verdict} of open findings known only by their counts per severity, with nothing unread or unassessed:
 * what `serve`'s policy reports carry (the whole run's per namespace, each resource's own per resource).
 */
export function countsVerdict(bySeverity: Readonly<Record<Severity, number>>, failOn: FailOn): VerdictStatus {
  const open = SEVERITIES.reduce((sum, severity) => sum + bySeverity[severity], 0);
  const failing = SEVERITIES.filter((severity) => atOrAbove(severity, failOn)).reduce((sum, severity) => sum + bySeverity[severity], 0);
  // verdict() reads failOn, failing, open and bySeverity of a summary alone.
  return verdict({ summary: { failOn, failing, open, bySeverity } as Summary, errors: [] }).status;
}

/** The run's exit code, from its {@link verdict}: 2 for input errors and incomplete scans, 1 on failing findings. */
export function exitCodeFor(report: Report): 0 | 1 | 2 {
  return verdict(report).exitCode;
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
