import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FindingStore, setFindingStoreLimits, type FindingEntry, type FindingStoreLimits } from '../../src/engine/finding-store.js';
import { FindingList } from '../../src/report/finding-list.js';
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

/** Entries in the order the findings were added (the index keeps them in report order). */
function entriesAsAdded(store: FindingStore): FindingEntry[] {
  return [...store.entries()].sort((a, b) => a.position - b.position);
}

/** A store with these findings, made under these bounds. */
function storeOf(findings: readonly Finding[], bounds?: Partial<FindingStoreLimits>): FindingStore {
  const before = setFindingStoreLimits(bounds);
  try {
    const store = new FindingStore();
    for (const item of findings) store.add(item);
    return store;
  } finally {
    setFindingStoreLimits(before);
  }
}

describe('FindingStore', () => {
  it('gives back every finding as it was made, key order included, in memory and once spilled to a file', () => {
    // 140,000: records past the in-memory bound and index entries in several sorted runs.
    for (const count of [500, 140_000]) {
      const findings = Array.from({ length: count }, (_, index) => finding(index));
      const store = storeOf(findings);
      assert.equal(store.spillDirectory !== undefined, count === 140_000, `spilled with ${count} findings`);
      assert.equal(store.indexRuns > 0, count === 140_000, `index runs on disk with ${count} findings`);
      const spilled = store.spillDirectory;
      const entries = entriesAsAdded(store);
      const all = [...store.all()];
      assert.equal(all.length, count);
      for (const [index, item] of findings.entries()) {
        const expected = JSON.stringify({ ...item, fingerprint: fingerprint(item) });
        const entry = entries[index] as FindingEntry;
        assert.equal(JSON.stringify(store.read(entry)), expected);
        assert.equal(JSON.stringify(all[index]), expected);
        assert.equal(store.severityOf(entry), item.severity);
        assert.equal(store.isSuppressed(entry), item.suppression !== undefined);
        assert.equal(store.controlOf(entry), item.controlId);
      }
      for (const severity of SEVERITIES) {
        for (const suppressed of [false, true]) {
          assert.equal(store.countOf(severity, suppressed), findings.filter((item) => item.severity === severity && (item.suppression !== undefined) === suppressed).length);
        }
      }
      store.close();
      if (spilled) assert.equal(existsSync(spilled), false, 'close removes the spill folder');
    }
  });

  it('tells the same object in two files apart (a finding keeps no file of its own: it is its resource\'s)', () => {
    const inFile = (file: string, line: number): Finding => ({ ...finding(1), location: { file, line, column: 1 } });
    const store = storeOf([inFile('b.yaml', 1), inFile('a.yaml', 9), inFile('b.yaml', 2)]);
    const [first, second, third] = entriesAsAdded(store) as [FindingEntry, FindingEntry, FindingEntry];
    assert.notEqual(first.resource, second.resource);
    assert.equal(first.resource, third.resource);
    const { resource } = finding(1);
    assert.equal(store.resourceIdOf('a.yaml', resource), second.resource);
    assert.equal(store.resourceIdOf('b.yaml', resource), first.resource);
    assert.equal(store.resourceIdOf('c.yaml', resource), undefined);
    // a.yaml sorts before b.yaml whatever the lines say.
    assert.deepEqual([...store.entries()].map((entry) => entry.position), [1, 0, 2]);
    assert.deepEqual([...store.entries()].map((entry) => store.read(entry).location.file), ['a.yaml', 'b.yaml', 'b.yaml']);
  });

  it('orders findings exactly as sortFindings does (most severe first, then file, line, column, control)', () => {
    const findings = Array.from({ length: 5_000 }, (_, index) => finding((index * 7919) % 5_000));
    const store = storeOf(findings);
    const expected = sortFindings([...findings]).map((item) => item.message);
    assert.deepEqual([...store.entries()].map((entry) => store.read(entry).message), expected);
    assert.equal(store.read(store.entries().next().value as FindingEntry).severity, 'critical');
  });

  it('merges sorted runs on disk into exactly the order of the whole index held in memory', () => {
    // Equal keys (same severity, file, line, column and control) in different runs too: ties keep the order added.
    const findings = Array.from({ length: 20_000 }, (_, index) => finding((index * 7919) % 20_000 % 3_000));
    const inMemory = storeOf(findings);
    assert.equal(inMemory.indexRuns, 0);
    const expected = [...inMemory.entries()].map((entry) => entry.position);
    for (const entriesInMemory of [1, 7, 1_000, 19_999]) {
      const spilled = storeOf(findings, { entriesInMemory, recordBytesInMemory: 0 });
      assert.equal(spilled.indexRuns, Math.floor(20_000 / entriesInMemory), `runs with ${entriesInMemory} entries in memory`);
      const merged = [...spilled.entries()];
      assert.deepEqual(merged.map((entry) => entry.position), expected, `order with ${entriesInMemory} entries in memory`);
      assert.deepEqual(merged.slice(0, 50).map((entry) => spilled.read(entry)), expected.slice(0, 50).map((position) => ({ ...findings[position], fingerprint: fingerprint(findings[position] as Finding) })));
      const folder = spilled.spillDirectory as string;
      assert.deepEqual(readdirSync(folder).sort(), ['findings.jsonl', 'index.bin']);
      spilled.close();
      assert.equal(existsSync(folder), false, 'close removes the runs and the records');
    }
    inMemory.close();
  });

  it('a sort made for a report removes its run file when read to the end, when left early and when its reader throws', () => {
    const findings = Array.from({ length: 3_000 }, (_, index) => finding(index));
    const store = storeOf(findings, { entriesInMemory: 100 });
    const folder = store.spillDirectory as string;
    const list = FindingList.ofStore(store).groupedByResource();
    assert.equal([...list.entries()].length, 3_000);
    assert.deepEqual(readdirSync(folder), ['index.bin']);
    for (const entry of list.entries()) {
      assert.ok(entry);
      assert.equal(readdirSync(folder).length, 2, 'the grouping sort has a run file while it is read');
      break;
    }
    assert.deepEqual(readdirSync(folder), ['index.bin'], 'left early');
    assert.throws(() => {
      for (const entry of list) if (entry.severity === 'critical') throw new Error('the writer failed');
    }, /the writer failed/);
    assert.deepEqual(readdirSync(folder), ['index.bin'], 'after an error');
    store.close();
    assert.equal(existsSync(folder), false);
  });

  it('groups by resource, resources in the order of their most severe finding, the same with and without runs on disk', () => {
    const findings = Array.from({ length: 6_000 }, (_, index) => ({ ...finding(index), resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: `pod-${(index * 31) % 97}` } }));
    const expected = (() => {
      const sorted = sortFindings([...findings]);
      const first = new Map<string, number>();
      sorted.forEach((item, place) => {
        const key = `${item.location.file}/${item.resource.name}`;
        if (!first.has(key)) first.set(key, place);
      });
      return sorted
        .map((item, place) => ({ item, place, group: first.get(`${item.location.file}/${item.resource.name}`) as number }))
        .sort((a, b) => a.group - b.group || a.place - b.place)
        .map(({ item }) => item.message);
    })();
    for (const entriesInMemory of [65_536, 50]) {
      const store = storeOf(findings, { entriesInMemory });
      assert.deepEqual([...FindingList.ofStore(store).groupedByResource()].map((item) => item.message), expected, `${entriesInMemory} entries in memory`);
      store.close();
    }
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
