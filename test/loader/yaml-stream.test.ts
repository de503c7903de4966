/**
 * A large multi-document YAML file is read document by document from the file (src/loader/yaml-stream.ts): never
 * whole, yet the same objects, positions and errors as the whole-text loader.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { CHUNK_BYTES } from '../../src/loader/file-parts.js';
import { loadInput, type Input } from '../../src/loader/inputs.js';
import { loadResources, type InputError, type LoadedResource } from '../../src/loader/source.js';
import { streamYamlFile } from '../../src/loader/yaml-stream.js';
import { needsShared, sharedPath } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';

/** The corpus's YAML files, one after another as one stream (what `helm template` or a bundle looks like). */
function corpusStream(): string {
  const parts: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) parts.push(readFileSync(path, 'utf8'));
    }
  };
  walk(sharedPath('corpus', 'real-world'));
  return parts.join('\n---\n');
}

function write(t: TestContext, text: string | Buffer): string {
  const path = join(tempDir('yaml-stream', t), 'stream.yaml');
  writeFileSync(path, text);
  return path;
}

/** The document-by-document and the whole-text reading of `file`: the same objects, errors and positions. */
async function assertSameAsWholeText(file: string): Promise<number> {
  const wholeErrors: InputError[] = [];
  const whole = [...loadResources(file, readFileSync(file), wholeErrors, false)];
  const errors: InputError[] = [];
  const input: Input = { name: file, path: file, preferJson: false, read: () => Promise.resolve(readFileSync(file)) };
  const streamed = [...((await loadInput(input, errors)) ?? [])];
  assert.deepEqual(errors, wholeErrors);
  assert.equal(streamed.length, whole.length);
  let compared = 0;
  whole.forEach((expected, index) => {
    const actual = streamed[index] as LoadedResource;
    assert.deepEqual(actual.object, expected.object);
    assert.equal(actual.document.firstLine?.(), expected.document.firstLine?.());
    assert.equal(actual.document.templateSource(), expected.document.templateSource());
    for (const path of [[], ['metadata', 'name'], ['spec', 'template', 'spec', 'containers', 0, 'image'], ['rules', 0, 'verbs'], ['no-such-field']]) {
      const full = [...expected.prefix, ...path];
      assert.deepEqual(actual.document.position(full), expected.document.position(full), `object ${index} at ${JSON.stringify(full)}`);
      compared++;
    }
  });
  return compared;
}

/** Documents of about 180 bytes, past the size from which files are read in parts. */
function pods(count: number, separator = '---'): string {
  return Array.from({ length: count }, (_, index) => `${separator}\napiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-${index}\n  namespace: ns\nspec:\n  containers:\n  - name: c\n    image: img:${index}\n`).join('');
}

describe('large YAML streams read document by document from their file', () => {
  it('the real-world corpus as one stream: the whole-text loader\'s objects, positions and errors', { skip: needsShared }, async (t) => {
    const file = write(t, corpusStream());
    assert.ok(streamYamlFile(file, file, false, []), 'read in parts, not whole');
    const compared = await assertSameAsWholeText(file);
    assert.ok(compared > 10_000, `${compared} positions compared`);
  });

  it('never reads the file whole', async (t) => {
    const file = write(t, pods(50_000));
    const input: Input = { name: file, path: file, preferJson: false, read: () => Promise.reject(new Error('read whole')) };
    const errors: InputError[] = [];
    assert.equal([...((await loadInput(input, errors)) ?? [])].length, 50_000);
    assert.deepEqual(errors, []);
  });

  it('markers across chunk boundaries, `...` ends, CRLF lines, a byte order mark, comment-only parts and a bad document', async (t) => {
    // A marker straddling each of the first chunk boundaries, one byte further each time.
    let text = '\ufeff# a comment-only part\n';
    for (let boundary = 1; boundary <= 4; boundary++) {
      const target = boundary * CHUNK_BYTES - (boundary - 1);
      const filler = target - Buffer.byteLength(text) - 1;
      text += `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: filler-${boundary}\ndata:\n  x: "${'y'.repeat(Math.max(0, filler - 70))}"\n`.padEnd(filler + 1, '\n');
      text += '---\n';
    }
    text += pods(20_000, '...\n---').replace(/\n/g, (match, offset: number) => (offset % 7 === 0 ? '\r\n' : match));
    text += '---\napiVersion: v1\nkind: Pod\nmetadata: {name: [}\n---\n# only a comment\n...\n';
    const file = write(t, text);
    assert.ok(streamYamlFile(file, file, false, []));
    await assertSameAsWholeText(file);
  });

  const wholeTextCases: { name: string; text: () => string | Buffer; preferJson?: boolean }[] = [
    { name: 'invalid UTF-8', text: () => Buffer.concat([Buffer.from(pods(50_000).slice(0, 9000)), Buffer.from([0xc3, 0x28]), Buffer.from(pods(50_000).slice(9000))]) },
    { name: 'JSON first', text: () => `  [${JSON.stringify(pods(50_000))}]` },
  ];
  for (const { name, text } of wholeTextCases) {
    it(`${name}: read by the whole-text loader, with its results and errors`, async (t) => {
      const file = write(t, text());
      assert.equal(streamYamlFile(file, file, false, []), undefined, 'not read in parts');
      await assertSameAsWholeText(file);
    });
  }

  it('a .json file is left to the JSON reading', (t) => {
    const file = write(t, pods(50_000));
    assert.equal(streamYamlFile(file, file, true, []), undefined);
  });
});
