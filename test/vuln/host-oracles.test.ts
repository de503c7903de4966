/**
 * The machine's own package databases against the tools that own them: /var/lib/dpkg/status as dpkg-query reads it
 * (every installed package with its source package and source version, as dpkg computes them), and every Python
 * distribution importlib.metadata finds (name and version from the same METADATA/PKG-INFO files). Under CI the
 * tools must be there; elsewhere a machine without them skips with the reason.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseDpkgStatus } from '../../src/vuln/packages/dpkg.js';
import { normalizePythonName, parsePythonMetadata } from '../../src/vuln/packages/python.js';

function runs(command: string, args: string[]): boolean {
  return spawnSync(command, args, { encoding: 'utf8' }).status === 0;
}

const dpkgMissing = process.env['CI'] || (runs('dpkg-query', ['--version']) && existsSync('/var/lib/dpkg/status')) ? false : 'dpkg-query and /var/lib/dpkg/status are not on this machine (a Debian or Ubuntu host has them)';
const pythonMissing = process.env['CI'] || runs('python3', ['--version']) ? false : 'python3 is not on PATH (install Python 3 to compare with importlib.metadata)';

function sorted(rows: string[]): string[] {
  return [...rows].sort();
}

describe('the machine’s package databases, against their own tools', () => {
  it('dpkg: the installed packages, source names and source versions dpkg-query gives', { skip: dpkgMissing }, () => {
    const query = spawnSync('dpkg-query', ['-W', '-f', '${db:Status-Status}\\t${Package}\\t${Version}\\t${source:Package}\\t${source:Version}\\n'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(query.status, 0, query.stderr);
    const expected = query.stdout
      .split('\n')
      .filter((line) => line.startsWith('installed\t'))
      .map((line) => line.split('\t').slice(1).join(' '));
    const ours = parseDpkgStatus(readFileSync('/var/lib/dpkg/status', 'utf8')).map((entry) => `${entry.name} ${entry.version} ${entry.sourceName} ${entry.sourceVersion}`);
    assert.ok(expected.length > 10, `only ${expected.length} installed packages`);
    assert.deepEqual(sorted(ours), sorted(expected));
  });

  it('Python: every distribution importlib.metadata finds, from its METADATA or PKG-INFO', { skip: pythonMissing }, () => {
    const script = 'import importlib.metadata as m, json\nprint(json.dumps([[d.metadata["Name"], d.version, str(d._path)] for d in m.distributions()]))';
    const listed = spawnSync('python3', ['-c', script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(listed.status, 0, listed.stderr);
    const distributions = JSON.parse(listed.stdout) as [string, string, string][];
    assert.ok(distributions.length > 0);
    const expected: string[] = [];
    const ours: string[] = [];
    for (const [name, version, path] of distributions) {
      expected.push(`${normalizePythonName(name)} ${version}`);
      const file = statSync(path).isDirectory() ? (existsSync(join(path, 'METADATA')) ? join(path, 'METADATA') : join(path, 'PKG-INFO')) : path;
      const found = parsePythonMetadata(readFileSync(file, 'utf8'));
      ours.push(found ? `${normalizePythonName(found.name)} ${found.version}` : `(nothing read from ${file})`);
    }
    assert.deepEqual(sorted(ours), sorted(expected));
  });
});
