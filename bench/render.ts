/**
 * `npm run bench -- --render-only`: for each chart and overlay (the real-world corpus's Kustomize overlays, the
 * real public chart among the test fixtures (ingress-nginx's), and the test fixtures' own charts and overlays), the rendering tool's own time (`helm template`, `kustomize build`) against
 * what kubeharden adds on top: collecting, tracing and scanning the rendered objects. Rendering is the other
 * tool's cost; ours must stay within 10% of it. Medians of several runs, in this process. Besides wall time, CPU
 * time (user + system): the tool's (its process, waited for) against ours (this process, which includes starting
 * the tool); on a loaded machine wall time waits for a core, CPU time does not. The issue's budget is about charts
 * (`helm template`), so charts and overlays are totalled apart as well as together.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { childCpuMs } from './child-cpu.js';
import { collectScanInputs } from '../src/render/collect.js';
import { scanInputs } from '../src/scan/scan.js';
import { TemplatePaths } from '../src/kube/pod-templates.js';
import { NEWEST_KNOWN_MINOR } from '../src/kube/version.js';
import type { InputError } from '../src/loader/source.js';

const BUDGET = 0.1;

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function renderables(root: string): string[] {
  if (!existsSync(root)) return [];
  const found: string[] = [];
  const walk = (folder: string) => {
    const names = readdirSync(folder);
    if (names.includes('Chart.yaml')) return void found.push(folder);
    if (names.some((name) => ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].includes(name))) found.push(folder);
    for (const name of names) if (!name.startsWith('.') && statSync(join(folder, name)).isDirectory()) walk(join(folder, name));
  };
  walk(root);
  return found;
}

export async function benchRender(projectRoot: string, sharedRoot: string, runs: number): Promise<void> {
  const tools = (await import(pathToFileURL(resolve(projectRoot, 'scripts', 'build-go-tool.mjs')).href)) as { goToolBinary(name: string): string | { missing: string } };
  const helm = tools.goToolBinary('helm');
  const kustomize = tools.goToolBinary('kustomize');
  if (typeof helm !== 'string' || typeof kustomize !== 'string') {
    console.log(`render bench skipped: ${typeof helm === 'string' ? '' : helm.missing} ${typeof kustomize === 'string' ? '' : kustomize.missing}`);
    return;
  }
  const targets = [
    ...renderables(resolve(sharedRoot, 'corpus', 'real-world')),
    ...renderables(resolve(projectRoot, 'test', 'render', 'fixtures', 'real-world')),
    ...renderables(resolve(projectRoot, 'test', 'render', 'fixtures', 'helm', 'shop')),
    ...renderables(resolve(projectRoot, 'test', 'render', 'fixtures', 'kustomize', 'overlays')),
  ];
  console.log(`\nRendering (${runs} runs, median; load average ${(loadavg()[0] as number).toFixed(1)}): the tool's own time against kubeharden's on top of it (budget ${BUDGET * 100}%)`);
  console.log('chart or overlay'.padEnd(58) + 'kind     objects  render ms  ours ms  added   tool CPU ms  our CPU ms  added');
  const totals = new Map<Kind | 'all', Totals>();
  for (const target of targets) {
    const kind: Kind = existsSync(join(target, 'Chart.yaml')) ? 'chart' : 'overlay';
    const renderTimes: number[] = [];
    const ourTimes: number[] = [];
    const toolCpu: number[] = [];
    const ourCpu: number[] = [];
    const startCpu: number[] = [];
    let objects = 0;
    for (let run = 0; run < runs; run++) {
      let rendered = 0;
      let starting = 0;
      const errors: InputError[] = [];
      // Read before the clocks start: reading /proc is the bench's own work, not ours.
      const childStart = childCpuMs() ?? 0;
      const started = performance.now();
      const cpuStart = process.cpuUsage();
      const inputs = await collectScanInputs([target], errors, {
        render: { helm, kustomize, values: [], set: [], setString: [], version: { minor: NEWEST_KNOWN_MINOR }, onRendered: (_dir, millis, startCpuMillis) => {
          rendered += millis;
          starting += startCpuMillis;
        } },
      });
      const result = await scanInputs(inputs, errors, { framework: 'nsa', version: { minor: NEWEST_KNOWN_MINOR }, templatePaths: new TemplatePaths() });
      const total = performance.now() - started;
      const cpu = process.cpuUsage(cpuStart);
      ourCpu.push((cpu.user + cpu.system) / 1000);
      startCpu.push(starting);
      toolCpu.push((childCpuMs() ?? 0) - childStart);
      result.store.close();
      if (errors.length > 0) throw new Error(`${target}: ${errors.map((error) => error.message).join('; ')}`);
      objects = result.stats.resources;
      renderTimes.push(rendered);
      ourTimes.push(total - rendered);
    }
    const render = median(renderTimes);
    const ours = median(ourTimes);
    // CPU time counts in 10 ms ticks for the tool: means resolve better than medians.
    const tool = mean(toolCpu);
    const our = mean(ourCpu);
    const start = mean(startCpu);
    for (const key of [kind, 'all'] as const) {
      const sum = totals.get(key) ?? { count: 0, render: 0, ours: 0, toolCpu: 0, ourCpu: 0, startCpu: 0 };
      totals.set(key, { count: sum.count + 1, render: sum.render + render, ours: sum.ours + ours, toolCpu: sum.toolCpu + tool, ourCpu: sum.ourCpu + our, startCpu: sum.startCpu + start });
    }
    const name = relative(resolve(projectRoot, '..'), target);
    console.log(
      `${name.slice(-56).padEnd(58)}${kind.padEnd(7)}${String(objects).padStart(7)}  ${render.toFixed(0).padStart(9)}  ${ours.toFixed(1).padStart(7)}  ${((ours / render) * 100).toFixed(1).padStart(4)}%  ${tool.toFixed(0).padStart(11)}  ${our.toFixed(1).padStart(10)}  ${((our / tool) * 100).toFixed(1).padStart(4)}%`,
    );
  }
  const verdict = (added: number) => `${(added * 100).toFixed(1)}% added (${added <= BUDGET ? 'within' : 'OVER'} the ${BUDGET * 100}% budget)`;
  for (const [key, label] of [['chart', 'charts (helm template)'], ['overlay', 'overlays (kustomize build)'], ['all', 'all']] as const) {
    const sum = totals.get(key);
    if (!sum) continue;
    console.log(`${label}, ${sum.count}: render ${sum.render.toFixed(0)} ms, ours ${sum.ours.toFixed(0)} ms: ${verdict(sum.ours / sum.render)}; CPU time: the tools ${sum.toolCpu.toFixed(0)} ms, ours ${sum.ourCpu.toFixed(0)} ms: ${verdict(sum.ourCpu / sum.toolCpu)}, of which ${sum.startCpu.toFixed(0)} ms starting the tools (fork and exec, counted as the tool's in wall time)`);
  }
}

type Kind = 'chart' | 'overlay';

interface Totals {
  readonly count: number;
  readonly render: number;
  readonly ours: number;
  readonly toolCpu: number;
  readonly ourCpu: number;
  readonly startCpu: number;
}
