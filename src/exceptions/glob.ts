/**
 * Shell-style globs for exception matching. `*` matches any run of characters except `/`, `**` any run including
 * `/`, `?` one character, `[abc]` a class. Names and namespaces never contain `/`, so `*` is all they need.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === '*') {
      if (glob[i + 1] === '*') {
        // `**/` also matches no directory at all: `charts/**/x.yaml` matches `charts/x.yaml`.
        const slash = glob[i + 2] === '/';
        source += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else {
        source += '[^/]*';
      }
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) {
        source += '\\[';
      } else {
        const body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
        source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = close;
      }
    } else {
      source += char.replace(/[.+^${}()|\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/** A matcher for any of several globs; no globs at all match everything. */
export function globMatcher(globs: readonly string[] | undefined): (value: string) => boolean {
  if (!globs || globs.length === 0) return () => true;
  const patterns = globs.map(globToRegExp);
  return (value) => patterns.some((pattern) => pattern.test(value));
}
