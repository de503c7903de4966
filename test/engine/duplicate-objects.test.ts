/**
 * Objects the API server could not hold together (same group, kind, namespace and name) are judged, but each repeat
 * is a warning that names both places: on stderr and in the JSON report's `warnings`, without changing the exit code.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DuplicateObjects } from '../../src/engine/duplicates.js';
import type { FieldPath } from '../../src/vocabulary/field-path.js';
import type { LoadedResource } from '../../src/loader/source.js';
import type { Report } from '../../src/report/report.js';
import { CLI, PROJECT_ROOT } from '../support/paths.js';

function scan(args: readonly string[]) {
  const result = spawnSync(CLI, ['scan', ...args, '--format', 'json', '--fail-on', 'none'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return { report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
}

const object = (apiVersion: string, kind: string, name: string, namespace?: string) =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n${namespace === undefined ? '' : `  namespace: ${namespace}\n`}`;

describe('objects defined twice', () => {
  it('warn at the second with the first, for the same group, kind, namespace and name only', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeharden-duplicates-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const first = join(dir, 'a.yaml');
    const second = join(dir, 'b.yaml');
    writeFileSync(first, '# the app\n' + [object('apps/v1', 'Deployment', 'web', 'shop'), object('v1', 'ConfigMap', 'settings'), object('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader')].join('---\n'));
    writeFileSync(
      second,
      [
        object('v1', 'Service', 'other', 'shop'),
        object('apps/v1beta2', 'Deployment', 'web', 'shop'), // same group, other version: the same object
        object('example.com/v1', 'Deployment', 'web', 'shop'), // another group: another object
        object('apps/v1', 'Deployment', 'web', 'other'), // another namespace
        object('v1', 'ConfigMap', 'settings', 'default'), // no namespace means default
        object('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader', 'ignored'), // cluster-scoped: no namespace
      ].join('---\n'),
    );
    const { report, stderr } = scan([first, second]);
    assert.deepEqual(
      report.warnings?.map((warning) => [warning.line, warning.message.replace(/ is also defined in (\S+):(\d+):.*/, ' $2')]),
      [
        // The first is named at the line where it starts, the repeat at its name.
        [10, 'apps/Deployment shop/web 2'],
        [28, 'ConfigMap default/settings 8'],
        [34, 'rbac.authorization.k8s.io/ClusterRole reader 13'],
      ],
    );
    assert.ok(report.warnings?.every((warning) => warning.file === second && warning.message.includes(`${first}:`)));
    assert.match(stderr, new RegExp(`warning: ${second}:10:3: apps/Deployment shop/web is also defined in ${first}:2: the API server would keep only one`));
    assert.deepEqual(report.errors, []);
  });

  it('the examples keep the two shops apart: no warning, and every insecure finding is still there', () => {
    const all = scan(['examples/']);
    assert.equal(all.report.warnings, undefined, all.stderr);
    const insecure = scan(['examples/insecure']).report.findings.length;
    const hardened = scan(['examples/hardened']).report.findings.length;
    assert.equal(all.report.findings.length, insecure + hardened);
  });
});

describe('objects defined twice, rendered', () => {
  /** A rendered object whose positions are traced (into a template or base file): each call is noted. */
  const rendered = (name: string, file: string, asked: string[]): LoadedResource => ({
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } },
    prefix: [],
    document: {
      file,
      position: (path: FieldPath) => {
        asked.push(`${file} ${path.join('.')}`);
        return { line: file === 'base.yaml' ? 7 : 3, column: 3 };
      },
      templateSource: () => undefined,
      renderedFrom: () => 'Kustomize overlay shop',
    },
  });

  it('traces the first place of a rendered object only when it repeats, to the same line', () => {
    const asked: string[] = [];
    const duplicates = new DuplicateObjects();
    duplicates.add(rendered('settings', 'base.yaml', asked));
    duplicates.add(rendered('other', 'base.yaml', asked));
    assert.deepEqual(asked, [], 'an object seen once is not traced');
    duplicates.add(rendered('settings', 'patch.yaml', asked));
    assert.deepEqual(asked, ['patch.yaml metadata.name', 'base.yaml metadata.name']);
    assert.deepEqual(duplicates.result(), [
      { file: 'patch.yaml', line: 3, column: 3, message: 'ConfigMap default/settings is also defined in base.yaml:7: the API server would keep only one of them, yet both are judged' },
    ]);
  });
});
