/**
 * `kubeharden netpol diff` end to end: against a git revision in a real temporary repository (read with git
 * archive, the working tree untouched) and between two folders, in every format.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, tempTree } from '../support/cli-process.js';

const deployment = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n      - name: app\n        image: busybox:1.36\n`;
const DENY = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n';
// web → db on TCP 5432 only; the change widens it to 5432 and 8080 and drops nothing else.
const allow = (ports: number[]) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: db}\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels: {app: web}\n    ports:\n${ports.map((port) => `    - port: ${port}\n`).join('')}`;

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
}

function tree(dir: string, ports: number[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'apps.yaml'), `${deployment('web')}---\n${deployment('db')}`);
  writeFileSync(join(dir, 'policies.yaml'), `${DENY}---\n${allow(ports)}`);
}

describe('netpol diff', () => {
  it('--base REF: the connections the working tree opens, per workload pair and port, in every format', (t) => {
    const dir = tempTree(t, 'netpol-diff');
    git(dir, 'init', '-q', '-b', 'main');
    tree(join(dir, 'k8s'), [5432]);
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'base');
    tree(join(dir, 'k8s'), [5432, 8080]);
    const json = runCli(['netpol', 'diff', '--base', 'main', 'k8s', '-o', 'json'], { cwd: dir });
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as { summary: Record<string, number>; changes: Record<string, string>[] };
    assert.deepEqual(report.summary, { added: 0, removed: 0, changed: 1 });
    assert.deepEqual(report.changes, [
      { type: 'changed', source: 'shop/web[Deployment]', destination: 'shop/db[Deployment]', before: 'TCP 5432', after: 'TCP 5432,8080', opened: 'TCP 8080', closed: '' },
    ]);
    const table = runCli(['netpol', 'diff', '--base', 'main', 'k8s'], { cwd: dir });
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^CHANGED +shop\/web\[Deployment\] => shop\/db\[Deployment\] {2}opens TCP 8080 {2}\(was: TCP 5432; now: TCP 5432,8080\)$/m);
    const markdown = runCli(['netpol', 'diff', '--base', 'main', 'k8s', '-o', 'markdown'], { cwd: dir });
    assert.equal(markdown.code, 0, markdown.stderr);
    assert.match(markdown.stdout, /\| changed \| `shop\/web\[Deployment\]` \| `shop\/db\[Deployment\]` \| `TCP 8080` \| {2}\|/);
    const sarifRun = runCli(['netpol', 'diff', '--base', 'main', 'k8s', '-o', 'sarif'], { cwd: dir });
    assert.equal(sarifRun.code, 0, sarifRun.stderr);
    const sarif = JSON.parse(sarifRun.stdout) as { runs: { results: { ruleId: string; message: { text: string } }[] }[] };
    assert.deepEqual(sarif.runs[0]?.results.map((result) => `${result.ruleId} ${result.message.text}`), [
      'NETPOL-CONNECTION-OPENED shop/web[Deployment] => shop/db[Deployment]: opens TCP 8080 (was: TCP 5432; now: TCP 5432,8080)',
    ]);
    assert.equal(git(dir, 'status', '--porcelain'), ' M k8s/policies.yaml\n');
  });

  it('OLD NEW: a removed policy opens every connection it denied; a removed workload is listed as removed', (t) => {
    const dir = tempTree(t, 'netpol-diff-paths');
    tree(join(dir, 'old'), [5432]);
    mkdirSync(join(dir, 'new'));
    writeFileSync(join(dir, 'new', 'apps.yaml'), deployment('web'));
    const result = runCli(['netpol', 'diff', join(dir, 'old'), join(dir, 'new'), '-o', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { changes: { type: string; source: string; destination: string; workloads?: string }[] };
    const pairs = report.changes.filter((change) => !/\d+\.\d+/.test(change.source + change.destination));
    // db → web was denied before (deny-all on ingress), so the only pair that loses connections is web → db.
    assert.deepEqual(pairs, [
      { type: 'removed', source: 'shop/web[Deployment]', destination: 'shop/db[Deployment]', before: 'TCP 5432', after: 'No Connections', opened: '', closed: 'TCP 5432', workloads: 'workload shop/db[Deployment] removed' },
    ]);
    // web was isolated for ingress by the deny-all policy; with no policy left, the outside may reach it.
    assert.ok(report.changes.some((change) => change.type === 'added' && change.destination === 'shop/web[Deployment]' && change.source === '0.0.0.0-255.255.255.255'));
  });

  it('--base REF waits for git archive to exit even when tar has finished first', (t) => {
    // A git whose `archive` closes its output and then lingers before exiting: tar is done first, as happened under
    // load. The revision must still be read (the old code took git's missing exit code for a failure).
    const dir = tempTree(t, 'netpol-diff-slow-git');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(join(bin, 'git'), `#!/bin/sh\nif [ "$1" = archive ]; then "${realGit}" "$@"; status=$?; exec 1>&-; sleep 0.5; exit $status; fi\nexec "${realGit}" "$@"\n`);
    chmodSync(join(bin, 'git'), 0o755);
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    git(repo, 'init', '-q', '-b', 'main');
    tree(join(repo, 'k8s'), [5432]);
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'base');
    tree(join(repo, 'k8s'), [5432, 8080]);
    const result = runCli(['netpol', 'diff', '--base', 'main', 'k8s', '-o', 'json'], { cwd: repo, env: { PATH: `${bin}:${process.env['PATH'] ?? ''}` } });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual((JSON.parse(result.stdout) as { summary: Record<string, number> }).summary, { added: 0, removed: 0, changed: 1 });
  });

  it('needs --base or two paths', () => {
    const result = runCli(['netpol', 'diff', 'a']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /netpol diff needs --base REF, or two paths: OLD NEW/);
  });
});
