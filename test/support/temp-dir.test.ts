/** tempDir(): every folder it makes is gone after its test, or when the test file's process exits. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from './temp-dir.js';

const HELPER = new URL('./temp-dir.js', import.meta.url).href;

describe('tempDir', () => {
  let fromTest = '';
  it('makes a fresh folder named after its purpose in the temporary folder', (t) => {
    fromTest = tempDir('purpose', t);
    assert.match(basename(fromTest), /^kubeharden-purpose-\w{6}$/);
    writeFileSync(join(fromTest, 'file'), 'x');
    assert.ok(existsSync(fromTest));
  });
  it('removed it after that test', () => {
    assert.ok(fromTest !== '' && !existsSync(fromTest), fromTest);
  });

  it('removes a folder without a test when the process exits, even one that holds unreadable folders', (t) => {
    const parent = tempDir('exit', t);
    // A separate process that makes a folder, takes the access away from a folder inside it, and exits.
    const script = `import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const { tempDir } = await import(${JSON.stringify(HELPER)});
const dir = tempDir('file-wide');
mkdirSync(join(dir, 'locked', 'inner'), { recursive: true });
writeFileSync(join(dir, 'locked', 'inner', 'file'), 'x');
chmodSync(join(dir, 'locked', 'inner'), 0);
chmodSync(join(dir, 'locked'), 0);
console.log(dir);`;
    // As root nothing is unreadable: run it as nobody then, so that removing really meets EACCES.
    chmodSync(parent, 0o777);
    const unprivileged = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    const [command = '', ...args] = [...unprivileged, process.execPath, '--input-type=module', '-e', script];
    const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, TMPDIR: parent } });
    assert.equal(result.status, 0, result.stderr);
    const made = result.stdout.trim();
    assert.equal(dirname(made), parent);
    assert.ok(!existsSync(made), `${made} is left after the process exited`);
  });
});
