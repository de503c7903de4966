/**
 * Globs for exception matching, in the syntax of `.gitignore`: `*` matches any run of characters except `/`,
 * `**` any run including `/` (and `**` followed by `/` also no folder at all), `?` one character except `/`,
 * `[abc]`, `[a-z]` and `[!a-z]` (or `[^a-z]`) one character of a class, `\x` the character x. A `[` without its
 * `]` is itself.
 *
 * Matching simulates the pattern as a small automaton over the value (every position of the pattern the value
 * could be at, advanced one character at a time), so it takes at most length × pattern steps whatever the input:
 * a regular expression backtracks, and `a*a*a*a*a*a*b` against 120 `a`s took minutes. The classic two-pointer
 * "return to the last star" matcher is as fast but is only right for one kind of star; `*` and `**` are two.
 */

/** A glob that cannot mean anything, with the 0-based offset of the offending part. */
export class GlobError extends Error {
  constructor(
    readonly glob: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`invalid glob "${glob}": ${reason} (at character ${offset + 1})`);
  }
}

type Token =
  | { readonly type: 'char'; readonly char: string }
  | { readonly type: 'any' }
  | { readonly type: 'class'; readonly negated: boolean; readonly ranges: readonly (readonly [string, string])[] }
  /** `*` loops on any character but `/`; `**` on any. */
  | { readonly type: 'star'; readonly crossesFolders: boolean }
  /** Takes no character: goes on to the `**` and `/` after it, or past both (`a/**` + `/b` matches `a/b`). */
  | { readonly type: 'folders' };

const SLASH = '/';

/** Compiles a glob; throws GlobError for a class that cannot match as written (`[z-a]`) or a trailing `\`. */
export function compileGlob(glob: string): (value: string) => boolean {
  const tokens = tokenize(glob);
  // The literal ends are compared as strings first: most values fail there, and a glob is mostly literal.
  let first = 0;
  while (first < tokens.length && tokens[first]?.type === 'char') first++;
  let last = tokens.length;
  while (last > first && tokens[last - 1]?.type === 'char' && tokens[last - 2]?.type !== 'star') last--;
  const prefix = literalText(tokens.slice(0, first));
  const suffix = literalText(tokens.slice(last));
  const middle = tokens.slice(first, last);
  const within = (value: string): string | undefined =>
    value.length >= prefix.length + suffix.length && value.startsWith(prefix) && value.endsWith(suffix) ? value.slice(prefix.length, value.length - suffix.length) : undefined;
  if (middle.length === 0) return (value) => value === prefix + suffix;
  const only = middle[0] as Token;
  if (middle.length === 1 && only.type === 'star') {
    // `name-*`, `*.yaml`, `team-*-prod` has two stars and goes the general way.
    return (value) => {
      const rest = within(value);
      return rest !== undefined && (only.crossesFolders || !rest.includes(SLASH));
    };
  }
  const automaton = new Automaton(middle);
  return (value) => {
    const rest = within(value);
    return rest !== undefined && automaton.matches(rest);
  };
}

function literalText(tokens: readonly Token[]): string {
  return tokens.map((token) => (token as { char: string }).char).join('');
}

/** A matcher for any of several globs; no globs at all match everything. Throws GlobError like compileGlob. */
export function globMatcher(globs: readonly string[] | undefined): (value: string) => boolean {
  if (!globs || globs.length === 0) return () => true;
  const matchers = globs.map(compileGlob);
  return (value) => matchers.some((match) => match(value));
}

function tokenize(glob: string): Token[] {
  const tokens: Token[] = [];
  // Code points, so `?` takes one character even outside the Basic Multilingual Plane.
  const chars = [...glob];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string;
    if (char === '\\') {
      if (i + 1 >= chars.length) throw new GlobError(glob, i, 'a trailing \\ escapes nothing');
      tokens.push({ type: 'char', char: chars[++i] as string });
    } else if (char === '*') {
      let end = i;
      // Stars in a row add nothing but work: `***` is `**`.
      while (chars[end + 1] === '*') end++;
      const crossesFolders = end > i;
      if (crossesFolders && chars[end + 1] === SLASH) {
        tokens.push({ type: 'folders' }, { type: 'star', crossesFolders }, { type: 'char', char: SLASH });
        end++;
      } else {
        tokens.push({ type: 'star', crossesFolders });
      }
      i = end;
    } else if (char === '?') {
      tokens.push({ type: 'any' });
    } else if (char === '[') {
      const parsed = parseClass(glob, chars, i);
      if (parsed) {
        tokens.push(parsed.token);
        i = parsed.end;
      } else {
        tokens.push({ type: 'char', char });
      }
    } else {
      tokens.push({ type: 'char', char });
    }
  }
  return tokens;
}

