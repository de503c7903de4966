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

/** A program and the arguments that come before the caller's own (`kustomize build`, `kubectl kustomize`). */
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

/** The command that builds an overlay: `kustomize build`, or `kubectl kustomize` (which takes no `build`). */
export function findKustomize(tools: RenderTools): Found {
  if (tools.kustomize !== undefined) return { program: tools.kustomize, leading: ['build'] };
  const kustomize = onPath('kustomize');
  if (kustomize !== undefined) return { program: kustomize, leading: ['build'] };
  const kubectl = onPath('kubectl');
  if (kubectl !== undefined) return { program: kubectl, leading: ['kustomize'] };
  return { missing: 'neither kustomize nor kubectl is on PATH: install one, or name the binary with --kustomize PATH' };
}

export interface RunResult<T = never> {
  readonly ok: boolean;
  /** Everything the tool wrote to its standard output, decoded as UTF-8 when first read. */
  readonly stdout: string;
  /** What the tool said on failure (its stderr, or why it could not start), trimmed. */
  readonly problem: string;
  /** Wall time in milliseconds (the render's own cost, for the bench). */
  readonly millis: number;
  /** CPU time this process spent starting the tool (the fork and exec inside `spawn`), for the bench. */
  readonly startCpuMillis: number;
  /** `ahead`'s result, when the tool succeeded and its whole output was what `ahead` was given; else absent. */
  readonly ahead?: T;
}

export interface RunOptions<T> {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Work on the output while the tool is still running: helm and kustomize write their whole output at once and
   * take milliseconds more to exit (1–5 ms for `helm template`, about 2 ms for `kustomize build`), time this process
   * would otherwise spend waiting. It must depend on the bytes alone: its result is kept only when the tool then
   * succeeds without writing anything more, and the caller does the same work on `stdout` otherwise.
   */
  readonly ahead?: (output: Buffer) => T;
}

/** Output larger than this is not a chart's rendering but a runaway template. */
const MAX_OUTPUT = 256 << 20;

/**
 * Output is worked on ahead only up to this size (a chart's rendering is tens to hundreds of kilobytes): the work
 * runs on this thread, and while it runs the pipe is not drained, so a tool still writing would wait for it.
 */
const AHEAD_MAX_OUTPUT = 1 << 20;
/** A read that fills Node's 64 KiB pipe buffer says more output is on its way: the work ahead waits for a shorter one. */
const FULL_READ = 64 << 10;
/**
 * How much of a tool's standard error is kept for the message: a template that includes itself makes helm write one
 * error of about 100 KB, and a tool could write to it without end (it was all held in memory).
 */
const MAX_PROBLEM_BYTES = 8 << 10;

export function runTool<T = never>(command: ToolCommand, args: readonly string[], options: RunOptions<T> = {}): Promise<RunResult<T>> {
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
    let closed = false;
    // The work ahead, done on the output as it stood when the tool paused writing: at most once per doubling of the
    // output, so output that keeps coming costs at most about twice the work.
    let ahead: { readonly size: number; readonly value: T } | undefined;
    const workAhead = (seen: number) => {
      if (closed || size !== seen || !options.ahead) return;
      ahead = { size, value: options.ahead(Buffer.concat(out, size)) };
    };
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT) return void child.kill('SIGKILL');
      out.push(chunk);
      // Only the last of several chunks read before the work's turn does it: the others see the output grown.
      if (options.ahead && chunk.length < FULL_READ && size <= AHEAD_MAX_OUTPUT && size >= 2 * (ahead?.size ?? 0)) setImmediate(workAhead, size);
    });
    let errSize = 0;
    child.stderr.on('data', (chunk: Buffer) => {
      if (errSize < MAX_PROBLEM_BYTES) err.push(chunk);
      errSize += chunk.length;
    });
    const finish = (ok: boolean, problem: string) => {
      // The tool's time ends here, before anything of ours (joining and decoding its output) is done.
      const millis = performance.now() - started;
      closed = true;
      let stdout: string | undefined;
      resolve({
        ok,
        get stdout() {
          return (stdout ??= Buffer.concat(out).toString('utf8'));
        },
        problem: problem.trim(),
        millis,
        startCpuMillis,
        ...(ok && ahead !== undefined && ahead.size === size ? { ahead: ahead.value } : {}),
      });
    };
    child.on('error', (error) => finish(false, `cannot run ${command.program}: ${error.message}`));
    child.on('close', (code, signal) => {
      const kept = Buffer.concat(err).subarray(0, MAX_PROBLEM_BYTES).toString('utf8');
      const stderr = errSize > MAX_PROBLEM_BYTES ? `${kept.trimEnd()}… (${errSize - MAX_PROBLEM_BYTES} more bytes)` : kept;
      if (size > MAX_OUTPUT) return finish(false, `${command.program} wrote more than ${MAX_OUTPUT >> 20} MB`);
      if (code === 0) return finish(true, stderr);
      finish(false, stderr.trim() || `${command.program} exited with ${code ?? signal}`);
    });
  });
}
