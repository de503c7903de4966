/**
 * Inputs an attacker or an unlucky machine gives: devices and FIFOs, endless standard input, folders without
 * permission, dangling links and loops, Kustomize overlays and Helm charts. Each must end quickly with an input
 * error naming the file (exit 2) while everything readable is still judged.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import type { Report } from '../../src/report/report.js';
import { runCli, tempTree, type CliResult } from '../support/cli-process.js';
import { CLI } from '../support/paths.js';

const PRIVILEGED = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: NAME\n  namespace: n\nspec:\n  containers:\n  - name: c\n    image: x\n    securityContext:\n      privileged: true\n';

function pod(name: string): string {
  return PRIVILEGED.replace('NAME', name);
}

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** The input errors as `file: message` lines, and the names of the resources with findings. */
function outcome(result: CliResult): { errors: string[]; resources: string[] } {
  assert.equal(result.timedOut, false, 'the command must end on its own');
  assert.doesNotMatch(result.stderr, /internal error|\n\s+at /, 'no stack trace');
  const report = JSON.parse(result.stdout) as Report;
  return {
    errors: report.errors.map((error) => `${error.file}: ${error.message}`),
    resources: [...new Set(report.findings.map((finding) => String(finding.resource.name)))].sort(),
  };
}

/** Endless inputs would read until memory runs out: the limit here fails such a test in seconds. */
const QUICK = { timeoutMs: 15_000 };

describe('endless and special files', () => {
  it('scan /dev/zero is an input error saying what the file is', () => {
    const result = runCli(['scan', '/dev/zero', '--format', 'json'], QUICK);
    assert.equal(result.code, 2);
    assert.deepEqual(outcome(result).errors, ['/dev/zero: cannot read: is a character device, not a regular file']);
  });

  it('--config /dev/zero and --baseline /dev/zero are usage errors, not endless reads', () => {
    for (const flag of ['--config', '--baseline']) {
      const result = runCli(['scan', 'examples/insecure', flag, '/dev/zero'], QUICK);
      assert.equal(result.timedOut, false, flag);
      assert.equal(result.code, 2, flag);
      assert.match(result.stderr, /\/dev\/zero: .*is a character device, not a regular file|\/dev\/zero.*: is a character device, not a regular file/, flag);
    }
  });

  it('a .kubeharden.yaml found by discovery that is a FIFO or a link to /dev/zero is an error, not a hang', (t) => {
    for (const make of [(path: string) => assert.equal(spawnSync('mkfifo', [path]).status, 0), (path: string) => symlinkSync('/dev/zero', path)]) {
      const repo = tempTree(t, 'config');
      mkdirSync(join(repo, '.git'));
      write(repo, { 'p.yaml': pod('p') });
      make(join(repo, '.kubeharden.yaml'));
      const scan = runCli(['scan', 'p.yaml'], { ...QUICK, cwd: repo });
      assert.equal(scan.timedOut, false);
      assert.equal(scan.code, 2);
      assert.match(scan.stderr, /^kubeharden: configuration error: \.kubeharden\.yaml: cannot read configuration: is a (FIFO \(named pipe\)|character device), not a regular file\n$/);
    }
  });

  it('standard input is capped by KUBEHARDEN_MAX_MANIFEST_SIZE', () => {
    const input = pod('big') + `# ${'x'.repeat(4096)}\n`;
    const capped = runCli(['scan', '-', '--format', 'json'], { ...QUICK, input, env: { KUBEHARDEN_MAX_MANIFEST_SIZE: '4K' } });
    assert.equal(capped.code, 2);
    assert.deepEqual(outcome(capped).errors, ['<stdin>: cannot read: larger than 4 KiB, the limit for manifest files and standard input (raise it with KUBEHARDEN_MAX_MANIFEST_SIZE, see docs/limits.md)']);
    const raised = runCli(['scan', '-', '--format', 'json'], { ...QUICK, input, env: { KUBEHARDEN_MAX_MANIFEST_SIZE: '8K' } });
    assert.deepEqual(outcome(raised), { errors: [], resources: ['big'] });
  });

  it('standard input that is a directory (scan - < deploy/) is an input error, not an empty input that passes', (t) => {
    const folder = tempTree(t, 'stdin-folder');
    for (const command of [['scan', '-', '--format', 'json'], ['audit', 'detect', '-', '--format', 'json']]) {
      const stdin = openSync(folder, 'r');
      try {
        const result = spawnSync(process.execPath, [CLI, ...command], { stdio: [stdin, 'pipe', 'pipe'], encoding: 'utf8', timeout: 15_000, env: { ...process.env, NO_COLOR: '1', CI: '1' } });
        assert.equal(result.status, 2, command.join(' '));
        const report = JSON.parse(result.stdout) as Report;
        assert.deepEqual(report.errors.map((error) => `${error.file}: ${error.message}`), [`<stdin>: cannot read${command[0] === 'audit' ? ' the log' : ''}: is a directory, not a file or a pipe`], command.join(' '));
      } finally {
        closeSync(stdin);
      }
    }
  });

  it('a cap that is not a size is a usage error', () => {
    const result = runCli(['scan', 'examples/'], { env: { KUBEHARDEN_MAX_CONFIG_SIZE: 'lots' } });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^kubeharden: KUBEHARDEN_MAX_CONFIG_SIZE must be a size such as 512M, 2G or 1048576, not "lots"\n$/);
  });

  it('audit detect /dev/zero and audit lint /dev/zero end with an input error', () => {
    for (const command of [['audit', 'detect'], ['audit', 'lint'], ['audit', 'estimate', '--policy', '/dev/zero']]) {
      const result = runCli([...command, '/dev/zero'], QUICK);
      assert.equal(result.timedOut, false, command.join(' '));
      assert.equal(result.code, 2, command.join(' '));
      assert.match(result.stdout + result.stderr, /\/dev\/zero.*is a character device, not a regular file/, command.join(' '));
    }
  });

  it('rbac and netpol read through the same reader', () => {
    for (const command of [['rbac', 'who-can', 'get', 'pods'], ['netpol', 'reach']]) {
      const result = runCli([...command, '/dev/zero'], QUICK);
      assert.equal(result.timedOut, false, command.join(' '));
      assert.equal(result.code, 2, command.join(' '));
      assert.match(result.stdout + result.stderr, /\/dev\/zero:?\s+cannot read: is a character device, not a regular file/, command.join(' '));
    }
  });
});

