/**
 * The benchmark's generated log is only meaningful if the reader takes all of it as events and it has the mix it
 * claims; a small one is written and read here.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ensureAuditLog } from '../../../bench/audit-generate.js';
import { readAll } from './support.js';

describe('the benchmark audit log', () => {
  it('is at least the size asked, reads without errors, has the promised mix, and is reused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeharden-bench-log-'));
    try {
      const log = await ensureAuditLog(dir, 2);
      assert.equal(log.reused, false);
      assert.ok(log.bytes >= 2e6 && statSync(log.path).size === log.bytes);
      const read = await readAll(log.path);
      assert.deepEqual(read.errors, []);
      assert.equal(read.events.reduce((sum, e) => sum + e.bytes, 0), log.bytes);
      const has = (what: string, test: (e: (typeof read.events)[number]['event']) => boolean): void =>
        assert.ok(read.events.some((logged) => test(logged.event)), `the log has ${what}`);
      has('RequestReceived stages', (e) => e.stage === 'RequestReceived');
      has('watches', (e) => e.verb === 'watch');
      has('lease updates with bodies', (e) => e.objectRef?.resource === 'leases' && e.verb === 'update' && e.requestObject !== undefined);
      has('pod creations with bodies', (e) => e.objectRef?.resource === 'pods' && e.verb === 'create' && e.requestObject !== undefined);
      has('secret reads', (e) => e.objectRef?.resource === 'secrets' && e.verb === 'get');
      has('exec', (e) => e.objectRef?.subresource === 'exec');
      has('forbidden requests', (e) => e.responseStatus?.code === 403);
      has('anonymous health checks', (e) => e.user?.username === 'system:anonymous' && e.requestURI === '/healthz');
      assert.equal((await ensureAuditLog(dir, 2)).reused, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
