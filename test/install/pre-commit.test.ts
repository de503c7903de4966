/**
 * The pre-commit hooks as a user meets them: the real pre-commit (from PyPI, in a virtualenv cached under .cache)
 * takes this repository's hooks, and in a fresh git repository the commit of an insecure manifest (`kubeharden`)
 * or of a chart made privileged by its values (`kubeharden-charts`, rendered by the real helm) is refused while
 * the fixed one commits. The hook runs the kubeharden on PATH (here the built checkout); the
 * hook repository is this checkout at HEAD (commit before running it by hand).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { goToolBinary } from '../support/go-tool.js';
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

interface HookRepository {
  readonly repo: string;
  git(...args: string[]): Promise<{ code: number | null; output: string }>;
}

/**
 * A fresh git repository whose .pre-commit-config.yaml takes `hooks` from this checkout at HEAD, with pre-commit's
 * git hook installed and the hooks' environments ready; `kubeharden` (and `path`) on PATH.
 */
async function hookRepository(t: TestContext, preCommit: string, hooks: string, path: readonly string[] = []): Promise<HookRepository> {
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).stdout.trim();
  const dir = tempDir('pre-commit', t);
  const repo = join(dir, 'repo');
  mkdirSync(repo);
  // kubeharden on PATH, as `npm install --global` puts it (test/install/npm-package.test.ts installs it that way).
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  symlinkSync(CLI, join(bin, 'kubeharden'));
  const env = {
    PATH: [bin, ...path, process.env['PATH'] ?? ''].join(':'),
    PRE_COMMIT_HOME: join(dir, 'pre-commit-home'),
    GIT_AUTHOR_NAME: 'test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    NO_COLOR: '1',
  };
  const git = async (...args: string[]) => run('git', args, repo, env);
  assert.equal((await git('init', '--quiet', '--initial-branch=main')).code, 0);
  writeFileSync(join(repo, '.pre-commit-config.yaml'), `repos:\n  - repo: ${PROJECT_ROOT}\n    rev: ${head}\n    hooks:\n${hooks}`);
  const install = await run(preCommit, ['install'], repo, env);
  assert.equal(install.code, 0, install.output);
  // The hook's environment is installed on first use, with the npm settings above.
  const installHooks = await run(preCommit, ['install-hooks'], repo, env);
  assert.equal(installHooks.code, 0, installHooks.output);
  return { repo, git };
}

/** A Helm chart whose one Deployment runs privileged exactly when values.yaml says so. */
const CHART: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
  'values.yaml': 'privileged: true\n',
  'templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext:
            privileged: {{ .Values.privileged }}
`,
};

describe('the pre-commit hooks', () => {
  it('kubeharden: refuses the commit of an insecure manifest and lets the fixed one through', { timeout: 900_000 }, async (t) => {
    const binary = preCommit();
    if (typeof binary !== 'string') return t.skip(binary.missing);
    const { repo, git } = await hookRepository(t, binary, '      - id: kubeharden\n');

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

  // The chart is rendered by the real helm; the manifests hook leaves Chart.yaml, values and templates alone.
  it('kubeharden-charts: a values change that makes the chart privileged is refused, at the template line; the fix commits', { timeout: 900_000 }, async (t) => {
    const binary = preCommit();
    if (typeof binary !== 'string') return t.skip(binary.missing);
    const helm = goToolBinary('helm');
    if (typeof helm !== 'string') return t.skip(helm.missing);
    const hooks = '      - id: kubeharden\n      - id: kubeharden-charts\n        args: [charts/]\n';
    const { repo, git } = await hookRepository(t, binary, hooks, [dirname(helm)]);
    for (const [file, text] of Object.entries(CHART)) {
      mkdirSync(dirname(join(repo, 'charts', 'app', file)), { recursive: true });
      writeFileSync(join(repo, 'charts', 'app', file), text);
    }
    await git('add', '.');
    const refused = await git('commit', '--quiet', '-m', 'a privileged chart');
    assert.notEqual(refused.code, 0, refused.output);
    assert.match(refused.output, /kubeharden \(Kubernetes manifests\)\.+\(no files to check\)Skipped/);
    assert.match(refused.output, /kubeharden \(Helm charts and Kustomize folders\)\.+Failed/);
    assert.match(refused.output, /HIGH {5}POD-NO-PRIVILEGED {2}charts\/app\/templates\/deployment\.yaml:16:13/);
    assert.match(refused.output, /Result: FAIL: 1 finding at or above high/);
    assert.equal((await git('rev-parse', '--verify', '--quiet', 'HEAD')).code, 1, 'nothing was committed');

    writeFileSync(join(repo, 'charts', 'app', 'values.yaml'), 'privileged: false\n');
    await git('add', '.');
    const committed = await git('commit', '--quiet', '-m', 'not privileged');
    assert.equal(committed.code, 0, committed.output);
    assert.match(committed.output, /kubeharden \(Helm charts and Kustomize folders\)\.+Passed/);
  });
});
