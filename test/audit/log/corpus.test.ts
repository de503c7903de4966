/**
 * The audit logs in ../shared: Falco's k8s_audit sample traces (one event per file, some with trailing blank
 * lines, one deliberately not an event) and audit2rbac's demo log (JSON lines). Every line must be accounted for.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { needsShared, sharedPath } from '../../support/paths.js';
import { readAll } from './support.js';

/** Non-blank lines of a file, with their 1-based numbers: what the reader must account for. */
function nonBlankLines(path: string): { line: number; text: string }[] {
  return readFileSync(path, 'utf8').split('\n').flatMap((text, index) => (text.trim() === '' ? [] : [{ line: index + 1, text }]));
}

describe('audit logs from ../shared', { skip: needsShared }, () => {
  it('reads every Falco sample trace: one event per line, and the one non-event as an error', async () => {
    const dir = sharedPath('corpus', 'audit', 'falco-k8s-audit-traces');
    const files = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
    assert.equal(files.length, 47, 'the Falco trace files');
    let events = 0;
    for (const name of files) {
      const path = `${dir}/${name}`;
      const read = await readAll(path);
      const lines = nonBlankLines(path);
      if (name === 'fal_01_003.json') {
        assert.deepEqual(read.events, []);
        assert.deepEqual(read.errors, [{ file: path, line: 1, column: null, message: 'not an audit event (kind 0)' }]);
        continue;
      }
      assert.deepEqual(read.errors, [], name);
      assert.deepEqual(read.events.map((e) => e.line), lines.map((l) => l.line), name);
      for (const [index, logged] of read.events.entries()) {
        assert.deepEqual(logged.event, JSON.parse(lines[index]?.text ?? ''), name);
        assert.equal(logged.event.kind, 'Event');
        // Most of Falco's traces leave apiVersion out, which is why the reader accepts events without one.
        if (logged.event.apiVersion !== undefined) assert.match(logged.event.apiVersion, /^audit\.k8s\.io\/v1(beta1)?$/);
        assert.equal(logged.bytes, Buffer.byteLength(lines[index]?.text ?? '') + 1, name);
      }
      events += read.events.length;
    }
    assert.equal(events, 51, 'events in the Falco trace files');
  });

  it('reads audit2rbac demo.log: every line an event, sizes adding up to the file', async () => {
    const path = sharedPath('corpus', 'audit', 'audit2rbac', 'demo.log');
    const read = await readAll(path);
    assert.deepEqual(read.errors, []);
    assert.deepEqual(read.events.map((e) => e.line), nonBlankLines(path).map((l) => l.line));
    assert.equal(read.events.reduce((sum, e) => sum + e.bytes, 0), readFileSync(path).length);
    assert.ok(read.events.some((e) => e.event.responseStatus?.code === 403), 'the demo has forbidden requests');
    assert.ok(read.events.some((e) => e.event.impersonatedUser?.username === 'bob'), 'the demo impersonates bob');
  });
});
