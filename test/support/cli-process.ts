/** The compiled CLI as a child process, asynchronously: servers that the test runs in its own process keep answering. */
import { spawn } from 'node:child_process';
import { CLI, PROJECT_ROOT } from './paths.js';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `kubeharden ARGS` with NO_COLOR and CI set, the test's environment minus `unset`, plus `env`. */
export function runCliAsync(args: readonly string[], env: Record<string, string> = {}, unset: RegExp = /^$/): Promise<CliResult> {
  return new Promise((resolve) => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !unset.test(name)));
    const child = spawn(process.execPath, [CLI, ...args], { cwd: PROJECT_ROOT, env: { ...base, NO_COLOR: '1', CI: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
