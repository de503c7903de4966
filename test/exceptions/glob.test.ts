import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { globMatcher, globToRegExp } from '../../src/exceptions/glob.js';

const cases: { glob: string; matches: string[]; misses: string[] }[] = [
  { glob: '*', matches: ['', 'web', 'a-b.c'], misses: ['a/b'] },
  { glob: 'team-*', matches: ['team-', 'team-a'], misses: ['teams', 'x-team-a'] },
  { glob: 'web-?', matches: ['web-1'], misses: ['web-12', 'web-'] },
  { glob: 'web-[0-9]', matches: ['web-7'], misses: ['web-x'] },
  { glob: 'web-[!0-9]', matches: ['web-x'], misses: ['web-7'] },
  { glob: 'charts/**', matches: ['charts/a.yaml', 'charts/x/y/z.yaml'], misses: ['chart/a.yaml', 'other/charts/a.yaml'] },
  { glob: 'charts/**/deploy.yaml', matches: ['charts/deploy.yaml', 'charts/a/b/deploy.yaml'], misses: ['charts/a/deploy.yml'] },
  { glob: 'k8s/*.yaml', matches: ['k8s/a.yaml'], misses: ['k8s/sub/a.yaml'] },
  { glob: 'a.b+(c)', matches: ['a.b+(c)'], misses: ['aXb+(c)', 'a.bb(c)'] },
  { glob: 'x[', matches: ['x['], misses: ['x'] },
];

describe('globs', () => {
  for (const { glob, matches, misses } of cases) {
    it(glob, () => {
      const regex = globToRegExp(glob);
      for (const value of matches) assert.ok(regex.test(value), `${glob} should match ${value}`);
      for (const value of misses) assert.ok(!regex.test(value), `${glob} should not match ${value}`);
    });
  }

  it('any of several globs; none at all matches everything', () => {
    const match = globMatcher(['a*', 'b*']);
    assert.ok(match('ab') && match('bc') && !match('ca'));
    assert.ok(globMatcher(undefined)('anything') && globMatcher([])('x'));
  });
});