describe('a scanned tree', () => {
  it('reports unreadable folders, dangling links, FIFOs and devices by name, and judges every readable file', (t) => {
    const root = tempTree(t, 'tree');
    write(root, { 'a-good.yaml': pod('good'), 'locked/hidden.yaml': pod('locked'), 'no-search/inner.yaml': pod('no-search'), 'z-last/last.yaml': pod('last') });
    symlinkSync(join(root, 'missing.yaml'), join(root, 'dangling.yaml'));
    symlinkSync(join(root, 'missing-dir'), join(root, 'dangling-dir'));
    symlinkSync('.', join(root, 'loop'));
    symlinkSync('b-loop.yaml', join(root, 'a-loop.yaml'));
    symlinkSync('a-loop.yaml', join(root, 'b-loop.yaml'));
    symlinkSync('/dev/zero', join(root, 'zero.yaml'));
    assert.equal(spawnSync('mkfifo', [join(root, 'fifo.yaml')]).status, 0);
    chmodSync(join(root, 'locked'), 0o000);
    chmodSync(join(root, 'no-search'), 0o644); // listable, but its files cannot be opened
    const result = runCli(['scan', root, '--format', 'json'], { ...QUICK, unprivileged: true });
    assert.equal(result.code, 2, result.stderr);
    const { errors, resources } = outcome(result);
    assert.deepEqual(resources, ['good', 'last']);
    assert.deepEqual(errors, [
      `${root}/a-loop.yaml: too many levels of symbolic links (a link loop?)`,
      `${root}/b-loop.yaml: too many levels of symbolic links (a link loop?)`,
      `${root}/dangling-dir: dangling symbolic link to ${root}/missing-dir`,
      `${root}/dangling.yaml: dangling symbolic link to ${root}/missing.yaml`,
      `${root}/locked: cannot read the folder: permission denied`,
      `${root}/no-search/inner.yaml: cannot read: permission denied`,
      `${root}/fifo.yaml: cannot read: is a FIFO (named pipe), not a regular file`,
      `${root}/zero.yaml: cannot read: is a character device, not a regular file`,
    ]);
  });

  it('a folder given on the command line that cannot be read is an input error, not a crash', (t) => {
    const root = tempTree(t, 'locked');
    write(root, { 'locked/p.yaml': pod('p') });
    chmodSync(join(root, 'locked'), 0o000);
    const result = runCli(['scan', join(root, 'locked'), join(root, 'locked', 'p.yaml'), '--format', 'json'], { ...QUICK, unprivileged: true });
    assert.equal(result.code, 2, result.stderr);
    assert.deepEqual(outcome(result).errors, [`${root}/locked: cannot read the folder: permission denied`, `${root}/locked/p.yaml: permission denied`]);
  });
});

