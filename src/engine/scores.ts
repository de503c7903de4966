/**
 * Compliance scores. Per control: passed resources / assessed resources. Overall and per NSA section: the plain
 * average over controls (Kubescape's compliance score) and a severity-weighted average. Controls that assessed
 * nothing are "not assessed" and count in no average.
 */
import type { ControlMeta } from './types.js';
import type { Severity } from '../vocabulary/severity.js';

/** Anything with catalog metadata: a control, an audit-policy lint rule, a detection rule. */
export interface Described {
  readonly meta: ControlMeta;
}

export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 10, high: 7, medium: 4, low: 2, info: 1 };

export interface ControlScore {
  readonly id: string;
  readonly severity: Severity;
  readonly section: string;
  readonly assessed: number;
  readonly failed: number;
  readonly passed: number;
  readonly status: 'passed' | 'failed' | 'not-assessed';
  /** 0–100, null when not assessed. */
  readonly score: number | null;
}

export interface SectionScore {
  readonly section: string;
  readonly controls: number;
  readonly assessedControls: number;
  readonly score: number | null;
  readonly weightedScore: number | null;
}

export interface Scores {
  readonly overall: number | null;
  readonly weighted: number | null;
  readonly controls: ControlScore[];
  readonly sections: SectionScore[];
}

/** The NSA/CISA chapter a control belongs to: its section text up to the first ›, ; or (. */
export function nsaChapter(control: Described): string {
  let chapter = CHAPTERS.get(control.meta);
  if (chapter === undefined) {
    chapter = (/^[^›;(]+/.exec(control.meta.nsaSection)?.[0] ?? control.meta.nsaSection).trim();
    CHAPTERS.set(control.meta, chapter);
  }
  return chapter;
}

/** Each control's chapter, worked out once: every scan scores every control of its selection. */
const CHAPTERS = new WeakMap<ControlMeta, string>();

/** Counts assessed and failed resources per control while the scan runs. */
export class ScoreBoard {
  private readonly assessed = new Map<string, number>();
  private readonly failed = new Map<string, number>();
  /** How often each list of controls ran; the same list object serves every object of a kind, so this stays small. */
  private readonly runs = new Map<readonly Described[], number>();

  /** One object judged by these controls; each control with a finding on it failed it once. */
  recordRun(ran: readonly Described[], findings: readonly { readonly controlId: string }[]): void {
    this.runs.set(ran, (this.runs.get(ran) ?? 0) + 1);
    if (findings.length === 0) return;
    for (const controlId of new Set(findings.map((finding) => finding.controlId))) {
      this.failed.set(controlId, (this.failed.get(controlId) ?? 0) + 1);
    }
  }

  record(controlId: string, assessed: number, failed: number): void {
    this.assessed.set(controlId, (this.assessed.get(controlId) ?? 0) + assessed);
    this.failed.set(controlId, (this.failed.get(controlId) ?? 0) + failed);
  }

  scores(controls: readonly Described[]): Scores {
    for (const [ran, count] of this.runs) for (const control of ran) this.record(control.meta.id, count, 0);
    this.runs.clear();
    const perControl = controls.map((control): ControlScore => {
      const assessed = this.assessed.get(control.meta.id) ?? 0;
      const failed = Math.min(assessed, this.failed.get(control.meta.id) ?? 0);
      return {
        id: control.meta.id,
        severity: control.meta.severity,
        section: nsaChapter(control),
        assessed,
        failed,
        passed: assessed - failed,
        status: assessed === 0 ? 'not-assessed' : failed === 0 ? 'passed' : 'failed',
        score: assessed === 0 ? null : round(((assessed - failed) / assessed) * 100),
      };
    });
    const sections = [...new Set(perControl.map((score) => score.section))].map((section): SectionScore => {
      const members = perControl.filter((score) => score.section === section);
      const averages = average(members);
      return { section, controls: members.length, assessedControls: members.filter((m) => m.score !== null).length, score: averages.plain, weightedScore: averages.weighted };
    });
    const overall = average(perControl);
    return { overall: overall.plain, weighted: overall.weighted, controls: perControl, sections };
  }
}

function average(scores: readonly ControlScore[]): { plain: number | null; weighted: number | null } {
  const assessed = scores.filter((score) => score.score !== null);
  if (assessed.length === 0) return { plain: null, weighted: null };
  const plain = assessed.reduce((sum, score) => sum + (score.score as number), 0) / assessed.length;
  const totalWeight = assessed.reduce((sum, score) => sum + SEVERITY_WEIGHT[score.severity], 0);
  const weighted = assessed.reduce((sum, score) => sum + (score.score as number) * SEVERITY_WEIGHT[score.severity], 0) / totalWeight;
  return { plain: round(plain), weighted: round(weighted) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
