import type { AssessedResource } from '../scan/scan.js';
import type { Palette } from './color.js';
import type { PolicyReportApi } from './format-ids.js';
import { findingsOf, type Report } from './report.js';
// Each writer is imported when its format is asked for (with a literal path, so bundlers still see it): a table
// scan does not load the SARIF, HTML or PolicyReport writers, nor the rule catalogs they describe rules from.
import { FORMAT_IDS, type FormatId } from './format-ids.js';
export { FORMAT_IDS, POLICY_REPORT_APIS, type FormatId, type PolicyReportApi } from './format-ids.js';

/** File names under `--output-dir`. */
export const DEFAULT_FILE_NAMES: Record<FormatId, string> = {
  table: 'kubeharden.txt',
  json: 'kubeharden.json',
  sarif: 'kubeharden.sarif',
  junit: 'kubeharden.junit.xml',
  html: 'kubeharden.html',
  markdown: 'kubeharden.md',
  policyreport: 'kubeharden-policyreport.yaml',
  baseline: 'kubeharden-baseline.json',
};

export interface FormatSpec {
  readonly format: FormatId;
  /** Where to write it; absent: standard output, `--output` or `--output-dir`. */
  readonly path?: string;
}

export class FormatError extends Error {}

/** `["sarif,html", "junit=out/k.xml"]` → one spec per format, in order. */
export function parseFormatList(values: readonly string[]): FormatSpec[] {
  const specs: FormatSpec[] = [];
  for (const item of values.flatMap((value) => value.split(','))) {
    const text = item.trim();
    if (text === '') continue;
    const equals = text.indexOf('=');
    const name = (equals === -1 ? text : text.slice(0, equals)).trim().toLowerCase();
    const path = equals === -1 ? undefined : text.slice(equals + 1).trim();
    if (!(FORMAT_IDS as readonly string[]).includes(name)) {
      // Trivy users ask for an SBOM here (`trivy image --format cyclonedx`): it has a command of its own.
      const sbom = /^(cyclonedx|spdx)/.test(name) ? '; an SBOM of an image: kubeharden vuln sbom IMAGE' : '';
      throw new FormatError(`unknown format "${name}" (formats: ${FORMAT_IDS.join(', ')})${sbom}`);
    }
    if (path === '') throw new FormatError(`format ${name}= needs a file path`);
    if (specs.some((spec) => spec.format === name)) throw new FormatError(`format ${name} is given twice`);
    specs.push({ format: name as FormatId, ...(path !== undefined ? { path } : {}) });
  }
  if (specs.length === 0) throw new FormatError('no format given');
  return specs;
}

export interface RenderContext {
  /**
   * The report before `--severity` filtering. Formats that other tools keep state from use it: a SARIF upload
   * without a finding closes its code-scanning alert, a PolicyReport without it clears the result, and a baseline
   * without it would fail the next scan. `--severity` is a display filter, so it must not do any of that.
   */
  readonly fullReport: Report;
  readonly assessed?: readonly AssessedResource[];
  readonly colors: Palette;
  readonly policyReportApi: PolicyReportApi;
}

/** The report in one format, in pieces that can be written as they come; the format's writer loads on first use. */
export async function renderFormat(format: FormatId, report: Report, context: RenderContext): Promise<Iterable<string>> {
  switch (format) {
    case 'table':
      return (await import('./table.js')).renderTableChunks(report, context.colors);
    case 'json':
      return (await import('./json.js')).renderJsonChunks(report);
    case 'sarif':
      return (await import('./sarif.js')).renderSarifChunks(context.fullReport);
    case 'junit':
      return (await import('./junit.js')).renderJunit(report, context.assessed);
    case 'html':
      return [(await import('./html.js')).renderHtml(report)];
    case 'markdown':
      return [(await import('./markdown.js')).renderMarkdown(report)];
    case 'policyreport':
      return (await import('./policy-report.js')).renderPolicyReportYamlChunks(context.fullReport, { api: context.policyReportApi });
    case 'baseline':
      return (await import('../exceptions/baseline.js')).renderBaselineChunks(findingsOf(context.fullReport));
  }
}
