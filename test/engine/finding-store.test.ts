import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FindingStore } from '../../src/engine/finding-store.js';
import type { Finding } from '../../src/vocabulary/finding.js';
import { SEVERITIES } from '../../src/vocabulary/severity.js';
import { fingerprint } from '../../src/exceptions/fingerprint.js';
import { sortFindings } from '../../src/report/report.js';
import { CLI, PROJECT_ROOT } from '../support/paths.js';

/** Findings of every shape a scan or an audit makes: suppressed, Helm, namespace-level, detections, odd text. */
function finding(index: number): Finding {
  const severity = SEVERITIES[(index * 7) % SEVERITIES.length] ?? 'info';
  return {
    controlId: `CTRL-${index % 13}`,
    title: `Title of control ${index % 13}`,
    severity,
    pss: index % 3 === 0 ? { level: 'baseline', check: 'privileged' } : null,
    resource: { apiVersion: 'v1', kind: 'Pod', namespace: index % 5 === 0 ? null : `ns-${index % 7}`, name: index % 11 === 0 ? null : `pod-${index}` },
    location: { file: `dir/file-${index % 17}.yaml`, line: 1 + (index % 101), column: 1 + (index % 9), ...(index % 19 === 0 ? { templateSource: 'chart/templates/a.yaml' } : {}) },
    field: `spec.containers[${index % 4}].securityContext`,
    message: `message ${index}: ünïcödé \u2028 "quotes" \\ ${'x'.repeat(index % 200)}`,
    remediation: `Fix control ${index % 13}.`,
    ...(index % 23 === 0 ? { about: `Namespace/ns-${index % 7}` } : {}),
    ...(index % 29 === 0 ? { suppression: { kind: 'exception' as const, reason: 'accepted', source: '.kubeharden.yaml:3', owner: 'team' } } : {}),
    ...(index % 31 === 0
      ? { event: { time: '2026-01-01T00:00:00Z', auditID: `id-${index}`, user: 'alice', groups: ['dev'], sourceIPs: ['10.0.0.1'], verb: 'create', requestURI: '/api', stage: 'ResponseComplete' } }
      : {}),
  };
}

