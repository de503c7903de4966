/**
 * Runs a credential command the way client-go runs exec plugins: the program itself with its arguments, never
 * through a shell, with a time limit and a cap on what it may print.
 */
import { spawn } from 'node:child_process';
import { ConnectionError } from './connection-error.js';

/** A credential command that has not answered after this long is stopped (an interactive login gets longer). */
export const CREDENTIAL_COMMAND_TIMEOUT_MS = 120_000;
export const INTERACTIVE_COMMAND_TIMEOUT_MS = 600_000;
/** An ExecCredential is a few kilobytes; anything past this is not one. */
export const MAX_CREDENTIAL_OUTPUT_BYTES = 1024 * 1024;

export interface CredentialCommand {
  /** What to call it in errors: `exec plugin "aws"`. */
  readonly what: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Give the command the terminal's stdin (a login prompt); otherwise stdin is closed. */
  readonly interactive: boolean;
  readonly installHint?: string;
}

/** The command's standard output; its standard error goes to ours, as kubectl lets it. */
export function runCredentialCommand(spec: CredentialCommand): Promise<string> {
  const timeoutMs = spec.interactive ? INTERACTIVE_COMMAND_TIMEOUT_MS : CREDENTIAL_COMMAND_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(spec.command, [...spec.args], { env: spec.env, shell: false, stdio: [spec.interactive ? 'inherit' : 'ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    let size = 0;
    let failure: Error | undefined;
    const stop = (error: Error) => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(new ConnectionError(`${spec.what} gave no credentials within ${timeoutMs / 1000} s`)), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_CREDENTIAL_OUTPUT_BYTES) return stop(new ConnectionError(`${spec.what} printed more than ${MAX_CREDENTIAL_OUTPUT_BYTES} bytes`));
      chunks.push(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'ENOENT' ? ` (not found${spec.installHint ? `; ${spec.installHint.trim()}` : ''})` : '';
      failure ??= new ConnectionError(`${spec.what} could not run: ${error.message}${hint}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (failure) return reject(failure);
      if (code !== 0) return reject(new ConnectionError(`${spec.what} failed (${signal ? `signal ${signal}` : `exit code ${code}`})`));
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}
