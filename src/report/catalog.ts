import type { ControlMeta, FrameworkId, Control } from '../engine/types.js';
import { inFramework, versionRange } from '../engine/select.js';
import type { Palette } from './color.js';

/** The public, JSON shape of a control's metadata (versions spelled as "1.N"). */
export interface CatalogEntry {
  readonly id: string;
  readonly title: string;
  readonly severity: string;
  readonly pss: ControlMeta['pss'];
  readonly nsaSection: string;
  readonly kubernetesVersions: { readonly since: string; readonly until?: string; readonly range: string; readonly changes: readonly { readonly version: string; readonly change: string }[] };
  readonly replaces: readonly { readonly id: string; readonly since: string }[];
  readonly frameworks: readonly FrameworkId[];
  readonly rationale: string;
  readonly remediation: ControlMeta['remediation'];
  readonly references: ControlMeta['references'];
  /** What `kubeharden fix` does for the control (absent for catalogs `fix` does not handle, such as audit rules). */
  readonly fix?: CatalogFix;
}

/** Whether `kubeharden fix` edits a control's findings itself, under which risk class, and what it does or asks. */
export interface CatalogFix {
  readonly automatic: boolean;
  readonly risk: 'safe' | 'review' | 'manual';
  readonly does: string;
}

/** The fix registry seen from the catalog (src/fix/ sits above report/, so the CLI and the docs script pass it in). */
export type FixCatalog = (controlId: string) => CatalogFix;

export function catalogEntry(meta: ControlMeta, fixes?: FixCatalog): CatalogEntry {
  return {
    id: meta.id,
    title: meta.title,
    severity: meta.severity,
    pss: meta.pss,
    nsaSection: meta.nsaSection,
    kubernetesVersions: {
      since: `1.${meta.versions.sinceMinor}`,
      ...(meta.versions.untilMinor !== undefined ? { until: `1.${meta.versions.untilMinor}` } : {}),
      range: versionRange({ ...meta }),
      changes: meta.versions.changes.map((change) => ({ version: `1.${change.minor}`, change: change.change })),
    },
    replaces: (meta.overrides ?? []).map((override) => ({ id: override.controlId, since: `1.${override.sinceMinor}` })),
    frameworks: meta.frameworks,
    rationale: meta.rationale,
    remediation: meta.remediation,
    references: meta.references,
    ...(fixes ? { fix: fixes(meta.id) } : {}),
  };
}

export function catalogFor(controls: readonly Control[], framework: FrameworkId, fixes?: FixCatalog): CatalogEntry[] {
  return controls.filter((control) => inFramework(control, framework)).map((control) => catalogEntry(control.meta, fixes));
}

export function renderCatalogJson(entries: readonly CatalogEntry[]): string {
  return `${JSON.stringify(entries, null, 2)}\n`;
}

export function renderCatalogTable(entries: readonly CatalogEntry[], colors: Palette): string {
  const idWidth = Math.max(2, ...entries.map((entry) => entry.id.length));
  const withFix = entries.some((entry) => entry.fix);
  const header = `${'ID'.padEnd(idWidth)}  SEVERITY  K8S        PSS                                   ${withFix ? 'FIX     ' : ''}TITLE`;
  const rows = entries.map((entry) => {
    const pss = entry.pss ? `${entry.pss.level}/${entry.pss.check}` : '-';
    const fix = withFix ? `${fixLabel(entry.fix).padEnd(6)}  ` : '';
    return `${colors.bold(entry.id.padEnd(idWidth))}  ${entry.severity.padEnd(8)}  ${entry.kubernetesVersions.range.padEnd(9)}  ${pss.padEnd(36)}  ${fix}${entry.title}`;
  });
  return `${colors.gray(header)}\n${rows.join('\n')}\n${colors.gray(`${entries.length} controls`)}\n`;
}

/** `safe` or `review` for an automatic fix, `manual` otherwise. */
export function fixLabel(fix: CatalogFix | undefined): string {
  return fix?.automatic ? fix.risk : 'manual';
}
