/** The compiled CLI as a child process: asynchronously (servers the test runs in its own process keep answering), or with a time limit and as an unprivileged user, for tests of hostile inputs. */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { CLI, PROJECT_ROOT } from './paths.js';
import { checkJsonOutputs } from './json-outputs.js';
import { tempDir } from './temp-dir.js';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the time limit killed it: a read that never ends. */
  readonly timedOut?: boolean;
}

/** Runs `kubeharden ARGS` with NO_COLOR and CI set, the test's environment minus `unset`, plus `env`. */
export function runCliAsync(args: readonly string[], env: Record<string, string> = {}, unset: RegExp = /^$/): Promise<CliResult> {
  return new Promise((resolve) => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !unset.test(name)));
    const childEnv = { ...base, NO_COLOR: '1', CI: '1', ...env };
    const child = spawn(process.execPath, [CLI, ...args], { cwd: PROJECT_ROOT, env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      checkJsonOutputs(args, { code, stdout }, PROJECT_ROOT, childEnv);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * `unprivileged`: root ignores permission bits, so a test of an unreadable folder runs the CLI as `nobody` through
 * setpriv when the tests run as root; as any other user it runs as that user, for whom the bits already apply.
 */
export function runCli(args: readonly string[], options: { input?: string; env?: Record<string, string>; unprivileged?: boolean; timeoutMs?: number; cwd?: string } = {}): CliResult {
  const asNobody = options.unprivileged === true && process.getuid?.() === 0;
  const [command, commandArgs] = asNobody
    ? ['setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, CLI, ...args]]
    : [CLI, [...args]];
  const cwd = options.cwd ?? PROJECT_ROOT;
  const env = { ...process.env, NO_COLOR: '1', CI: '1', ...options.env };
  const result = spawnSync(command, commandArgs, {
    cwd,
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 30_000,
    maxBuffer: 64 * 1024 * 1024,
    env,
  });
  if (result.signal === null) checkJsonOutputs(args, { code: result.status, stdout: result.stdout }, cwd, env);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, timedOut: result.signal === 'SIGTERM' };
}

/** A temporary folder removed after the test; readable by `nobody` (mkdtemp makes it 0700). */
export function tempTree(t: TestContext, prefix: string): string {
  // tempDir gives back the permissions a test took away before it removes the folder.
  const dir = tempDir(prefix, t);
  chmodSync(dir, 0o755);
  return dir;
}