describe('Kustomize overlays and Helm charts', () => {
  const OVERLAY = { 'kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: patch.yaml\n', 'patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      hostNetwork: true\n' };
  const CHART = { 'Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\n', 'values.yaml': 'replicas: 1\n', 'templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  {{- if .Values.replicas }}\n  replicas: {{ .Values.replicas }}\n  {{- end }}\n' };

  // Without the tools (test/render/ scans them with the real ones): each folder is one error naming it, its templates
  // and patches are never parsed as YAML on their own, and the rest of the tree is still scanned.
  const NO_TOOLS = ['--helm', '/nonexistent/helm', '--kustomize', '/nonexistent/kustomize'];
  const cannotRun = (what: string, tool: string) => `${what} not rendered, so not scanned: cannot run /nonexistent/${tool}: spawn /nonexistent/${tool} ENOENT`;

  it('without helm or kustomize each is an input error naming the folder; the rest of the tree is still scanned', (t) => {
    const root = tempTree(t, 'render');
    const prefixed = (prefix: string, files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([path, text]) => [`${prefix}/${path}`, text]));
    write(root, {
      'app/pod.yaml': pod('plain'),
      ...prefixed('overlays/prod', OVERLAY),
      ...prefixed('kapitan', { Kustomization: 'resources: []\n', 'p.yaml': pod('kustomized') }),
      ...prefixed('charts/shop', CHART),
    });
    const result = runCli(['scan', root, '--format', 'json', ...NO_TOOLS], QUICK);
    assert.equal(result.code, 2, result.stderr);
    const { errors, resources } = outcome(result);
    assert.deepEqual(resources, ['plain']);
    assert.deepEqual(errors, [
      `${root}/charts/shop: ${cannotRun('Helm chart', 'helm')}`,
      `${root}/kapitan: ${cannotRun('Kustomize overlay', 'kustomize')}`,
      `${root}/overlays/prod: ${cannotRun('Kustomize overlay', 'kustomize')}`,
    ]);
    assert.doesNotMatch(result.stdout, /bad indentation/);
  });

  it('an overlay given as the folder is rendered (here: cannot be); its files given one by one are read', (t) => {
    const root = tempTree(t, 'overlay');
    write(root, { ...OVERLAY, 'kustomization.yml': 'resources: []\n' });
    const folder = runCli(['scan', root, '--format', 'json', ...NO_TOOLS], QUICK);
    assert.equal(folder.code, 2);
    assert.deepEqual(outcome(folder), { errors: [`${root}: ${cannotRun('Kustomize overlay', 'kustomize')}`], resources: [] });
    const file = runCli(['scan', join(root, 'patch.yaml'), '--format', 'json', '--fail-on', 'none'], QUICK);
    assert.equal(file.code, 0, file.stderr);
    assert.deepEqual(outcome(file), { errors: [], resources: ['web'] });
  });
});
