/**
 * Alpine (apk) version ordering, as apk-tools 3 does it. A valid version reads
 * `digits{.digits}[letter]{_suffix[digits]}[~hash][-rdigits]`. Both versions are read token by token in step;
 * tokens of the same kind compare by value: numbers numerically, except that after the first a number with a
 * leading zero compares as text (Gentoo's rule, `8.2.0015 < 8.2.002`); the letter by character; suffixes in the
 * order `_alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p`; a commit hash as text. When the
 * kinds differ, the version that goes on is newer, unless it goes on with a pre-release suffix; reading stops at
 * anything invalid, which counts as going on less far than the end (`1 > 1-foo`), and two versions that turn
 * invalid at the same token are equal.
 *
 * One leniency apk 3 does not have: digits right after the letter (`6.6.2p1`, rejected by apk 3) read as another
 * number, as apk 2 did. Real Alpine indexes hold such versions, and the ordering recorded from them needs it.
 */
import { compareDigits, compareText } from './numbers.js';

const enum Kind {
  InitialDigit,
  Digit,
  Letter,
  Suffix,
  SuffixNumber,
  CommitHash,
  Revision,
  End,
  Invalid,
}

/** Suffix ranks around "no suffix" (0): negative ones are pre-releases. */
const SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['alpha', -4],
  ['beta', -3],
  ['pre', -2],
  ['rc', -1],
  ['cvs', 1],
  ['svn', 2],
  ['git', 3],
  ['hg', 4],
  ['p', 5],
]);

interface ApkToken {
  readonly kind: Kind;
  readonly text: string;
}

const LEADING = {
  digits: /^[0-9]*/,
  suffix: /^[a-z]*/,
  hex: /^[0-9a-fA-F]*/,
};

function take(pattern: RegExp, text: string): string {
  return pattern.exec(text)![0];
}

/** The tokens of a version, ending with End or Invalid. */
function apkTokens(version: string): ApkToken[] {
  const first = take(LEADING.digits, version);
  if (first === '') return [{ kind: Kind.Invalid, text: '' }];
  const tokens: ApkToken[] = [{ kind: Kind.InitialDigit, text: first }];
  let rest = version.slice(first.length);
  let last = Kind.InitialDigit as Kind;
  for (;;) {
    let kind: Kind = Kind.Invalid;
    let text = '';
    let used = 0;
    const head = rest[0];
    if (head === undefined) {
      kind = Kind.End;
    } else if (head >= 'a' && head <= 'z') {
      if (last <= Kind.Digit) [kind, text, used] = [Kind.Letter, head, 1];
    } else if (head === '.' || (head >= '0' && head <= '9')) {
      const dot = head === '.' ? 1 : 0;
      const digits = take(LEADING.digits, rest.slice(dot));
      const allowed = dot ? last <= Kind.Digit : last <= Kind.Digit || last === Kind.Suffix || last === Kind.Letter;
      if (allowed && digits !== '') [kind, text, used] = [last === Kind.Suffix && !dot ? Kind.SuffixNumber : Kind.Digit, digits, dot + digits.length];
    } else if (head === '_') {
      const word = take(LEADING.suffix, rest.slice(1));
      if (last <= Kind.SuffixNumber && SUFFIXES.has(word)) [kind, text, used] = [Kind.Suffix, word, 1 + word.length];
    } else if (head === '~') {
      const hash = take(LEADING.hex, rest.slice(1));
      if (last < Kind.CommitHash && hash !== '') [kind, text, used] = [Kind.CommitHash, hash, 1 + hash.length];
    } else if (head === '-') {
      const digits = rest.startsWith('-r') ? take(LEADING.digits, rest.slice(2)) : '';
      if (last < Kind.Revision && digits !== '') [kind, text, used] = [Kind.Revision, digits, 2 + digits.length];
    }
    tokens.push({ kind, text });
    if (kind === Kind.End || kind === Kind.Invalid) return tokens;
    last = kind;
    rest = rest.slice(used);
  }
}

export function isValidApkVersion(version: string): boolean {
  return /^\d+(?:\.\d+)*[a-z]?(?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*(?:~[0-9a-fA-F]+)?(?:-r\d+)?$/.test(version);
}

function compareTokens(kind: Kind, a: string, b: string): number {
  switch (kind) {
    case Kind.Digit:
      if (a.startsWith('0') || b.startsWith('0')) return compareText(a, b);
      return compareDigits(a, b);
    case Kind.InitialDigit:
    case Kind.SuffixNumber:
    case Kind.Revision:
      return compareDigits(a, b);
    case Kind.Suffix:
      return Math.sign(SUFFIXES.get(a)! - SUFFIXES.get(b)!);
    default:
      return compareText(a, b);
  }
}

export function compareApk(a: string, b: string): number {
  const left = apkTokens(a);
  const right = apkTokens(b);
  for (let index = 0; ; index++) {
    const ta = left[index]!;
    const tb = right[index]!;
    if (ta.kind !== tb.kind) {
      if (ta.kind === Kind.Suffix && SUFFIXES.get(ta.text)! < 0) return -1;
      if (tb.kind === Kind.Suffix && SUFFIXES.get(tb.text)! < 0) return 1;
      return ta.kind > tb.kind ? -1 : 1;
    }
    if (ta.kind === Kind.End || ta.kind === Kind.Invalid) return 0;
    const byValue = compareTokens(ta.kind, ta.text, tb.text);
    if (byValue !== 0) return byValue;
  }
}
