/** What the rendering tests share: the real helm and kustomize binaries, and a scan's findings as short lines. */
import { join } from 'node:path';
import { goToolBinary } from '../support/go-tool.js';
import { runCli, type CliResult } from '../support/cli-process.js';
import { PROJECT_ROOT } from '../support/paths.js';

const kustomize = goToolBinary('kustomize');
const helm = goToolBinary('helm');

export const KUSTOMIZE = typeof kustomize === 'string' ? kustomize : '';
export const HELM = typeof helm === 'string' ? helm : '';
/** `skip` for tests that need both tools: the reason names the one that is not built. */
export const needsTools: string | false = typeof kustomize !== 'string' ? kustomize.missing : typeof helm !== 'string' ? helm.missing : false;

export const FIXTURES = join('test', 'render', 'fixtures');
export const FIXTURES_DIR = join(PROJECT_ROOT, FIXTURES);

export interface JsonFinding {
  readonly controlId: string;
  readonly severity: string;
  readonly resource: { kind: string; namespace: string | null; name: string | null };
  readonly location: { file: string; line: number; column: number; renderedFrom?: string; templateSource?: string };
  readonly field: string;
}

export interface JsonReport {
  readonly findings: JsonFinding[];
  readonly errors: { file: string; line: number | null; message: string }[];
  readonly notices?: { file: string; line: number | null; column: number | null; message: string }[];
  readonly summary: { resources?: number } & Record<string, unknown>;
}

/** `kubeharden scan ARGS -o json` with the built tools. */
export function scanJson(args: readonly string[], options: { cwd?: string } = {}): { result: CliResult; report: JsonReport } {
  const result = runCli(['scan', '--kustomize', KUSTOMIZE, '--helm', HELM, '-o', 'json', '--fail-on', 'none', ...args], { ...options, timeoutMs: 120_000 });
  if (result.stdout.trim() === '') throw new Error(`no report (exit ${result.code}): ${result.stderr}`);
  return { result, report: JSON.parse(result.stdout) as JsonReport };
}

/** `CONTROL Kind/name file:line:column field` for each finding of these controls, sorted. */
export function findingLines(report: JsonReport, controls?: readonly string[]): string[] {
  return report.findings
    .filter((finding) => controls === undefined || controls.includes(finding.controlId))
    .map((finding) => `${finding.controlId} ${finding.resource.kind}/${finding.resource.name} ${finding.location.file}:${finding.location.line}:${finding.location.column} ${finding.field}`)
    .sort();
}
