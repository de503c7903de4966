/**
 * The rendering tools a scan runs: `helm` and `kustomize`, found on PATH unless `--helm`/`--kustomize` name them,
 * with `kubectl kustomize` standing in for a missing kustomize. Run without a shell, output captured whole.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface RenderTools {
  /** `--helm PATH`, else `helm` from PATH. */
  readonly helm?: string;
  /** `--kustomize PATH`, else `kustomize` from PATH, else `kubectl` (as `kubectl kustomize`). */
  readonly kustomize?: string;
}

/** A program and the arguments that come before the caller's own (`kubectl` + `kustomize`). */
export interface ToolCommand {
  readonly program: string;
  readonly leading: readonly string[];
}

export type Found = ToolCommand | { readonly missing: string };

/** A program on PATH, as the shell would find it, or undefined. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const folder of (env['PATH'] ?? '').split(delimiter)) {
    if (folder === '') continue;
    const candidate = join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function findHelm(tools: RenderTools): Found {
  const program = tools.helm ?? onPath('helm');
  if (program === undefined) return { missing: 'helm is not on PATH: install Helm 3, or name the binary with --helm PATH' };
  return { program, leading: [] };
}

export function findKustomize(tools: RenderTools): Found {
  if (tools.kustomize !== undefined) return { program: tools.kustomize, leading: [] };
  const kustomize = onPath('kustomize');
  if (kustomize !== undefined) return { program: kustomize, leading: [] };
  const kubectl = onPath('kubectl');
  if (kubectl !== undefined) return { program: kubectl, leading: ['kustomize'] };
  return { missing: 'neither kustomize nor kubectl is on PATH: install one, or name the binary with --kustomize PATH' };
}

export interface RunResult {
  readonly ok: boolean;
  readonly stdout: string;
  /** What the tool said on failure (its stderr, or why it could not start), trimmed. */
  readonly problem: string;
  /** Wall time in milliseconds (the render's own cost, for the bench). */
  readonly millis: number;
  /** CPU time this process spent starting the tool (the fork and exec inside `spawn`), for the bench. */
  readonly startCpuMillis: number;
}

/** Output larger than this is not a chart's rendering but a runaway template. */
const MAX_OUTPUT = 256 << 20;

export function runTool(command: ToolCommand, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const cpu = process.cpuUsage();
    const child = spawn(command.program, [...command.leading, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const startCpu = process.cpuUsage(cpu);
    const startCpuMillis = (startCpu.user + startCpu.system) / 1000;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT) child.kill('SIGKILL');
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const finish = (ok: boolean, problem: string) =>
      resolve({ ok, stdout: Buffer.concat(out).toString('utf8'), problem: problem.trim(), millis: performance.now() - started, startCpuMillis });
    child.on('error', (error) => finish(false, `cannot run ${command.program}: ${error.message}`));
    child.on('close', (code, signal) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (size > MAX_OUTPUT) return finish(false, `${command.program} wrote more than ${MAX_OUTPUT >> 20} MB`);
      if (code === 0) return finish(true, stderr);
      finish(false, stderr.trim() || `${command.program} exited with ${code ?? signal}`);
    });
  });
}
