/**
 * The GitLab CI template: its job's script runs as a GitLab runner runs it (one bash, `set -eo pipefail`, the job's
 * variables in the environment) in a workspace holding the examples, installing kubeharden from a loopback registry
 * that serves the packed checkout; the Code Quality report it declares is written, one issue per open finding,
 * with the fields GitLab reads, and the job fails on the insecure example.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import yaml from 'js-yaml';
import { PROJECT_ROOT } from '../support/paths.js';
import { startLocalRegistry, type LocalRegistry } from '../support/npm-registry.js';
import { tempDir } from '../support/temp-dir.js';

interface Job {
  readonly stage: string;
  readonly image: string;
  readonly variables: Record<string, string>;
  readonly script: string[];
  readonly artifacts: { when: string; paths: string[]; reports: { codequality: string; junit: string } };
}

const TEMPLATE = yaml.load(readFileSync(join(PROJECT_ROOT, 'ci', 'gitlab', 'kubeharden.gitlab-ci.yml'), 'utf8')) as { kubeharden: Job };
const JOB = TEMPLATE.kubeharden;
const dir = tempDir('gitlab');
let registry: LocalRegistry | { missing: string };

describe('the GitLab CI template', () => {
  before(async () => {
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--json'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    registry = await startLocalRegistry(join(dir, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename));
  });
  after(async () => {
    if ('url' in registry) await registry.close();
  });

  it('the job runs, fails on the insecure example and writes the Code Quality and JUnit reports it declares', async (t) => {
    if (!('url' in registry)) return t.skip(registry.missing);
    assert.deepEqual([JOB.stage, JOB.artifacts.when], ['test', 'always']);
    assert.match(JOB.image, /^node:20/);
    const workspace = join(dir, 'workspace');
    cpSync(join(PROJECT_ROOT, 'examples'), workspace, { recursive: true });
    const prefix = join(dir, 'prefix');
    const version = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', JOB.script.join('\n')], {
        cwd: workspace,
        env: {
          ...process.env,
          ...JOB.variables,
          KUBEHARDEN_PATHS: 'insecure/ hardened/',
          KUBEHARDEN_VERSION: version,
          // The runner's npm: the image's global prefix is here a folder of the test's, the registry the loopback one.
          npm_config_prefix: prefix,
          PATH: `${join(prefix, 'bin')}:${process.env['PATH'] ?? ''}`,
          npm_config_registry: (registry as LocalRegistry).url,
          npm_config_cache: join(dir, 'npm-cache'),
          ...(registry as LocalRegistry).env,
          NO_COLOR: '1',
        },
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('close', (code) => resolve({ code, output }));
    });
    assert.equal(result.code, 1, result.output);
    assert.doesNotMatch(result.output, /better-sqlite3@\S+ \(install:/, 'the native dependency was built');
    const report = JSON.parse(readFileSync(join(workspace, 'kubeharden-report', 'kubeharden.json'), 'utf8')) as { verdict: { status: string }; summary: { open: number } };
    assert.equal(report.verdict.status, 'fail');
    const issues = JSON.parse(readFileSync(join(workspace, JOB.artifacts.reports.codequality), 'utf8')) as {
      type: string; check_name: string; description: string; severity: string; fingerprint: string; location: { path: string; lines: { begin: number } };
    }[];
    assert.equal(issues.length, report.summary.open);
    for (const issue of issues) {
      assert.equal(issue.type, 'issue');
      assert.ok(['info', 'minor', 'major', 'critical', 'blocker'].includes(issue.severity), issue.severity);
      assert.match(issue.fingerprint, /^[0-9a-f]{32}$/);
      assert.ok(issue.location.lines.begin >= 1 && issue.location.path.startsWith('insecure/'), JSON.stringify(issue.location));
    }
    assert.ok(issues.some((issue) => issue.check_name === 'POD-NO-PRIVILEGED' && issue.severity === 'critical' && issue.location.path === 'insecure/shop.yaml' && issue.location.lines.begin === 30));
    assert.match(readFileSync(join(workspace, JOB.artifacts.reports.junit), 'utf8'), /^<\?xml/);
    assert.deepEqual(JOB.artifacts.paths, ['kubeharden-report/']);
  });
});
