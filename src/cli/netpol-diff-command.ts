/**
 * `kubeharden netpol diff`: the connections a change opens and closes, between the manifests at a git revision and
 * the working tree (`--base REF [PATH...]`), or between two folders (`OLD NEW`).
 */
import type { InputError } from '../loader/source.js';
import { diffConnectivity } from '../netpol/diff.js';
import { renderDiffJson, renderDiffMarkdown, renderDiffSarif, renderDiffTable, type DiffReport } from '../netpol/diff-render.js';
import { Reachability } from '../netpol/engine.js';
import { loadNetwork as loadModel } from '../netpol/load.js';
import { TemplatePaths } from '../kube/pod-templates.js';
import { NEWEST_KNOWN_MINOR } from '../kube/version.js';
import { collectScanInputs } from '../render/collect.js';
import { inputErrorText } from '../report/terminal-text.js';
import { withTreeAt } from './diff-base.js';
import { UsageError } from './usage-error.js';
import { writeOutput } from './output-file.js';

export interface NetpolDiffOptions {
  base?: string;
  format: 'table' | 'json' | 'markdown' | 'sarif';
  output?: string;
}

/** Charts and overlays are rendered (helm and kustomize from PATH), as `scan` renders them. */
const render = (paths: readonly string[], errors: InputError[]) =>
  collectScanInputs(paths, errors, { render: { values: [], set: [], setString: [], version: { minor: NEWEST_KNOWN_MINOR } } });

export async function runNetpolDiff(paths: readonly string[], options: NetpolDiffOptions): Promise<number> {
  const errors: InputError[] = [];
  const loadNetwork = (scanned: readonly string[]) => loadModel(scanned, errors, new TemplatePaths(), render);
  let report: DiffReport;
  if (options.base !== undefined) {
    const scanned = paths.length > 0 ? paths : ['.'];
    if (scanned.includes('-')) throw new UsageError('netpol diff --base reads files of a git repository: standard input (-) has no earlier version');
    const after = (await loadNetwork(scanned)).model;
    const before = await withTreeAt('--base', options.base, process.cwd(), async ({ toBase }) => (await loadNetwork(scanned.map(toBase))).model);
    report = { base: options.base, head: 'the working tree', changes: diffConnectivity(new Reachability(before), new Reachability(after)) };
  } else {
    if (paths.length !== 2) throw new UsageError('netpol diff needs --base REF, or two paths: OLD NEW');
    const [old, now] = paths as [string, string];
    const before = (await loadNetwork([old])).model;
    const after = (await loadNetwork([now])).model;
    report = { base: old, head: now, changes: diffConnectivity(new Reachability(before), new Reachability(after)) };
  }
  const text =
    options.format === 'json' ? renderDiffJson(report, errors)
    : options.format === 'markdown' ? renderDiffMarkdown(report)
    : options.format === 'sarif' ? renderDiffSarif(report)
    : renderDiffTable(report);
  writeOutput(options.output, text);
  process.stderr.write(errors.map((error) => `kubeharden: ${inputErrorText(error)}\n`).join(''));
  return errors.length > 0 ? 2 : 0;
}
