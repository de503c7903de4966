/**
 * `kubeharden scan --diff-base REF` in a real temporary git repository: the tree at REF is read with git (never
 * checked out), findings are introduced, fixed or unchanged by fingerprint, the Markdown leads with what the change
 * introduces, and --fail-on gates the introduced findings only.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { runCli, tempTree } from '../support/cli-process.js';

const pod = (name: string, spec: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n${spec}  containers:\n  - name: app\n    image: busybox:1.36\n    securityContext:\n      privileged: ${name === 'legacy'}\n`;

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
}

/** A repository whose main has `legacy` (privileged) and `web`; the working tree adds hostPID to web and removes a file. */
function repository(t: TestContext): string {
  const dir = tempTree(t, 'diff-base');
  git(dir, 'init', '-q', '-b', 'main');
  mkdirSync(join(dir, 'k8s'));
  writeFileSync(join(dir, 'k8s', 'legacy.yaml'), pod('legacy', ''));
  writeFileSync(join(dir, 'k8s', 'web.yaml'), pod('web', ''));
  writeFileSync(join(dir, 'k8s', 'old.yaml'), pod('old', '  hostIPC: true\n'));
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'base');
  // The change: web gains hostPID (introduced), old.yaml is deleted (its findings fixed), legacy stays (unchanged).
  writeFileSync(join(dir, 'k8s', 'web.yaml'), pod('web', '  hostPID: true\n'));
  git(dir, 'rm', '-q', 'k8s/old.yaml');
  return dir;
}

interface DiffReport {
  verdict: { exitCode: number; text: string };
  baseline: { ref: string; new: number; fixed: number; unchanged: number; fixedFindings: { controlId: string; resource: string; location: string }[] };
  findings: { controlId: string; resource: { name: string }; baseline?: string }[];
}

describe('scan --diff-base', () => {
  it('reports introduced, fixed and unchanged; --fail-on gates the introduced only; the working tree is untouched', (t) => {
    const dir = repository(t);
    const statusBefore = git(dir, 'status', '--porcelain');
    const head = git(dir, 'rev-parse', 'HEAD');
    const result = runCli(['scan', 'k8s', '--diff-base', 'main', '-o', 'json'], { cwd: dir });
    const report = JSON.parse(result.stdout) as DiffReport;
    const introduced = report.findings.filter((finding) => finding.baseline === 'new').map((finding) => `${finding.controlId} ${finding.resource.name}`);
    // hostPID is high: the one introduced finding at or above high fails the run; legacy's privileged does not.
    assert.deepEqual(introduced, ['POD-NO-HOST-NAMESPACES web']);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(report.verdict.text, 'FAIL: 1 new finding at or above high (--fail-on high)');
    assert.equal(report.baseline.ref, 'main');
    assert.equal(report.baseline.new, 1);
    // old.yaml's findings are fixed (every one of them: the Pod is gone); exact count of its findings at main.
    const oldAtMain = JSON.parse(runCli(['scan', '-', '-o', 'json', '--fail-on', 'none'], { input: git(dir, 'show', 'main:k8s/old.yaml') }).stdout) as { findings: { controlId: string }[] };
    const namespaceWide = new Set(['NET-DEFAULT-DENY-EGRESS', 'NET-DEFAULT-DENY-INGRESS', 'RES-LIMITRANGE', 'RES-RESOURCEQUOTA', 'PSS-ENFORCE-LABELS', 'NET-NAMESPACE-OPEN-TO-OTHERS']);
    // The namespace's own findings stay (legacy and web are still in it); the Pod's own ones are all fixed.
    const podOwn = oldAtMain.findings.map((finding) => finding.controlId).filter((id) => !namespaceWide.has(id)).sort();
    assert.deepEqual(report.baseline.fixedFindings.map((finding) => finding.controlId).sort(), podOwn);
    assert.equal(report.baseline.fixed, 15);
    assert.ok(report.baseline.fixedFindings.every((finding) => finding.resource === 'Pod/shop/old' && finding.location.startsWith('k8s/old.yaml:')));
    assert.equal(report.baseline.unchanged, 34);
    assert.equal(report.findings.length, 35);
    // Nothing was checked out: the same HEAD, the same uncommitted change.
    assert.equal(git(dir, 'rev-parse', 'HEAD'), head);
    assert.equal(git(dir, 'status', '--porcelain'), statusBefore);
    assert.match(readFileSync(join(dir, 'k8s', 'web.yaml'), 'utf8'), /hostPID: true/);
  });

  it('the Markdown leads with what the change introduces and lists what it fixed', (t) => {
    const dir = repository(t);
    const result = runCli(['scan', '.', '--diff-base', 'main', '-o', 'markdown', '--fail-on', 'critical'], { cwd: join(dir, 'k8s') });
    // Nothing critical was introduced (legacy's privileged finding is old): exit 0.
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.match(result.stdout, /Compared with `main`: this change introduces \*\*1\*\*, fixes \d+, leaves \d+ unchanged\./);
    const firstRow = lines.findIndex((line) => line.startsWith('| 🟧') || line.startsWith('| 🟥') || line.startsWith('| 🟨'));
    assert.match(lines[firstRow] ?? '', /POD-NO-HOST-NAMESPACES \| Pod shop\/web \| `web\.yaml:7` \| pod sets hostPID: true \*\*\(new\)\*\*/);
    assert.match(result.stdout, /<summary>\d+ fixed by this change<\/summary>/);
    assert.match(result.stdout, /POD-NO-HOST-NAMESPACES \| Pod\/shop\/old \| `old\.yaml:\d+` \| pod sets hostIPC: true/);
  });

  it('outside a git repository, with a ref that does not exist, or with --baseline: a usage error (exit 2)', (t) => {
    const plain = tempTree(t, 'no-git');
    writeFileSync(join(plain, 'p.yaml'), pod('p', ''));
    const outside = runCli(['scan', 'p.yaml', '--diff-base', 'main'], { cwd: plain, env: { GIT_CEILING_DIRECTORIES: join(plain, '..') } });
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /--diff-base needs a git repository/);
    const dir = repository(t);
    const missing = runCli(['scan', 'k8s', '--diff-base', 'no-such-branch'], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--diff-base: no-such-branch is not a commit of this repository/);
    const both = runCli(['scan', 'k8s', '--diff-base', 'main', '--baseline', 'b.json'], { cwd: dir });
    assert.equal(both.code, 2);
    assert.match(both.stderr, /give --diff-base or --baseline, not both/);
  });
});
