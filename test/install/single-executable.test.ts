/**
 * The single executable (Node SEA, `npm run build:binary`): built from the compiled CLI once per input hash, run
 * with an empty environment and a PATH with no node on it, it answers every command line below byte for byte as
 * the Node CLI does (the code the npm package ships), and fails clearly where the native SQLite module is needed.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import { checkJsonOutputs } from '../support/json-outputs.js';
import { CLI, PROJECT_ROOT } from '../support/paths.js';
import { PLATFORM, seaBinary, type SeaBinary } from '../support/sea-binary.js';
import { tempDir } from '../support/temp-dir.js';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const dir = tempDir('sea');
/** The only folder on PATH: empty, so neither node nor anything else can be found through it. */
const emptyPath = join(dir, 'path');
mkdirSync(emptyPath);
const home = join(dir, 'home');
mkdirSync(home);

/** `env -i` with only PATH, HOME and NO_COLOR: nothing of the test's environment leaks in. Asynchronous, so a server in this process answers. */
function runClean(command: readonly string[], options: { input?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/env', ['-i', `PATH=${emptyPath}`, `HOME=${home}`, 'NO_COLOR=1', ...command], { cwd: PROJECT_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // Nothing written when there is no input (a command that never reads stdin would make the write fail).
    if (options.input === undefined) child.stdin.end();
    else child.stdin.end(options.input);
  });
}

// Each line loads different lazily imported code: the scan, every report writer, the catalog, completion, stdin.
const COMMAND_LINES: { args: string[]; input?: string; code: number }[] = [
  { args: ['--version'], code: 0 },
  { args: ['--help'], code: 0 },
  { args: ['scan', 'examples/', '--format', 'json'], code: 1 },
  { args: ['scan', 'examples/'], code: 1 },
  { args: ['scan', 'examples/', '--format', 'sarif'], code: 1 },
  { args: ['scan', 'examples/', '--format', 'junit'], code: 1 },
  { args: ['scan', 'examples/', '--format', 'markdown'], code: 1 },
  { args: ['scan', 'examples/hardened/', '--framework', 'all', '--format', 'json'], code: 0 },
  { args: ['scan', '-', '--format', 'json'], input: readFileSync(join(PROJECT_ROOT, 'examples', 'insecure', 'debug-pod.yaml'), 'utf8'), code: 1 },
  { args: ['controls'], code: 0 },
  { args: ['controls', 'POD-NO-PRIVILEGED'], code: 0 },
  { args: ['completion', 'bash'], code: 0 },
  { args: ['scan', 'no-such-folder/'], code: 2 },
];

let built: SeaBinary | { missing: string };

describe(`the single executable (${PLATFORM})`, () => {
  before(async () => {
    built = await seaBinary();
  });

  it('runs without node: PATH has none, and the environment is empty', async (t) => {
    if (!('binary' in built)) return t.skip(built.missing);
    assert.deepEqual(readdirSync(emptyPath), []);
    const noNode = await runClean(['node', '--version']);
    assert.equal(noNode.code, 127, 'env finds no node on PATH');
    const version = await runClean([built.binary, '--version']);
    const packageVersion = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    assert.deepEqual(version, { code: 0, stdout: `${packageVersion}\n`, stderr: '' });
  });

  for (const { args, input, code } of COMMAND_LINES) {
    it(`kubeharden ${args.join(' ')}: the same exit code, output and errors as the Node CLI`, async (t) => {
      if (!('binary' in built)) return t.skip(built.missing);
      const binary = await runClean([built.binary, ...args], input === undefined ? {} : { input });
      const node = await runClean([process.execPath, CLI, ...args], input === undefined ? {} : { input });
      assert.equal(binary.code, code, binary.stderr);
      assert.deepEqual(binary, node);
      checkJsonOutputs(args, binary, PROJECT_ROOT, {});
    });
  }

  it('scans the examples to the exact findings (83: 9 high, 49 medium, 21 low, 4 info)', async (t) => {
    if (!('binary' in built)) return t.skip(built.missing);
    const scan = await runClean([built.binary, 'scan', 'examples/', '--format', 'json']);
    const report = JSON.parse(scan.stdout) as { summary: { findings: number; bySeverity: Record<string, number> } };
    assert.deepEqual([report.summary.findings, report.summary.bySeverity], [83, { critical: 0, high: 9, medium: 49, low: 21, info: 4 }]);
  });

  // better-sqlite3 is native: the binary cannot hold it. serve reaches the API server first, so one answers /version.
  it("says serve's SQLite history needs the npm package or the image, and exits 2", async (t) => {
    if (!('binary' in built)) return t.skip(built.missing);
    const server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(request.url === '/version' ? JSON.stringify({ major: '1', minor: '30', gitVersion: 'v1.30.0' }) : '{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => server.close());
    const kubeconfig = join(dir, 'kubeconfig');
    const apiServer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${apiServer}"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n`);
    const serve = await runClean([built.binary, 'serve', '--kubeconfig', kubeconfig, '--database', `sqlite:${join(dir, 'history.db')}`, '--listen', '127.0.0.1:0']);
    assert.deepEqual(serve, {
      code: 2,
      stdout: '',
      stderr:
        'kubeharden: cannot open the history database: SQLite (better-sqlite3, a native module) is not in the single executable: use the npm package or the container image for this, or serve --database postgres://…\n',
    });
  });

  it('ships as an archive of the executable and the licence, with its sha256', async (t) => {
    if (!('binary' in built)) return t.skip(built.missing);
    const list = spawnSync('tar', ['-tvzf', built.archive], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^-rw-r--r-- 0\/0 +11357 1970-01-01 00:00 LICENSE\n-rwxr-xr-x 0\/0 +\d+ 1970-01-01 00:00 kubeharden\n$/);
    const sha256 = createHash('sha256').update(readFileSync(built.archive)).digest('hex');
    assert.equal(sha256, built.sha256);
    assert.equal(readFileSync(`${built.archive}.sha256`, 'utf8'), `${sha256}  kubeharden-${PLATFORM}.tar.gz\n`);
  });
});
