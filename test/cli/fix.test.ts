/** `kubeharden fix` end to end through the compiled CLI: diff, --write, --output-dir, exit codes, idempotency. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { runCli, tempTree } from '../support/cli-process.js';

// Comments, quoting, flow style, a document marker and key order that a re-serialising fixer would lose.
const FIXABLE = [
  '# web front end',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: {name: web, labels: {"app": web}}  # flow style',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  "      - image: 'nginx@sha256:abc'   # pinned",
  '        name: web',
  '        ports:',
  '        - containerPort: 80',
  '',
].join('\n');
const MANUAL = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: host\nspec:\n  hostNetwork: true\n  containers:\n  - name: a\n    image: a@sha256:1\n';

function setup(t: TestContext, files: Record<string, string>): string {
  const dir = tempTree(t, 'fix-cli');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const fix = (dir: string, ...args: string[]) => runCli(['fix', '--framework', 'pss-restricted', ...args], { cwd: dir });

describe('kubeharden fix', () => {
  it('prints a unified diff, changes nothing, and exits 0 when everything is fixed', (t) => {
    const dir = setup(t, { 'web.yaml': FIXABLE });
    const result = fix(dir, 'web.yaml');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readFileSync(join(dir, 'web.yaml'), 'utf8'), FIXABLE, 'the default changes nothing');
    assert.match(result.stdout, /^--- web\.yaml\n\+\+\+ web\.yaml\n@@ /);
    assert.match(result.stdout, /\n\+ {10}allowPrivilegeEscalation: false\n/);
    assert.match(result.stderr, /^fixed \(safe\): POD-NO-PRIV-ESCALATION Deployment\/web web\.yaml:\d+ /m);
    assert.match(result.stderr, /^4 findings: 4 fixed, 0 left for review, 0 manual, 0 open$/m);
  });

  it('its diff is one GNU patch applies', (t) => {
    // A missing binary is a skip with its reason, and CI (KUBEHARDEN_REQUIRE_ALL) fails on any skip.
    if (spawnSync('patch', ['--version']).error !== undefined) return t.skip('GNU patch is not installed (Debian package patch)');
    const dir = setup(t, { 'web.yaml': FIXABLE });
    const result = fix(dir, 'web.yaml');
    const patched = spawnSync('patch', ['-p0', '--dry-run'], { cwd: dir, input: result.stdout, encoding: 'utf8' });
    assert.equal(patched.status, 0, patched.stdout + patched.stderr);
    assert.match(patched.stdout, /^checking file web\.yaml$/m);
  });

  it('--write edits in place, keeps every untouched byte, and a second run changes nothing', (t) => {
    const dir = setup(t, { 'web.yaml': FIXABLE });
    const first = fix(dir, '--write', 'web.yaml');
    assert.equal(first.code, 0, first.stderr);
    const fixed = readFileSync(join(dir, 'web.yaml'), 'utf8');
    assert.notEqual(fixed, FIXABLE);
    // Every original line is still there, in order, unchanged: the fix only inserted lines here.
    const kept = fixed.split('\n').filter((line) => FIXABLE.split('\n').includes(line));
    assert.deepEqual(kept, FIXABLE.split('\n'));
    const second = fix(dir, '--write', 'web.yaml');
    assert.equal(second.code, 0);
    assert.equal(readFileSync(join(dir, 'web.yaml'), 'utf8'), fixed, 'idempotent');
    assert.match(second.stderr, /^0 findings: 0 fixed/m);
    const diff = fix(dir, 'web.yaml');
    assert.equal(diff.stdout, '', 'no diff on a fixed file');
  });

  it('--output-dir writes fixed copies and leaves the inputs alone; --risk safe leaves review fixes, listed', (t) => {
    const dir = setup(t, { 'web.yaml': FIXABLE });
    const result = fix(dir, '--risk', 'safe', '--output-dir', 'out', 'web.yaml');
    assert.equal(result.code, 1, 'review fixes remain');
    assert.equal(readFileSync(join(dir, 'web.yaml'), 'utf8'), FIXABLE);
    const copy = readFileSync(join(dir, 'out', 'web.yaml'), 'utf8');
    assert.match(copy, /allowPrivilegeEscalation: false/);
    assert.doesNotMatch(copy, /drop:/);
    assert.match(result.stderr, /^left for review: POD-CAPS-DROP-ALL .*apply it with --risk review$/m);
    assert.match(result.stderr, /^4 findings: 2 fixed, 2 left for review, 0 manual, 0 open$/m);
  });

  it('exits 1 and names the decision when a finding needs a person', (t) => {
    const dir = setup(t, { 'host.yaml': MANUAL });
    const result = fix(dir, 'host.yaml');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^manual: POD-NO-HOST-NAMESPACES Pod\/host host\.yaml:6 spec\.hostNetwork: decide whether the pod must share the host network/m);
  });

  it('exits 2 on input and usage errors', (t) => {
    const dir = setup(t, { 'web.yaml': FIXABLE });
    assert.equal(fix(dir, 'missing.yaml').code, 2);
    assert.equal(fix(dir, '--write', '--output-dir', 'out', 'web.yaml').code, 2);
    assert.equal(runCli(['fix', '--write', '-'], { cwd: dir, input: FIXABLE }).code, 2);
    assert.equal(existsSync(join(dir, 'out')), false);
  });

  it('--severity selects the findings to fix, like scan', (t) => {
    const dir = setup(t, { 'web.yaml': FIXABLE });
    const result = fix(dir, '--severity', 'critical', 'web.yaml');
    assert.equal(result.code, 0);
    assert.equal(result.stdout, '', 'the medium findings are not selected, so nothing changes');
    assert.match(result.stderr, /^0 findings: /m);
    assert.equal(fix(dir, '--severity', 'nonsense', 'web.yaml').code, 2);
  });

  it('reads standard input and prints its diff', (t) => {
    const dir = setup(t, {});
    const result = runCli(['fix', '--framework', 'pss-restricted', '-'], { cwd: dir, input: FIXABLE });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^--- <stdin>\n/);
  });
});
