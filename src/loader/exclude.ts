/**
 * `--exclude` and `exclude:` patterns, gitignore-style (the `ignore` package: `*`, `**`, `!negation`, a trailing
 * `/` for folders only, a leading `/` anchoring at the base), each set relative to its own folder: the working
 * folder for flags, the configuration file's folder for `exclude:`.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import ignore from 'ignore';

export interface ExcludeRules {
  /** The folder the patterns are relative to. */
  readonly base: string;
  readonly patterns: readonly string[];
}

/** A test for paths to leave out, or undefined when no pattern is given. */
export function excludeMatcher(rules: readonly ExcludeRules[]): ((path: string, isDirectory: boolean) => boolean) | undefined {
  const compiled = rules.filter((rule) => rule.patterns.length > 0).map((rule) => ({ base: resolve(rule.base), matcher: ignore().add([...rule.patterns]) }));
  if (compiled.length === 0) return undefined;
  return (path, isDirectory) => {
    const absolute = resolve(path);
    return compiled.some(({ base, matcher }) => {
      const inside = relative(base, absolute);
      if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return false;
      const portable = inside.split(sep).join('/');
      return matcher.ignores(isDirectory ? `${portable}/` : portable);
    });
  };
}

/** Why a pattern cannot be used, or undefined when it can. */
export function excludePatternProblem(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'an exclude pattern must not be empty';
  try {
    ignore().add(pattern).ignores('probe');
  } catch (error) {
    return `"${pattern}" is not a gitignore-style pattern: ${(error as Error).message}`;
  }
  return undefined;
}
