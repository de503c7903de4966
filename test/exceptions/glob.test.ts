import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compileGlob, GlobError, globMatcher } from '../../src/exceptions/glob.js';
import { PROJECT_ROOT } from '../support/paths.js';

const cases: { glob: string; matches: string[]; misses: string[] }[] = [
  { glob: '*', matches: ['', 'web', 'a-b.c'], misses: ['a/b'] },
  { glob: 'team-*', matches: ['team-', 'team-a'], misses: ['teams', 'x-team-a'] },
  { glob: 'web-?', matches: ['web-1', 'web-é', 'web-😀'], misses: ['web-12', 'web-', 'web-/'] },
  { glob: 'web-[0-9]', matches: ['web-7'], misses: ['web-x', 'web-'] },
  { glob: 'web-[!0-9]', matches: ['web-x'], misses: ['web-7', 'web-/'] },
  { glob: 'web-[^0-9]', matches: ['web-x'], misses: ['web-7'] },
  { glob: '[]a]', matches: [']', 'a'], misses: ['b'] },
  { glob: '[a-]', matches: ['a', '-'], misses: ['b'] },
  { glob: '[😀-😂]', matches: ['😁'], misses: ['a'] },
  { glob: 'a\\*b', matches: ['a*b'], misses: ['axb'] },
  { glob: '[\\]]x', matches: [']x'], misses: ['\\x'] },
  { glob: 'charts/**', matches: ['charts/a.yaml', 'charts/x/y/z.yaml'], misses: ['chart/a.yaml', 'other/charts/a.yaml'] },
  { glob: 'charts/**/deploy.yaml', matches: ['charts/deploy.yaml', 'charts/a/b/deploy.yaml'], misses: ['charts/a/deploy.yml', 'chartsdeploy.yaml'] },
  { glob: '**/deploy.yaml', matches: ['deploy.yaml', 'a/b/deploy.yaml'], misses: ['a/xdeploy.yaml'] },
  { glob: 'k8s/*.yaml', matches: ['k8s/a.yaml'], misses: ['k8s/sub/a.yaml'] },
  { glob: 'a.b+(c)', matches: ['a.b+(c)'], misses: ['aXb+(c)', 'a.bb(c)'] },
  { glob: 'x[', matches: ['x['], misses: ['x'] },
  { glob: 'a*a*a*a*a*a*b', matches: [`${'a'.repeat(120)}b`], misses: ['a'.repeat(120)] },
];

/** What a glob means, as a regular expression: the reference the automaton is checked against on small inputs. */
function reference(glob: string): RegExp {
  // One pass: a second pass over classes would also wrap the `[^/]` a star became, and `*/` would miss `/`.
  const source = glob.replace(/\*{2,}\/|\*{2,}|\*|\?|\[!?[^\]]*\]|[.+^${}()|\\]/g, (part) => {
    if (part.startsWith('**')) return part.endsWith('/') ? '(?:.*/)?' : '.*';
    if (part === '*') return '[^/]*';
    if (part === '?') return '[^/]';
    if (part.startsWith('[')) return `(?!/)[${part.startsWith('[!') ? `^${part.slice(2, -1)}` : part.slice(1, -1)}]`;
    return `\\${part}`;
  });
  return new RegExp(`^${source}$`, 'u');
}

describe('globs', () => {
  for (const { glob, matches, misses } of cases) {
    it(glob, () => {
      const match = compileGlob(glob);
      for (const value of matches) assert.ok(match(value), `${glob} should match ${value}`);
      for (const value of misses) assert.ok(!match(value), `${glob} should not match ${value}`);
    });
  }

  it('any of several globs; none at all matches everything', () => {
    const match = globMatcher(['a*', 'b*']);
    assert.ok(match('ab') && match('bc') && !match('ca'));
    assert.ok(globMatcher(undefined)('anything') && globMatcher([])('x'));
  });

  it('refuses a class that cannot match as written, and a trailing backslash, naming where', () => {
    for (const [glob, offset, reason] of [['[z-a]*', 1, /range z-a is reversed/], ['ab[!9-0]', 4, /range 9-0/], ['ab\\', 2, /trailing \\/]] as const) {
      assert.throws(() => compileGlob(glob), (error: unknown) => error instanceof GlobError && error.offset === offset && reason.test(error.message));
    }
  });

  it('means what the equivalent regular expression means (stars, classes, folders)', () => {
    const part = fc.constantFrom('a', 'b', '/', '*', '**', '**/', '?', '[ab]', '[!a]', '[a-b]', '.');
    fc.assert(
      fc.property(fc.array(part, { maxLength: 8 }), fc.array(fc.constantFrom('a', 'b', 'c', '/', '.'), { maxLength: 10 }), (parts, chars) => {
        const glob = parts.join('');
        const value = chars.join('');
        assert.equal(compileGlob(glob)(value), reference(glob).test(value), `${glob} against ${value}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('matches in time proportional to the input, where a backtracking regular expression takes minutes', () => {
    // In a child with a deadline: a backtracking matcher would block this process, not fail the test.
    const script = `
      import { globMatcher } from './dist/src/exceptions/glob.js';
      const started = performance.now();
      const globs = ['a*a*a*a*a*a*b', '*a*a*a*a*a*a*a*a*ba', '**a**a**a**a**a**a**b', 'a?*a?*a?*a?*a?*b', '[a]*[a]*[a]*[a]*[a]*[a]*b'];
      for (const glob of globs) for (const length of [120, 10000]) if (globMatcher([glob])('a'.repeat(length))) throw new Error(glob);
      console.log(Math.round(performance.now() - started));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 20_000 });
    assert.equal(child.status, 0, `${child.signal ?? ''} ${child.stderr}`);
    assert.ok(Number(child.stdout) < 5_000, `took ${child.stdout} ms`);
  });
});
