import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { palette } from '../../src/report/color.js';
import { inputErrorText, terminalLines, terminalText } from '../../src/report/terminal-text.js';
import { alignColumns } from '../../src/util/columns.js';

/** Characters a terminal acts on, or that reorder or break a line: none may survive neutralising. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('terminal text', () => {
  const cases: [string, string, string][] = [
    ['CSI erase line and carriage return', 'web\u001b[2K\rResult: PASS', 'web\\x1b[2K\\rResult: PASS'],
    ['OSC 8 hyperlink', '\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007', '\\x1b]8;;https://evil.example\\x07click\\x1b]8;;\\x07'],
    ['OSC window title', '\u001b]0;pwned\u0007', '\\x1b]0;pwned\\x07'],
    ['concealment', 'a\u001b[8mhidden', 'a\\x1b[8mhidden'],
    ['backspace', 'safe\b\b\b\bevil', 'safe\\x08\\x08\\x08\\x08evil'],
    ['newline and tab', 'a\nResult: PASS\tb', 'a\\nResult: PASS\\tb'],
    ['DEL and C1 CSI', 'x\u007f\u009b2J', 'x\\x7f\\x9b2J'],
    ['bidi override and isolate', 'abc\u202eevil\u2066x\u2069', 'abc\\u202eevil\\u2066x\\u2069'],
    ['line separator and BOM', 'a\u2028b\ufeff', 'a\\u2028b\\ufeff'],
    ['lone surrogate', 'a\ud800b', 'a\\ud800b'],
    ['printable Unicode is kept', 'café 名前 🚀 ä', 'café 名前 🚀 ä'],
    ['backslashes are kept', 'C:\\x1b', 'C:\\x1b'],
  ];
  for (const [name, input, expected] of cases) {
    it(`escapes ${name}`, () => assert.equal(terminalText(input), expected));
  }

  it('leaves no unsafe character in any string, and changes nothing twice', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (text) => {
        const safe = terminalText(text);
        assert.doesNotMatch(safe, UNSAFE);
        assert.equal(terminalText(safe), safe);
      }),
      { seed: 20261203, numRuns: 2000 },
    );
  });

  it('keeps our palette and only it when asked to keep colour', () => {
    const colors = palette(true);
    const line = `${colors.red('HIGH')} ${colors.bold('x')} \u001b[8mhidden\u001b[2J`;
    assert.equal(terminalText(line, true), `${colors.red('HIGH')} ${colors.bold('x')} \\x1b[8mhidden\\x1b[2J`);
    assert.equal(terminalText(colors.red('HIGH')), '\\x1b[31mHIGH\\x1b[39m', 'without keepColor every ESC is escaped');
  });

  it('keeps the newlines between lines, escapes any other control', () => {
    assert.equal(terminalLines('a\u001b[1m\nb\r'), 'a\\x1b[1m\nb\\r');
  });

  it('quotes input errors with the file name and message neutralised', () => {
    assert.equal(inputErrorText({ file: 'a\u001b]0;x\u0007.yaml', line: 3, column: 4, message: 'bad\nResult: PASS' }), 'a\\x1b]0;x\\x07.yaml:3:4: bad\\nResult: PASS');
  });

  it('aligns columns on what is shown: a cell stays one line', () => {
    assert.deepEqual(alignColumns([['a\nb', 'x'], ['ccccc', 'y']]), ['a\\nb   x', 'ccccc  y']);
  });
});
