/**
 * A long-running command asks for its stop signal before it says where it listens: a supervisor or test that sends
 * SIGTERM as soon as it reads "listening" must find the handler in place, or the signal's default action kills the
 * process without its graceful stop. Under a loaded machine a test sent it that fast: `audit serve` died by the
 * signal with its output never opened, and the reader of that output waited forever. Deterministic here: the
 * listener count is read in the very write that says "listening", and the stop is asked for there.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runAuditServe } from '../../src/cli/audit-serve-command.js';
import { makeWebhookPki } from '../audit/webhook/webhook-support.js';
import { tempDir } from '../support/temp-dir.js';

describe('the stop signal of a long-running command', () => {
  it('audit serve has its SIGTERM handler when it says it listens, and a SIGTERM sent then stops it gracefully', async (t) => {
    const dir = tempDir('stop-signal', t);
    const pki = makeWebhookPki(dir);
    const before = process.listenerCount('SIGTERM');
    const handledWhenListening: boolean[] = [];
    const write = process.stderr.write.bind(process.stderr);
    t.after(() => {
      process.stderr.write = write;
    });
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      if (String(chunk).includes('listening on')) {
        handledWhenListening.push(process.listenerCount('SIGTERM') > before);
        // As a supervisor that stops the process the moment it reads the line.
        setImmediate(() => process.emit('SIGTERM', 'SIGTERM'));
      }
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write;
    const code = await runAuditServe(
      { listen: '127.0.0.1:0', tlsCert: pki.serverCert, tlsKey: pki.serverKey, clientCa: pki.caCert, output: join(dir, 'findings.jsonl'), outputShape: 'json', queue: '50', stateInterval: '30', trustedUser: [], trustedImage: [], burstThreshold: '20', burstWindow: '60' },
      [],
    );
    assert.deepEqual(handledWhenListening, [true]);
    assert.equal(code, 0);
    assert.equal(process.listenerCount('SIGTERM'), before, 'the handler is gone once it stopped');
  });
});
