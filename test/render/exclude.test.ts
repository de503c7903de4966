/**
 * `--exclude` and `exclude:` (gitignore-style patterns, the `ignore` package): which paths they leave out, the
 * configuration file's patterns relative to its folder and checked with file and line, and both at once in a scan.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfigFile } from '../../src/config/config-file.js';
import { excludeMatcher } from '../../src/loader/exclude.js';
import { runCli, tempTree } from '../support/cli-process.js';

const pod = (name: string, extra = '') => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n${extra}`;

describe('exclude patterns', () => {
  const cases: readonly { patterns: string[]; path: string; directory: boolean; excluded: boolean }[] = [
    { patterns: ['vendor/'], path: 'a/vendor', directory: true, excluded: true },
    { patterns: ['vendor/'], path: 'a/vendor', directory: false, excluded: false },
    { patterns: ['/vendor'], path: 'a/vendor', directory: true, excluded: false },
    { patterns: ['/vendor'], path: 'vendor', directory: true, excluded: true },
    { patterns: ['*.test.yaml'], path: 'deep/er/x.test.yaml', directory: false, excluded: true },
    { patterns: ['**/generated/**'], path: 'a/generated/b/c.yaml', directory: false, excluded: true },
    { patterns: ['*.yaml', '!keep.yaml'], path: 'k/keep.yaml', directory: false, excluded: false },
    { patterns: ['*.yaml', '!keep.yaml'], path: 'k/drop.yaml', directory: false, excluded: true },
  ];
  for (const { patterns, path, directory, excluded } of cases) {
    it(`${patterns.join(' ')}: ${path}${directory ? '/' : ''} ${excluded ? 'is' : 'is not'} left out`, () => {
      const matches = excludeMatcher([{ base: '/repo', patterns }]);
      assert.equal(matches?.(join('/repo', path), directory), excluded);
    });
  }

  it('a path outside a rule\'s folder is never matched by it; no pattern means no matcher', () => {
    assert.equal(excludeMatcher([{ base: '/repo/k8s', patterns: ['*.yaml'] }])?.('/repo/other/a.yaml', false), false);
    assert.equal(excludeMatcher([{ base: '/repo', patterns: [] }]), undefined);
  });

  it('exclude: in .kubeharden.yaml is a list of patterns; a wrong type is an error at its line', (t) => {
    const dir = tempTree(t, 'exclude-config');
    const path = join(dir, '.kubeharden.yaml');
    writeFileSync(path, 'failOn: none\nexclude:\n  - vendor/\n  - {a: b}\n');
    assert.throws(() => loadConfigFile(path, new Set()), (error: unknown) => error instanceof ConfigError && error.line === 4 && /expected a string/.test(error.reason));
    writeFileSync(path, 'exclude: {a: b}\n');
    assert.throws(() => loadConfigFile(path, new Set()), (error: unknown) => error instanceof ConfigError && error.line === 1 && /gitignore-style/.test(error.reason));
    writeFileSync(path, 'exclude:\n  - "   "\n');
    assert.throws(() => loadConfigFile(path, new Set()), (error: unknown) => error instanceof ConfigError && error.line === 2 && /must not be empty/.test(error.reason));
    writeFileSync(path, 'exclude: [vendor/, "*.tmp.yaml"]\n');
    assert.deepEqual(loadConfigFile(path, new Set()).values.exclude, ['vendor/', '*.tmp.yaml']);
  });

  it('a scan leaves out what --exclude and the configuration file name, before reading it', (t) => {
    const dir = tempTree(t, 'exclude-scan');
    mkdirSync(join(dir, 'app'));
    mkdirSync(join(dir, 'vendor'));
    mkdirSync(join(dir, 'tmp'));
    writeFileSync(join(dir, 'app', 'web.yaml'), pod('web'));
    // Broken YAML: if it were read, the scan would report a syntax error.
    writeFileSync(join(dir, 'vendor', 'broken.yaml'), 'a: [\n');
    writeFileSync(join(dir, 'tmp', 'scratch.yaml'), pod('scratch'));
    writeFileSync(join(dir, '.kubeharden.yaml'), 'exclude:\n  - vendor/\n');
    const scan = (...extra: string[]) => {
      const result = runCli(['scan', '.', '-o', 'json', '--fail-on', 'none', ...extra], { cwd: dir });
      const report = JSON.parse(result.stdout) as { errors: unknown[]; findings: { resource: { name: string } }[] };
      return { code: result.code, errors: report.errors.length, names: [...new Set(report.findings.map((finding) => finding.resource.name))].sort() };
    };
    assert.deepEqual(scan(), { code: 0, errors: 0, names: ['scratch', 'web'] });
    // The flag adds to the file's patterns rather than replacing them.
    assert.deepEqual(scan('--exclude', 'tmp/'), { code: 0, errors: 0, names: ['web'] });
  });
});
