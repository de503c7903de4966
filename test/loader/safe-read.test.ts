/** The one reader of user-named files: regular files only, a cap per kind, pipes only when named by the user. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, fstatSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { inputLimit, INPUT_LIMITS, openStreamableFile, readInputFile, readInputStream, UnreadableInput } from '../../src/loader/safe-read.js';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubeharden-safe-read-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function mkfifo(path: string): void {
  const result = spawnSync('mkfifo', [path]);
  assert.equal(result.status, 0, `mkfifo: ${String(result.stderr)}`);
}

describe('readInputFile', () => {
  it('refuses devices and folders, saying what they are, without reading them', () => {
    for (const [path, what] of [
      ['/dev/zero', /^is a character device, not a regular file$/],
      ['/dev/null', /^is a character device, not a regular file$/],
      [tmpdir(), /^is a directory, not a regular file$/],
    ] as const) {
      assert.throws(() => readInputFile(path, 'manifest', { allowPipe: true }), (error: Error) => error instanceof UnreadableInput && what.test(error.message), path);
    }
  });

  it('refuses a FIFO found by walking (no hang, even with no writer), reads one the user named', async (t) => {
    const dir = tempDir(t);
    const fifo = join(dir, 'pipe.yaml');
    mkfifo(fifo);
    assert.throws(() => readInputFile(fifo, 'host'), /is a FIFO \(named pipe\), not a regular file/);
    // A writer in another process, as `scan <(helm template ...)` has.
    const writer = spawn('sh', ['-c', `printf 'kind: Pod\\n' > '${fifo}'`], { stdio: 'ignore' });
    assert.equal(readInputFile(fifo, 'manifest', { allowPipe: true }).toString(), 'kind: Pod\n');
    await once(writer, 'exit');
  });

  it('reads a named FIFO whose writer was already waiting, writes at once and leaves (no second open that waits for another)', (t) => {
    const dir = tempDir(t);
    // In a child process with a timeout: the failure this guards against is a read that never returns.
    const script = `
      import { spawn, execFileSync } from 'node:child_process';
      const { readInputFile, openStreamableFile } = await import(${JSON.stringify(new URL('../../src/loader/safe-read.js', import.meta.url).href)});
      const { closeSync, readSync } = await import('node:fs');
      const texts = [];
      for (let i = 0; i < 10; i++) {
        const fifo = ${JSON.stringify(dir)} + '/pipe-' + i;
        execFileSync('mkfifo', [fifo]);
        const writer = spawn('sh', ['-c', "printf 'kind: Pod\\n' > '" + fifo + "'"], { stdio: 'ignore' });
        await new Promise((resolve) => setTimeout(resolve, 30)); // the writer now waits in open() for a reader
        if (i % 2 === 0) texts.push(readInputFile(fifo, 'manifest', { allowPipe: true }).toString());
        else {
          const fd = openStreamableFile(fifo);
          const buffer = Buffer.alloc(64);
          texts.push(buffer.subarray(0, readSync(fd, buffer)).toString());
          closeSync(fd);
        }
        if (writer.exitCode === null) await new Promise((resolve) => writer.once('exit', resolve));
      }
      process.stdout.write(JSON.stringify(texts));
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000, encoding: 'utf8' });
    assert.equal(child.signal, null, 'a read hung (killed after 20 s)');
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout), Array(10).fill('kind: Pod\n'));
  });

  it('caps each kind, counting what is read rather than what stat says', (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'big.yaml');
    writeFileSync(file, 'x'.repeat(2048));
    const env = { KUBEHARDEN_MAX_MANIFEST_SIZE: '1K' };
    assert.throws(() => readInputFile(file, 'manifest', { env }), /larger than 1 KiB, the limit for manifest files and standard input \(raise it with KUBEHARDEN_MAX_MANIFEST_SIZE/);
    assert.equal(readInputFile(file, 'manifest', { env: { KUBEHARDEN_MAX_MANIFEST_SIZE: '2048' } }).length, 2048);
    // Other kinds keep their own caps.
    assert.equal(readInputFile(file, 'config', { env }).length, 2048);
    // /proc files say size 0 and still have content: the count is what matters.
    assert.ok(readInputFile('/proc/self/status', 'host').length > 0);
    assert.throws(() => readInputFile('/proc/self/status', 'host', { env: { KUBEHARDEN_MAX_HOST_FILE_SIZE: '16' } }), /larger than 16 bytes, the limit for host files/);
  });

  it('follows no final link when asked (the host reader resolves links itself)', (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'target'), 'x');
    symlinkSync('target', join(dir, 'link'));
    assert.throws(() => readInputFile(join(dir, 'link'), 'host', { noFollow: true }), { code: 'ELOOP' });
    assert.equal(readInputFile(join(dir, 'link'), 'host').toString(), 'x');
  });
});

describe('readInputStream', () => {
  it('stops standard input at the manifest cap', async () => {
    const endless = Readable.from((function* () {
      for (;;) yield Buffer.alloc(1024);
    })());
    await assert.rejects(readInputStream(endless, 'manifest', { KUBEHARDEN_MAX_MANIFEST_SIZE: '64K' }), /larger than 64 KiB, the limit for manifest files and standard input/);
    assert.equal((await readInputStream(Readable.from([Buffer.from('ab'), Buffer.from('c')]), 'manifest', {})).toString(), 'abc');
  });
});

describe('inputLimit', () => {
  const cases: [string, number | RegExp][] = [
    ['1048576', 1048576],
    ['512K', 512 * 1024],
    ['512M', 512 * 1024 * 1024],
    ['2G', 2 * 1024 ** 3],
    ['2GiB', 2 * 1024 ** 3],
    ['10mb', 10 * 1024 * 1024],
    ['0', /must be a size/],
    ['-1', /must be a size/],
    ['1.5G', /must be a size/],
    ['lots', /KUBEHARDEN_MAX_BASELINE_SIZE must be a size such as 512M, 2G or 1048576, not "lots"/],
  ];
  for (const [value, expected] of cases) {
    it(`KUBEHARDEN_MAX_BASELINE_SIZE=${value}`, () => {
      const env = { KUBEHARDEN_MAX_BASELINE_SIZE: value };
      if (typeof expected === 'number') assert.equal(inputLimit('baseline', env), expected);
      else assert.throws(() => inputLimit('baseline', env), expected);
    });
  }
  it('defaults when unset, one variable per kind', () => {
    assert.equal(inputLimit('manifest', {}), INPUT_LIMITS.manifest.bytes);
    assert.equal(new Set(Object.values(INPUT_LIMITS).map((limit) => limit.variable)).size, Object.keys(INPUT_LIMITS).length);
  });
});

describe('openStreamableFile', () => {
  it('refuses a device for a log (it would stream forever), opens a regular file', (t) => {
    assert.throws(() => openStreamableFile('/dev/zero'), /is a character device, not a regular file/);
    const dir = tempDir(t);
    writeFileSync(join(dir, 'audit.log'), '{}\n');
    const fd = openStreamableFile(join(dir, 'audit.log'));
    assert.equal(fstatSync(fd).size, 3);
    closeSync(fd);
  });
});
