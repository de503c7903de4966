/**
 * `runTool`'s work ahead (src/render/tools.ts): the caller's work on the tool's output, done while the tool has
 * written it and not yet exited. Its result is kept only when the tool succeeds without writing more after it, so
 * using it gives exactly what working on the whole output after the exit gives. Small shell scripts stand in for
 * helm and kustomize.
 */
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { runTool, type ToolCommand } from '../../src/render/tools.js';
import { tempDir } from '../support/temp-dir.js';

function tool(t: TestContext, script: string): ToolCommand {
  const file = join(tempDir('render-tool', t), 'tool');
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
  return { program: file, leading: [] };
}

/** The work ahead as the renderers do it, with a record of when it ran and on what. */
function recorded(): { seen: { text: string; exited: boolean }[]; ahead: (output: Buffer) => string; exited: () => void } {
  const seen: { text: string; exited: boolean }[] = [];
  let exited = false;
  return {
    seen,
    ahead: (output) => {
      const text = output.toString('utf8');
      seen.push({ text, exited });
      return text.toUpperCase();
    },
    exited: () => (exited = true),
  };
}

describe('runTool: work on the output while the tool exits', () => {
  it('a tool that writes its output and then takes time to exit: the work is done before the exit and kept', async (t) => {
    const work = recorded();
    const result = await runTool(tool(t, "printf 'kind: A\\n---\\nkind: B\\n'; sleep 0.3"), [], { ahead: work.ahead });
    work.exited();
    assert.equal(result.ok, true);
    assert.equal(result.stdout, 'kind: A\n---\nkind: B\n');
    assert.equal(result.ahead, 'KIND: A\n---\nKIND: B\n');
    assert.deepEqual(work.seen, [{ text: 'kind: A\n---\nkind: B\n', exited: false }]);
  });

  it('output that grows after the work: kept only for the whole output, never for a part of it', async (t) => {
    const work = recorded();
    // 10 bytes, then 9 more: the output has not doubled, so nothing is worked on again and no result is kept.
    const result = await runTool(tool(t, "printf '0123456789'; sleep 0.3; printf 'abcdefghi'; sleep 0.2"), [], { ahead: work.ahead });
    assert.equal(result.stdout, '0123456789abcdefghi');
    assert.deepEqual(work.seen.map(({ text }) => text), ['0123456789']);
    assert.equal(result.ahead, undefined);
    // Grown to twice its size and more: worked on again, and that result, on the whole output, is kept.
    const again = recorded();
    const grown = await runTool(tool(t, "printf 'abc'; sleep 0.3; printf 'defghijklmnop'; sleep 0.2"), [], { ahead: again.ahead });
    assert.deepEqual(again.seen.map(({ text }) => text), ['abc', 'abcdefghijklmnop']);
    assert.equal(grown.ahead, 'ABCDEFGHIJKLMNOP');
  });

  it('a tool that fails after writing: the work ahead is dropped', async (t) => {
    const work = recorded();
    const result = await runTool(tool(t, "printf 'kind: A\\n'; sleep 0.2; echo broken >&2; exit 3"), [], { ahead: work.ahead });
    assert.equal(result.ok, false);
    assert.equal(result.problem, 'broken');
    assert.deepEqual(work.seen.map(({ text }) => text), ['kind: A\n']);
    assert.equal(result.ahead, undefined);
  });

  it('a tool that writes a long error: its first 8 KiB are the problem, with the size of the rest', async (t) => {
    // A template that includes itself makes helm write one error of about 100 KB.
    const result = await runTool(tool(t, "head -c 100000 /dev/zero | tr '\\0' e >&2; exit 1"), []);
    assert.equal(result.ok, false);
    assert.equal(result.problem, `${'e'.repeat(8192)}… (${100000 - 8192} more bytes)`);
  });
});
