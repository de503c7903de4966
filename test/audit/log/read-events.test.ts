import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readAuditEventBatches } from '../../../src/audit/log/read-events.js';
import type { InputError } from '../../../src/loader/source.js';
import { PROJECT_ROOT } from '../../support/paths.js';
import { auditEvent, jsonLines, readAll, tempFile } from './support.js';

describe('readAuditEvents: sources', () => {
  const events = [auditEvent(), auditEvent({ verb: 'list' }), auditEvent({ verb: 'watch' })];
  const text = jsonLines(events);

  it('reads a plain JSON-lines file with line numbers and byte sizes', async () => {
    const read = await readAll(tempFile('plain.log', text));
    assert.deepEqual(read.errors, []);
    assert.deepEqual(read.events.map((e) => e.event), events);
    assert.deepEqual(read.events.map((e) => e.line), [1, 2, 3]);
    assert.deepEqual(read.events.map((e) => e.bytes), events.map((e) => Buffer.byteLength(JSON.stringify(e)) + 1));
    assert.ok(read.events.every((e) => e.file.endsWith('plain.log')));
  });

  it('detects gzip by its magic bytes, whatever the file is called', async () => {
    const read = await readAll(tempFile('rotated.log.1', gzipSync(text)));
    assert.deepEqual(read.errors, []);
    assert.deepEqual(read.events.map((e) => e.event), events);
    // Sizes are of the uncompressed log: they feed volume estimates.
    assert.deepEqual(read.events.map((e) => e.bytes), events.map((e) => Buffer.byteLength(JSON.stringify(e)) + 1));
  });

  it('reads concatenated gzip members (logs appended to after rotation)', async () => {
    const two = Buffer.concat([gzipSync(jsonLines(events.slice(0, 2))), gzipSync(jsonLines(events.slice(2)))]);
    const read = await readAll(tempFile('members.gz', two));
    assert.deepEqual(read.errors, []);
    assert.deepEqual(read.events.map((e) => e.line), [1, 2, 3]);
  });

  it('reports damaged gzip data after the lines it could read', async () => {
    const many = jsonLines(Array.from({ length: 2000 }, () => auditEvent()));
    const compressed = gzipSync(many);
    const read = await readAll(tempFile('cut.gz', compressed.subarray(0, Math.floor(compressed.length * 0.6))));
    assert.ok(read.events.length > 0 && read.events.length < 2000, `read ${read.events.length} events before the cut`);
    assert.equal(read.errors.length, 1);
    assert.equal(read.errors[0]?.line, null);
    assert.match(read.errors[0]?.message ?? '', /^the gzip data is damaged after line \d+: unexpected end of file/);
    assert.deepEqual(read.events.map((e) => e.line), read.events.map((_, index) => index + 1));
  });

  it('reads `-` from the stdin stream it is given, gzip included, even one byte at a time', async () => {
    const bytes = gzipSync(text);
    const oneByteAtATime = Readable.from((function* () {
      for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
    })());
    const read = await readAll('-', { stdin: oneByteAtATime });
    assert.deepEqual(read.errors, []);
    assert.deepEqual(read.events.map((e) => e.event), events);
    assert.ok(read.events.every((e) => e.file === '<stdin>'));
  });

  it('reads the real standard input of a process', () => {
    const script = `
      import { readAuditEvents } from ${JSON.stringify(`${PROJECT_ROOT}/dist/src/audit/log/read-events.js`)};
      const errors = [];
      const lines = [];
      for await (const logged of readAuditEvents('-', errors)) lines.push(logged.file + ':' + logged.line + ':' + logged.event.verb);
      console.log(JSON.stringify({ lines, errors }));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { input: text + 'oops\n', encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout), {
      lines: ['<stdin>:1:get', '<stdin>:2:list', '<stdin>:3:watch'],
      errors: [{ file: '<stdin>', line: 4, column: 1, message: "not JSON: Unexpected token 'o'" }],
    });
  });

  it('turns a missing file or a directory into one error without a line', async () => {
    const missing = await readAll('/nonexistent/kubeharden/audit.log');
    assert.deepEqual(missing.events, []);
    assert.equal(missing.errors.length, 1);
    assert.equal(missing.errors[0]?.line, null);
    assert.match(missing.errors[0]?.message ?? '', /^cannot read the log: ENOENT/);
    const directory = await readAll(PROJECT_ROOT);
    assert.equal(directory.errors[0]?.line, null);
    assert.match(directory.errors[0]?.message ?? '', /^cannot read the log: is a directory, not a regular file/);
  });

  it('reads an empty file as no events and no errors', async () => {
    assert.deepEqual(await readAll(tempFile('empty.log', '')), { events: [], errors: [] });
  });

  it('yields events in batches for hot loops, the same events in the same order', async () => {
    const many = Array.from({ length: 5000 }, (_, index) => auditEvent({ verb: `v${index}` }));
    const errors: InputError[] = [];
    const batches: number[] = [];
    const verbs: unknown[] = [];
    for await (const batch of readAuditEventBatches(tempFile('batches.log', jsonLines(many)), errors)) {
      batches.push(batch.length);
      for (const logged of batch) verbs.push(logged.event.verb);
    }
    assert.ok(batches.length > 1, 'a 5,000-event log arrives in more than one batch');
    assert.deepEqual(verbs, many.map((e) => e.verb));
  });

  it('closes the file when the caller stops early', async () => {
    const path = tempFile('early.log', jsonLines(Array.from({ length: 10_000 }, () => auditEvent())));
    const errors: InputError[] = [];
    let seen = 0;
    for await (const batch of readAuditEventBatches(path, errors)) {
      seen += batch.length;
      break;
    }
    assert.ok(seen > 0 && seen < 10_000);
    assert.deepEqual(errors, []);
  });
});

describe('readAuditEvents: line handling', () => {
  it('takes CRLF line ends and counts the carriage return in the size', async () => {
    const events = [auditEvent(), auditEvent()];
    const read = await readAll(tempFile('crlf.log', jsonLines(events, '\r\n')));
    assert.deepEqual(read.errors, []);
    assert.deepEqual(read.events.map((e) => e.event), events);
    assert.deepEqual(read.events.map((e) => e.bytes), events.map((e) => Buffer.byteLength(JSON.stringify(e)) + 2));
  });

  it('skips blank lines (empty, spaces, a lone carriage return) and keeps counting them', async () => {
    const [a, b] = [auditEvent(), auditEvent()];
    const read = await readAll(tempFile('blank.log', `\n${JSON.stringify(a)}\n   \n\r\n\t\n${JSON.stringify(b)}\n\n`));
    assert.deepEqual(read.errors, []);
    assert.deepEqual(read.events.map((e) => e.line), [2, 6]);
  });

  it('reads a last line without a newline, sized without one', async () => {
    const [a, b] = [auditEvent(), auditEvent()];
    const read = await readAll(tempFile('no-final-newline.log', `${JSON.stringify(a)}\n${JSON.stringify(b)}`));
    assert.deepEqual(read.errors, []);
    assert.deepEqual(read.events.map((e) => [e.line, e.bytes]), [[1, Buffer.byteLength(JSON.stringify(a)) + 1], [2, Buffer.byteLength(JSON.stringify(b))]]);
  });

  it('reports a last line cut mid-write, keeping the events before it', async () => {
    const [a, b] = [auditEvent(), auditEvent()];
    const read = await readAll(tempFile('cut.log', `${JSON.stringify(a)}\n${JSON.stringify(b)}\n{"kind":"Event","verb":"ge`));
    assert.equal(read.events.length, 2);
    assert.deepEqual(read.errors.map((e) => [e.line, e.column, e.message]), [[3, 27, 'not JSON: Unterminated string']]);
    assert.equal(read.errors[0]?.column, 27);
  });

  it('reports invalid JSON lines at their exact line and reads on', async () => {
    const lines = [
      JSON.stringify(auditEvent()), // 1
      'not json', // 2
      '', // 3
      JSON.stringify(auditEvent()), // 4
      '{"kind":"Event",', // 5: cut by a crash; must not swallow line 6
      JSON.stringify(auditEvent()), // 6
      `${JSON.stringify(auditEvent())} trailing`, // 7
    ];
    const read = await readAll(tempFile('garbage.log', lines.join('\n') + '\n'));
    assert.deepEqual(read.events.map((e) => e.line), [1, 4, 6]);
    assert.deepEqual(read.errors.map((e) => e.line), [2, 5, 7]);
    assert.ok(read.errors.every((e) => e.message.startsWith('not JSON: ')));
  });

  it('reports JSON that is not an audit event, naming what it is', async () => {
    const lines = [
      '{"kind": 0}', // the Falco corpus has this one
      '{"kind":"Event","apiVersion":"v1","reason":"Scheduled"}', // a core Event, not an audit Event
      '{"kind":"Pod","apiVersion":"v1"}',
      '{"verb":"get"}',
      '[1,2]',
      '"text"',
      'null',
      '{"kind":"Event","verb":"get"}', // no apiVersion: accepted
    ];
    const read = await readAll(tempFile('not-events.log', lines.join('\n')));
    assert.deepEqual(read.events.map((e) => e.line), [8]);
    assert.deepEqual(read.errors.map((e) => `${e.line}: ${e.message}`), [
      '1: not an audit event (kind 0)',
      '2: not an audit event (kind Event, apiVersion v1)',
      '3: not an audit event (kind Pod, apiVersion v1)',
      '4: not an audit event (no kind)',
      '5: not an audit event (a JSON array)',
      '6: not an audit event (a JSON string)',
      '7: not an audit event (null)',
    ]);
  });

  it('lists the first problems of a file in detail and counts the rest', async () => {
    const lines = Array.from({ length: 1000 }, (_, index) => (index % 10 === 0 ? JSON.stringify(auditEvent()) : `garbage ${index}`));
    const read = await readAll(tempFile('mostly-garbage.log', lines.join('\n')), { maxErrorsPerFile: 5 });
    assert.equal(read.events.length, 100);
    assert.deepEqual(read.errors.slice(0, 5).map((e) => e.line), [2, 3, 4, 5, 6]);
    assert.deepEqual(read.errors.slice(5), [{ file: read.errors[0]?.file, line: null, column: null, message: '895 more problems in this file not listed (only the first 5 are)' }]);
  });

  it('skips a line over the size limit as an error, not a crash, and reads on', async () => {
    const huge = JSON.stringify(auditEvent({ requestObject: { data: 'x'.repeat(300_000) } }));
    const small = auditEvent();
    const read = await readAll(tempFile('huge-line.log', `${JSON.stringify(small)}\n${huge}\n${JSON.stringify(small)}\n${huge}`), { maxLineBytes: 100_000 });
    assert.deepEqual(read.events.map((e) => e.line), [1, 3]);
    assert.deepEqual(read.errors.map((e) => [e.line, e.message]), [[2, 'line longer than 100000 bytes: skipped'], [4, 'line longer than 100000 bytes: skipped']]);
  });

  it('skips a byte order mark at the start of the file', async () => {
    const event = auditEvent();
    const read = await readAll(tempFile('bom.log', `\ufeff${JSON.stringify(event)}\n`));
    assert.deepEqual(read.errors, []);
    assert.deepEqual(read.events.map((e) => [e.event, e.bytes]), [[event, Buffer.byteLength(JSON.stringify(event)) + 4]]);
  });

  it('sizes lines with multi-byte characters in bytes, not characters', async () => {
    const event = auditEvent({ user: { username: 'jürgen 🦀' } });
    const read = await readAll(tempFile('utf8.log', jsonLines([event, auditEvent()])));
    assert.deepEqual(read.errors, []);
    assert.equal(read.events[0]?.bytes, Buffer.byteLength(JSON.stringify(event)) + 1);
    assert.deepEqual(read.events[0]?.event, event);
  });
});

describe('readAuditEvents: JSON documents', () => {
  it('reads one pretty-printed event at its first line, sized as all of its lines', async () => {
    const event = auditEvent();
    const pretty = JSON.stringify(event, null, 2) + '\n';
    const read = await readAll(tempFile('pretty.json', `\n${pretty}`));
    assert.deepEqual(read.errors, []);
    assert.deepEqual(read.events.map((e) => [e.event, e.line, e.bytes]), [[event, 2, Buffer.byteLength(pretty)]]);
  });

  it('reads pretty-printed events one after another (jq output), braces inside strings included', async () => {
    const events = [auditEvent({ requestURI: '/api/v1/x?label={a}' }), auditEvent({ userAgent: 'agent "}{" \\' })];
    const text = events.map((e) => JSON.stringify(e, null, 4)).join('\n');
    const read = await readAll(tempFile('jq.json', text));
    assert.deepEqual(read.errors, []);
    assert.deepEqual(read.events.map((e) => e.event), events);
    assert.deepEqual(read.events.map((e) => e.line), [1, JSON.stringify(events[0], null, 4).split('\n').length + 1]);
  });

  it('reads the items of a pretty-printed EventList, each at the line where it starts', async () => {
    const items = [auditEvent(), auditEvent({ verb: 'delete' }), auditEvent({ verb: 'create' })];
    const list = { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items };
    const text = JSON.stringify(list, null, 2);
    const read = await readAll(tempFile('list.json', text));
    assert.deepEqual(read.errors, []);
    assert.deepEqual(read.events.map((e) => e.event), items);
    const lines = text.split('\n');
    const starts = lines.flatMap((line, index) => (line === '    {' ? [index + 1] : []));
    assert.deepEqual(read.events.map((e) => e.line), starts);
    assert.deepEqual(read.events.map((e) => e.bytes), items.map((item) => Buffer.byteLength(JSON.stringify(item, null, 2).replace(/\n/g, '\n    ')) + 1));
  });

  it('reads a one-line EventList (the webhook backend batch) and reports items that are not events', async () => {
    const good = auditEvent();
    const list = { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [good, { kind: 'Pod' }, 'text'] };
    const read = await readAll(tempFile('list.log', `${JSON.stringify(auditEvent())}\n${JSON.stringify(list)}\n`));
    assert.deepEqual(read.events.map((e) => [e.line, e.bytes]), [[1, Buffer.byteLength(JSON.stringify(read.events[0]?.event)) + 1], [2, Buffer.byteLength(JSON.stringify(good)) + 1]]);
    assert.deepEqual(read.errors.map((e) => `${e.line}: ${e.message}`), ['2: items[1] is not an audit event (kind Pod)', '2: items[2] is not an audit event (a JSON string)']);
  });

  it('reports a pretty-printed value with an error at the line of the error', async () => {
    const text = '{\n  "kind": "Event",\n  "verb": "get",\n}\n' + JSON.stringify(auditEvent()) + '\n';
    const read = await readAll(tempFile('bad-pretty.json', text));
    assert.deepEqual(read.events.map((e) => e.line), [5]);
    assert.deepEqual(read.errors.map((e) => [e.line, e.column]), [[4, 1]]);
    assert.match(read.errors[0]?.message ?? '', /^not JSON: /);
  });

  it('reports a pretty-printed value that never ends at the line it starts', async () => {
    const read = await readAll(tempFile('open.json', `${JSON.stringify(auditEvent())}\n{\n  "kind": "Event",\n  "user": {\n`));
    assert.equal(read.events.length, 1);
    assert.deepEqual(read.errors.map((e) => [e.line, e.message]), [[2, 'not JSON: the value that starts here has no end (the input ends at line 4)']]);
  });

  it('skips a pretty-printed value over the size limit and reads the lines after it', async () => {
    const big = JSON.stringify(auditEvent({ requestObject: { data: Array.from({ length: 2000 }, (_, i) => `value ${i}`) } }), null, 2);
    const read = await readAll(tempFile('big-pretty.json', `${big}\n${JSON.stringify(auditEvent())}\n`), { maxLineBytes: 10_000 });
    assert.deepEqual(read.events.map((e) => e.line), [big.split('\n').length + 1]);
    assert.deepEqual(read.errors.map((e) => [e.line, e.message]), [[1, 'JSON value longer than 10000 bytes: skipped']]);
  });
});
