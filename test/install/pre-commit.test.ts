/**
 * The pre-commit hooks as a user meets them: the real pre-commit (from PyPI, in a virtualenv cached under .cache)
 * takes this repository's `kubeharden` hook, and in a fresh git repository the commit of an insecure manifest is
 * refused while the fixed manifest commits. The hook runs the kubeharden on PATH (here the built checkout); the
 * hook repository is this checkout at HEAD (commit before running it by hand).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CLI, PROJECT_ROOT } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';

const PRE_COMMIT_VERSION = '4.7.0';
const VENV = join(PROJECT_ROOT, '.cache', 'pre-commit', `venv-${PRE_COMMIT_VERSION}`);

/**
 * pre-commit in its own virtualenv, installed from PyPI once. A virtualenv cannot be moved (its scripts name their
 * Python by absolute path), so it is made in place and marked complete after pip succeeded; anything else is redone.
 */
function preCommit(): string | { missing: string } {
  const binary = join(VENV, 'bin', 'pre-commit');
  const complete = join(VENV, 'installed');
  if (existsSync(complete)) return binary;
  rmSync(VENV, { recursive: true, force: true });
  mkdirSync(join(VENV, '..'), { recursive: true });
  const venv = spawnSync('python3', ['-m', 'venv', VENV], { encoding: 'utf8' });
  if (venv.status !== 0) return { missing: `python3 -m venv failed (python3 with venv is needed to install pre-commit): ${venv.stderr}` };
  const pip = spawnSync(join(VENV, 'bin', 'pip'), ['install', '--quiet', `pre-commit==${PRE_COMMIT_VERSION}`], { encoding: 'utf8' });
  if (pip.status !== 0) {
    rmSync(VENV, { recursive: true, force: true });
    return { missing: `pip install pre-commit==${PRE_COMMIT_VERSION} failed (PyPI is needed once): ${pip.stderr}` };
  }
  writeFileSync(complete, `pre-commit ${PRE_COMMIT_VERSION}\n`);
  return binary;
}

function run(command: string, args: readonly string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('the pre-commit hook', () => {
  it('refuses the commit of an insecure manifest and lets the fixed one through', { timeout: 900_000 }, async (t) => {
    const binary = preCommit();
    if (typeof binary !== 'string') return t.skip(binary.missing);
    const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).stdout.trim();
    const dir = tempDir('pre-commit', t);
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    // kubeharden on PATH, as `npm install --global` puts it (test/install/npm-package.test.ts installs it that way).
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(CLI, join(bin, 'kubeharden'));
    const env = {
      PATH: `${bin}:${process.env['PATH'] ?? ''}`,
      PRE_COMMIT_HOME: join(dir, 'pre-commit-home'),
      GIT_AUTHOR_NAME: 'test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
      NO_COLOR: '1',
    };
    const git = async (...args: string[]) => run('git', args, repo, env);
    assert.equal((await git('init', '--quiet', '--initial-branch=main')).code, 0);
    writeFileSync(join(repo, '.pre-commit-config.yaml'), `repos:\n  - repo: ${PROJECT_ROOT}\n    rev: ${head}\n    hooks:\n      - id: kubeharden\n`);
    const install = await run(binary, ['install'], repo, env);
    assert.equal(install.code, 0, install.output);
    // The hook's environment is installed on first use, with the npm settings above.
    const installHooks = await run(binary, ['install-hooks'], repo, env);
    assert.equal(installHooks.code, 0, installHooks.output);

    copyFileSync(join(PROJECT_ROOT, 'examples', 'insecure', 'debug-pod.yaml'), join(repo, 'pod.yaml'));
    await git('add', 'pod.yaml', '.pre-commit-config.yaml');
    const refused = await git('commit', '--quiet', '-m', 'a debug pod');
    assert.notEqual(refused.code, 0, refused.output);
    assert.match(refused.output, /kubeharden \(Kubernetes manifests\)\.+Failed/);
    assert.match(refused.output, /POD-NO-HOST-NAMESPACES {2}pod\.yaml:\d+:\d+/);
    assert.match(refused.output, /Result: FAIL/);
    assert.equal((await git('rev-parse', '--verify', '--quiet', 'HEAD')).code, 1, 'nothing was committed');

    copyFileSync(join(PROJECT_ROOT, 'examples', 'hardened', 'shop.yaml'), join(repo, 'pod.yaml'));
    await git('add', 'pod.yaml');
    const committed = await git('commit', '--quiet', '-m', 'the hardened app instead');
    assert.equal(committed.code, 0, committed.output);
    assert.match(committed.output, /kubeharden \(Kubernetes manifests\)\.+Passed/);
  });
});