describe('FindingStore', () => {
  it('gives back every finding as it was made, key order included, in memory and once spilled to a file', () => {
    // 140,000: more than two chunks of the index (65,536 findings each), so records either side of a boundary too.
    for (const count of [500, 140_000]) {
      const findings = Array.from({ length: count }, (_, index) => finding(index));
      const store = new FindingStore();
      for (const item of findings) store.add(item);
      assert.equal(store.spillDirectory !== undefined, count === 140_000, `spilled with ${count} findings`);
      const spilled = store.spillDirectory;
      for (const [index, item] of findings.entries()) {
        assert.equal(JSON.stringify(store.read(index)), JSON.stringify({ ...item, fingerprint: fingerprint(item) }));
        assert.equal(store.severityAt(index), item.severity);
        assert.equal(store.suppressedAt(index), item.suppression !== undefined);
        assert.equal(store.controlAt(index), item.controlId);
      }
      assert.equal(store.severityAt(42), findings[42]?.severity);
      assert.equal(store.suppressedAt(29), true);
      store.close();
      if (spilled) assert.equal(existsSync(spilled), false, 'close removes the spill folder');
    }
  });

  it('tells the same object in two files apart (a finding keeps no file of its own: it is its resource\'s)', () => {
    const store = new FindingStore();
    const inFile = (file: string, line: number): Finding => ({ ...finding(1), location: { file, line, column: 1 } });
    store.add(inFile('b.yaml', 1));
    store.add(inFile('a.yaml', 9));
    store.add(inFile('b.yaml', 2));
    const { resource } = finding(1);
    assert.notEqual(store.resourceAt(0), store.resourceAt(1));
    assert.equal(store.resourceAt(0), store.resourceAt(2));
    assert.equal(store.resourceIdOf('a.yaml', resource), store.resourceAt(1));
    assert.equal(store.resourceIdOf('b.yaml', resource), store.resourceAt(0));
    assert.equal(store.resourceIdOf('c.yaml', resource), undefined);
    // a.yaml sorts before b.yaml whatever the lines say.
    assert.deepEqual([...store.sortedIndexes()], [1, 0, 2]);
    assert.deepEqual([0, 1, 2].map((index) => store.read(index).location.file), ['b.yaml', 'a.yaml', 'b.yaml']);
  });

  it('orders findings exactly as sortFindings does (most severe first, then file, line, column, control)', () => {
    const findings = Array.from({ length: 5_000 }, (_, index) => finding((index * 7919) % 5_000));
    const store = new FindingStore();
    for (const item of findings) store.add(item);
    const expected = sortFindings([...findings]).map((item) => item.message);
    assert.deepEqual([...store.sortedIndexes()].map((index) => store.read(index).message), expected);
    assert.equal(store.read(store.sortedIndexes()[0] as number).severity, 'critical');
  });

  it('removes its spill folder when the process ends on a signal or an error', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeharden-store-test-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const moduleUrl = new URL('../../src/engine/finding-store.js', import.meta.url).href;
    const script = join(dir, 'child.mjs');
    writeFileSync(
      script,
      `import { FindingStore } from ${JSON.stringify(moduleUrl)};
const store = new FindingStore();
const base = { controlId: 'C', title: 't', severity: 'high', pss: null, resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'a', name: 'b' }, field: 'f', remediation: 'r' };
for (let i = 0; store.spillDirectory === undefined; i++) store.add({ ...base, location: { file: 'f.yaml', line: i, column: 1 }, message: 'm'.repeat(500) });
process.stdout.write(store.spillDirectory + '\\n');
if (process.argv[2] === 'throw') throw new Error('boom');
setInterval(() => {}, 1000);
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'ignore'] });
    const spillDir = await new Promise<string>((resolve) => child.stdout.once('data', (data: Buffer) => resolve(data.toString().trim())));
    assert.equal(existsSync(spillDir), true);
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGTERM');
    assert.equal(await ended, 'SIGTERM', 'the process still dies of the signal');
    assert.equal(existsSync(spillDir), false);

    const failed = spawnSync(process.execPath, [script, 'throw'], { encoding: 'utf8' });
    assert.equal(failed.status, 1);
    const thrownDir = failed.stdout.trim();
    assert.ok(thrownDir.includes('kubeharden-findings-'));
    assert.equal(existsSync(thrownDir), false);
  });

  it('a scan with hundreds of thousands of findings runs in a heap much smaller than those findings as objects', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeharden-store-test-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    // One JSON List of Pods with two bare containers each: about a dozen findings per Pod.
    const pods = 30_000;
    const items = Array.from({ length: pods }, (_, index) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `app-${index}`, namespace: `team-${index % 20}` },
      spec: { containers: [{ name: 'app', image: `registry.example.com/app:1.${index % 10}` }, { name: 'sidecar', image: 'busybox' }] },
    }));
    const list = join(dir, 'pods.json');
    writeFileSync(list, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2));
    // About 750,000 findings: as objects they need well over 1 GB (the heap below ran out before the store).
    const output = join(dir, 'report.sarif');
    const result = spawnSync(CLI, ['scan', list, '--format', 'sarif', '--output', output, '--fail-on', 'none'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=128' },
    });
    assert.equal(result.status, 0, result.stderr.slice(-2000));
    const sarif = JSON.parse(readFileSync(output, 'utf8')) as { runs: { results: { level: string }[]; invocations: { toolExecutionNotifications: { message: { text: string } }[] }[] }[] };
    const run = sarif.runs[0];
    assert.equal(run?.results.length, 25_000);
    const leftOut = Number(/^(\d+) findings left out/.exec(run?.invocations[0]?.toolExecutionNotifications[0]?.message.text ?? '')?.[1]);
    assert.ok(leftOut + 25_000 >= pods * 20, `${leftOut + 25_000} findings`);
    // Most severe first: the results GitHub keeps never go up in level.
    const rank = { error: 3, warning: 2, note: 1 } as Record<string, number>;
    const levels = run?.results.map((item) => rank[item.level] ?? 0) ?? [];
    assert.ok(levels.every((level, index) => index === 0 || level <= (levels[index - 1] as number)));
  });
});
