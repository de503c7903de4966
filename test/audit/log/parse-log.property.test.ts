/**
 * Whatever the events and however the stream cuts the bytes (inside a line, inside a multi-byte character, inside
 * a CRLF), the events read back are the ones written, at the lines and sizes they were written with.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { parseInPieces, readAll, tempFile } from './support.js';

interface Written {
  readonly text: string;
  readonly expected: { event: unknown; line: number; bytes: number }[];
}

const eventArbitrary = fc.record({
  kind: fc.constant('Event'),
  apiVersion: fc.constantFrom('audit.k8s.io/v1', 'audit.k8s.io/v1beta1'),
  verb: fc.string({ unit: 'binary', maxLength: 12 }),
  user: fc.record({ username: fc.string({ unit: 'grapheme', maxLength: 20 }), groups: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }) }),
  requestObject: fc.jsonValue({ maxDepth: 3 }),
});

/** An event line, or a blank line of some kind, each with its line ending. */
const entryArbitrary = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(eventArbitrary, fc.constantFrom('\n', '\r\n')) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(null), fc.constantFrom('\n', '\r\n', '  \n', '\t\r\n')) },
);

function write(entries: readonly (readonly [unknown, string])[], finalNewline: boolean): Written {
  let text = '';
  const expected: Written['expected'] = [];
  entries.forEach(([event, ending], index) => {
    const last = index === entries.length - 1;
    const end = last && !finalNewline ? '' : ending;
    if (event === null) {
      text += end === '' ? '' : ending;
      return;
    }
    const line = JSON.stringify(event);
    text += line + end;
    // What a JSON round trip gives back (-0 becomes 0), which is what reading can promise.
    expected.push({ event: JSON.parse(line), line: index + 1, bytes: Buffer.byteLength(line + end) });
  });
  return { text, expected };
}

describe('audit log parser: round trip', () => {
  it('reads back any JSON-lines log, cut into chunks anywhere', () => {
    fc.assert(
      fc.property(
        fc.array(entryArbitrary, { maxLength: 30 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        (entries, finalNewline, cutSeeds) => {
          const { text, expected } = write(entries, finalNewline);
          const bytes = Buffer.from(text);
          const cuts = cutSeeds.map((seed) => (bytes.length === 0 ? 0 : seed % (bytes.length + 1)));
          const read = parseInPieces(bytes, cuts);
          assert.deepEqual(read.errors, []);
          assert.deepEqual(read.events.map(({ event, line, bytes: size }) => ({ event, line, bytes: size })), expected);
          assert.equal(read.events.reduce((sum, e) => sum + e.bytes, 0), expected.reduce((sum, e) => sum + e.bytes, 0));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads back the same through the file reader, plain and gzip', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entryArbitrary, { minLength: 1, maxLength: 40 }), fc.boolean(), async (entries, gzip) => {
        const { text, expected } = write(entries, true);
        const read = await readAll(tempFile(`property-${gzip ? 'gz' : 'plain'}.log`, gzip ? gzipSync(text) : text));
        assert.deepEqual(read.errors, []);
        assert.deepEqual(read.events.map(({ event, line, bytes }) => ({ event, line, bytes })), expected);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps line numbers exact across chunk cuts when some lines are garbage', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(eventArbitrary, fc.constantFrom('garbage', '{"kind":', '}')), { minLength: 1, maxLength: 25 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (entries, cutSeeds) => {
          const text = entries.map((entry) => (typeof entry === 'string' ? entry : JSON.stringify(entry))).join('\n') + '\n';
          const bytes = Buffer.from(text);
          const read = parseInPieces(bytes, cutSeeds.map((seed) => seed % (bytes.length + 1)), { maxErrorsPerFile: 1000 });
          const eventLines = entries.flatMap((entry, index) => (typeof entry === 'string' ? [] : [index + 1]));
          const garbageLines = entries.flatMap((entry, index) => (typeof entry === 'string' ? [index + 1] : []));
          assert.deepEqual(read.events.map((e) => e.line), eventLines);
          assert.deepEqual(read.errors.map((e) => e.line), garbageLines);
        },
      ),
      { numRuns: 300 },
    );
  });
});
