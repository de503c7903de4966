/**
 * The scanner's credential tests (src/kube/credentials.ts) as CEL, for the controls `export vap` exports. CEL's
 * `matches` is RE2, not JavaScript, so each test is rewritten to mean exactly what the scanner's does:
 * - JavaScript's `\s` (and `trim()`) is Unicode's whitespace plus U+FEFF; RE2's `\s` is ASCII only, so the class is
 *   written out.
 * - A case-insensitive JavaScript pattern (without the u flag) folds ASCII letters only; RE2's `(?i)` also folds
 *   `k` to U+212A and `s` to U+017F, so each letter becomes its own `[xX]`.
 * - Names are split into words as `words()` does: at every character other than a letter or digit, and between a
 *   lower-case letter or digit and an upper-case letter, then lower-cased. `toLowerCase()` turns exactly two other
 *   characters into ASCII: U+212A (KELVIN SIGN) into `k`, and U+0130 into `i` followed by a combining dot, which then
 *   ends the word. The word patterns below follow both.
 * - Lengths are JavaScript's, in UTF-16 units: a character outside the BMP counts two.
 */
import { LITERAL_REFERENCES, PLACEHOLDER, REFERENCE_SUFFIXES, SENSITIVE_PAIRS, SENSITIVE_WORDS, VALUE_PATTERNS } from '../kube/credentials.js';
import { celString } from './admission-cel.js';

/** JavaScript's whitespace (`\s`, what `trim()` removes), as the inside of an RE2 class. */
const JS_SPACE = '\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';
const SPACE = `[${JS_SPACE}]`;
const NOT_SPACE = `[^${JS_SPACE}]`;
const ASTRAL = '[\\x{10000}-\\x{10FFFF}]';
const KELVIN = '\\x{212A}';
const DOTTED_I = '\\x{130}';

/** A JavaScript regular expression (no flags but i) as RE2 with the same meaning, over the subset the scanner uses. */
export function re2(pattern: RegExp): string {
  if (!/^i?$/.test(pattern.flags)) throw new Error(`re2: flags ${pattern.flags} are not translated (${pattern.source})`);
  const caseless = pattern.flags === 'i';
  const source = pattern.source;
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const char = source[i] as string;
    if (char === '\\') {
      const next = source[++i] as string;
      out += next === 's' ? SPACE : next === 'S' ? NOT_SPACE : `\\${next}`;
    } else if (char === '[') {
      const end = classEnd(source, i);
      const body = source.slice(i + 1, end).replace(/\\s/g, JS_SPACE);
      const raw = source.slice(i + 1, end);
      if (caseless && (raw.includes('a-z') !== raw.includes('A-Z') || /[a-zA-Z]/.test(raw.replace('a-z', '').replace('A-Z', '').replace(/\\./g, '')))) {
        throw new Error(`re2: a caseless class must spell both cases as ranges (${pattern.source})`);
      }
      out += `[${body}]`;
      i = end;
    } else if (caseless && /[a-zA-Z]/.test(char)) {
      out += `[${char.toLowerCase()}${char.toUpperCase()}]`;
    } else {
      out += char;
    }
  }
  return out;
}

function classEnd(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']' && i > start + 1) return i;
  }
  throw new Error(`re2: unclosed class in ${source}`);
}

/** RE2 for "the value, trimmed, is wholly matched by this anchored pattern" (whose ends are never whitespace). */
function trimmedWhole(pattern: RegExp): string {
  const inner = re2(pattern).replace(/^\^/, '').replace(/\$$/, '');
  return `^${SPACE}*(?:${inner})${SPACE}*$`;
}

// ---- Words of a name --------------------------------------------------------------------------------------------

/** A character that only separates words (U+0130 is a letter `i` and a separator after it). */
const SEPARATOR = `[^A-Za-z0-9${KELVIN}${DOTTED_I}]`;
/** What may stand before a word's first letter written in any case: the start, or a separator (U+0130 included). */
const WORD_START = `(?:^|[^A-Za-z0-9${KELVIN}])`;

/** A word's spellings, by how they end: a lower-case letter, an upper-case one (or KELVIN SIGN), or U+0130. */
interface Spellings {
  readonly lower: string | null;
  readonly other: string | null;
  readonly dotted: string | null;
}
type Ending = keyof Spellings;
const ENDINGS: readonly Ending[] = ['lower', 'other', 'dotted'];

const either = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : `(?:${a}|${b})`);
const then = (a: string | null, b: string): string | null => (a === null ? null : `${a}${b}`);

/**
 * Every spelling that `words()` reads as this one word (lower-case ASCII letters): no lower-case letter or digit
 * may stand right before an upper-case letter (that starts a new word); KELVIN SIGN may stand for `k`, and U+0130
 * for a final `i`. `camel`: the word starts right after a lower-case letter or digit, so its first letter is upper-case.
 */