/** `[...]` starting at `open`: the class and the index of its `]`, or undefined when it is never closed. */
function parseClass(glob: string, chars: readonly string[], open: number): { token: Token; end: number } | undefined {
  let i = open + 1;
  const negated = chars[i] === '!' || chars[i] === '^';
  if (negated) i++;
  const ranges: [string, string][] = [];
  // A `]` first in the class is a member, as in every shell.
  for (let first = true; i < chars.length; first = false) {
    let char = chars[i] as string;
    if (char === ']' && !first) return { token: { type: 'class', negated, ranges }, end: i };
    const start = i;
    if (char === '\\' && i + 1 < chars.length) char = chars[++i] as string;
    let high = char;
    if (chars[i + 1] === '-' && i + 2 < chars.length && chars[i + 2] !== ']') {
      i += 2;
      high = chars[i] as string;
      if (high === '\\' && i + 1 < chars.length) high = chars[++i] as string;
      if ((high.codePointAt(0) as number) < (char.codePointAt(0) as number)) {
        throw new GlobError(glob, offsetOf(chars, start), `the range ${char}-${high} is reversed (write ${high}-${char})`);
      }
    }
    ranges.push([char, high]);
    i++;
  }
  return undefined;
}

/** UTF-16 offset of the code point at `index`, for messages that point into the glob as written. */
function offsetOf(chars: readonly string[], index: number): number {
  return chars.slice(0, index).join('').length;
}

/**
 * The pattern as a set of states, one per token plus the end, advanced a character at a time. Its arrays are
 * allocated once per glob (matching is synchronous, so one glob never runs twice at once).
 */
class Automaton {
  private current: Uint8Array;
  private next: Uint8Array;
  private readonly stack: number[] = [];

  constructor(private readonly tokens: readonly Token[]) {
    this.current = new Uint8Array(tokens.length + 1);
    this.next = new Uint8Array(tokens.length + 1);
  }

  matches(value: string): boolean {
    const { tokens } = this;
    const count = tokens.length;
    this.current.fill(0);
    this.enter(this.current, 0);
    for (const char of value) {
      const { current, next } = this;
      next.fill(0);
      let alive = false;
      for (let state = 0; state < count; state++) {
        if (current[state] !== 1) continue;
        const token = tokens[state] as Token;
        if (token.type === 'folders') continue;
        if (token.type === 'star') {
          if (token.crossesFolders || char !== SLASH) {
            this.enter(next, state);
            alive = true;
          }
        } else if (takes(token, char)) {
          this.enter(next, state + 1);
          alive = true;
        }
      }
      if (!alive) return false;
      this.current = next;
      this.next = current;
    }
    return this.current[count] === 1;
  }

  /** Marks `state` and every state reachable from it without a character (past stars that take none). */
  private enter(states: Uint8Array, state: number): void {
    const { stack, tokens } = this;
    stack.push(state);
    while (stack.length > 0) {
      const at = stack.pop() as number;
      if (states[at] === 1) continue;
      states[at] = 1;
      const token = tokens[at];
      if (token?.type === 'star') stack.push(at + 1);
      else if (token?.type === 'folders') stack.push(at + 1, at + 3);
    }
  }
}

function takes(token: Exclude<Token, { type: 'star' } | { type: 'folders' }>, char: string): boolean {
  switch (token.type) {
    case 'char':
      return token.char === char;
    case 'any':
      return char !== SLASH;
    case 'class': {
      if (char === SLASH) return false;
      const inside = token.ranges.some(([low, high]) => inRange(char, low, high));
      return inside !== token.negated;
    }
  }
}

/** Code point comparison: `>=` on strings compares UTF-16 units, which orders surrogate pairs wrongly. */
function inRange(char: string, low: string, high: string): boolean {
  const point = char.codePointAt(0) as number;
  return point >= (low.codePointAt(0) as number) && point <= (high.codePointAt(0) as number);
}
