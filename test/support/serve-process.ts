/** `kubeharden serve` as a child process: started, its port read from its log, polled over HTTP, stopped with SIGTERM. */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { CLI, PROJECT_ROOT } from './paths.js';

export interface ServeProcess {
  readonly port: number;
  readonly child: ChildProcess;
  log(): string;
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function startServe(args: readonly string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { cwd: PROJECT_ROOT, env: { ...process.env, NO_COLOR: '1', CI: '1', ...env } });
  let stderr = '';
  let exited: number | null | undefined;
  const ended = new Promise<number | null>((resolve) => child.on('close', (code) => resolve((exited = code))));
  child.stdout.resume();
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start listening within 30 s:\n${stderr}`)), 30_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on [^\s;]*:(\d+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    void ended.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve ended (exit ${code}) before listening:\n${stderr}`));
    });
  });
  const stop = async () => {
    if (exited === undefined) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await ended;
    clearTimeout(timer);
    return code;
  };
  process.once('exit', () => child.kill('SIGKILL'));
  return { port, child, log: () => stderr, get: (path, headers = {}) => get(port, path, headers), stop };
}

export function get(port: number, path: string, headers: Record<string, string> = {}, host = '127.0.0.1'): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host, port, path, headers, timeout: 10_000 }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
    });
    request.on('error', reject);
    request.on('timeout', () => request.destroy(new Error(`GET ${path} timed out`)));
  });
}

/** Polls `check` every 50 ms until it returns true; fails with `what` after `ms`. Returns the time it took. */
export async function within(ms: number, what: string, check: () => Promise<boolean> | boolean): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