function spellings(word: string, camel: boolean): Spellings {
  if (!/^[a-z]+$/.test(word)) throw new Error(`spellings: ${word} is not a lower-case word`);
  let lower: string | null = null;
  let other: string | null = camel ? null : '';
  let dotted: string | null = null;
  [...word].forEach((letter, index) => {
    const upper = letter.toUpperCase();
    if (camel && index === 0) {
      other = upper;
      return;
    }
    const any = either(lower, other);
    dotted = index === word.length - 1 && letter === 'i' ? then(any, DOTTED_I) : null;
    const nextOther = either(then(other, upper), letter === 'k' ? then(any, KELVIN) : null);
    lower = then(any, letter);
    other = nextOther;
  });
  return { lower, other, dotted };
}

/**
 * RE2: these words, one right after the other. `after`: where the first may begin (where any word begins, or
 * right after a word that ended so); `end`: what must follow the last one's ending.
 */
function wordsInARow(words: readonly string[], after: 'anywhere' | Ending, end: (ending: Ending) => string): string {
  const [word, ...rest] = words as [string, ...string[]];
  // Where the word may begin, and whether it must then start upper-case (a camelCase boundary).
  const starts: readonly (readonly [string, boolean])[] =
    after === 'anywhere'
      ? [[WORD_START, false], ['[a-z0-9]', true]]
      : after === 'lower'
        ? [[`${SEPARATOR}+`, false], ['', true]]
        : after === 'other'
          ? [[`${SEPARATOR}+`, false]]
          : [[`${SEPARATOR}*`, false]];
  const alternatives: string[] = [];
  for (const [prefix, camel] of starts) {
    const spelled = spellings(word, camel);
    for (const ending of ENDINGS) {
      const body = spelled[ending];
      if (body === null) continue;
      alternatives.push(`${prefix}${body}${rest.length > 0 ? `(?:${wordsInARow(rest, ending, end)})` : end(ending)}`);
    }
  }
  return alternatives.join('|');
}

/** After a word's last letter, another word must begin (or the name end): `tokens`, `token2` are other words. */
const WORD_ENDS = (ending: Ending): string => (ending === 'lower' ? `(?:$|${SEPARATOR}|[A-Z])` : ending === 'other' ? `(?:$|${SEPARATOR})` : '');
/** Nothing but separators after the name's last word. */
const NAME_ENDS = (): string => `${SEPARATOR}*$`;

// ---- The tests --------------------------------------------------------------------------------------------------

/** RE2: a value `credentialInValue` finds a credential in (a private key, a cloud or Git host token, a JWT…). */
export const CREDENTIAL_VALUE = VALUE_PATTERNS.map(({ pattern }) => `(?:${re2(pattern)})`).join('|');

/** RE2: a name that says the value is a credential, before its last word is looked at. */
const SENSITIVE = [...SENSITIVE_WORDS, ...SENSITIVE_PAIRS].map((words) => wordsInARow(words.split(' '), 'anywhere', WORD_ENDS)).join('|');
/** RE2: a name whose last word(s) say it points at a credential (PASSWORD_FILE, TOKEN_PATH, SECRET_NAME). */
const REFERENCE = [...REFERENCE_SUFFIXES].map((suffix) => wordsInARow(suffix.split('_'), 'anywhere', NAME_ENDS)).join('|');

/**
 * RE2 over the name in lower-case ASCII: every sensitive word and pair holds one of these (KELVIN SIGN, which
 * `lowerAscii()` keeps, standing for its `k`). A cheap test first, so that most names never meet the long patterns.
 */
const SENSITIVE_HINT = `passw|passphrase|pwd|secret|to[k${KELVIN}]en|[k${KELVIN}]ey|credential|jwt|bearer`;

/** CEL: `isSensitiveName(name)`. */
export function celSensitiveName(name: string): string {
  return `(${name}.lowerAscii().matches(${celString(SENSITIVE_HINT)}) && ${name}.matches(${celString(SENSITIVE)}) && !${name}.matches(${celString(REFERENCE)}))`;
}

/** RE2: the trimmed value is at least 4 UTF-16 units long (3 characters with one outside the BMP, or 2 such). */
const FOUR_UNITS = `(?s)^${SPACE}*(?:${NOT_SPACE}.{2,}${NOT_SPACE}|${ASTRAL}.${NOT_SPACE}|${NOT_SPACE}${ASTRAL}${NOT_SPACE}|${NOT_SPACE}.${ASTRAL}|${ASTRAL}${ASTRAL})${SPACE}*$`;
/** RE2: the trimmed value is a file path (starts with `/`, no space). */
const FILE_PATH = `^${SPACE}*/[^ ]*${SPACE}*$`;
const NOT_LITERAL = [...LITERAL_REFERENCES, PLACEHOLDER].map(trimmedWhole).map((re) => `(?:${re})`).join('|');

/** CEL: `looksLikeLiteralSecret(value)`. */
export function celLiteralSecret(value: string): string {
  return `(${value}.matches(${celString(FOUR_UNITS)}) && !${value}.matches(${celString(NOT_LITERAL)}) && !${value}.matches(${celString(FILE_PATH)}))`;
}

/** CEL: `credentialInValue(value)` finds something. */
export function celCredentialValue(value: string): string {
  return `${value}.matches(${celString(CREDENTIAL_VALUE)})`;
}
