/**
 * Child processes (etcd, kube-apiserver) that never outlive the test process: their output goes to a log file and
 * a short in-memory tail for error messages, and they are killed when the test process exits or is signalled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Null while running; otherwise how it ended ("exit code 1", "signal SIGTERM"). */
  ended(): string | null;
  /** The last lines it wrote (stdout and stderr), for error messages. */
  tail(lines: number): string;
  /** SIGTERM, then SIGKILL after GRACE_MS; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const TAIL_BYTES = 64 * 1024;
const running = new Set<ChildProcess>();

function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}

// 'exit' covers normal ends and uncaught errors; a signal ends node without 'exit', so those are caught too and
// re-raised once the children are gone (only while children run, so the test process keeps its usual behaviour).
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
function onSignal(signal: NodeJS.Signals): void {
  killAll();
  unwatchSignals();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
function watchSignals(): void {
  for (const signal of SIGNALS) if (!process.listeners(signal).includes(onSignal)) process.on(signal, onSignal);
}
function unwatchSignals(): void {
  for (const signal of SIGNALS) process.off(signal, onSignal);
}
process.on('exit', killAll);

export function startProcess(name: string, binary: string, args: readonly string[], logFile: string): ManagedProcess {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  let tail = '';
  let spawnError: Error | undefined;
  const record = (chunk: Buffer) => {
    log.write(chunk);
    tail = (tail + chunk.toString()).slice(-TAIL_BYTES);
  };
  child.stdout?.on('data', record);
  child.stderr?.on('data', record);
  child.on('error', (error) => (spawnError = error));
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      if (running.size === 0) unwatchSignals();
      resolve();
    });
    // A binary that cannot be started never emits 'exit'.
    child.once('error', () => resolve());
  });
  // Closed only once both pipes have drained, so the log file is complete.
  child.once('close', () => log.end());
  running.add(child);
  watchSignals();

  const ended = (): string | null => {
    if (spawnError) return `could not start: ${spawnError.message}`;
    if (child.signalCode !== null) return `signal ${child.signalCode}`;
    if (child.exitCode !== null) return `exit code ${child.exitCode}`;
    return null;
  };
  return {
    name,
    pid: child.pid ?? -1,
    logFile,
    ended,
    tail: (lines) => tail.trimEnd().split('\n').slice(-lines).join('\n'),
    async stop(graceMs = 10_000) {
      if (ended() !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
