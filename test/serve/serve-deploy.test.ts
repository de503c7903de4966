/**
 * The agent's deployment files: the manifests in deploy/ and the Helm chart in deploy/chart/kubeharden (rendered by
 * the real helm), scanned by kubeharden itself with every control: no finding at all. The chart's roles are the
 * manifests' roles, so the two cannot drift apart.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { runCli } from '../support/cli-process.js';
import { goToolBinary } from '../support/go-tool.js';
import { PROJECT_ROOT } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';

const MANIFESTS = ['deploy/kubeharden-reader.yaml', 'deploy/kubeharden-agent-rbac.yaml', 'deploy/kubeharden-agent.yaml'];
const CHART = join(PROJECT_ROOT, 'deploy', 'chart', 'kubeharden');
const helm = goToolBinary('helm');

interface JsonReport {
  summary: { findings: number; open: number };
  findings: { controlId: string; resource: { kind: string; name: string } }[];
}

function scanClean(paths: readonly string[]): JsonReport {
  const result = runCli(['scan', ...paths, '--framework', 'all', '--fail-on', 'info', '--format', 'json'], { timeoutMs: 60_000 });
  const report = JSON.parse(result.stdout) as JsonReport;
  assert.deepEqual(report.findings.filter((finding) => !('suppression' in finding)).map((finding) => `${finding.controlId} ${finding.resource.kind}/${finding.resource.name}`), []);
  assert.equal(result.code, 0, result.stderr);
  return report;
}

type Doc = { kind: string; metadata: { name: string }; rules?: unknown };

function render(values: readonly string[]): Doc[] {
  if (typeof helm !== 'string') throw new Error(helm.missing);
  const rendered = spawnSync(helm, ['template', 'kh', CHART, '--namespace', 'kubeharden', ...values.flatMap((value) => ['--set', value])], { encoding: 'utf8' });
  assert.equal(rendered.status, 0, rendered.stderr);
  return yaml.loadAll(rendered.stdout).filter((doc): doc is Doc => doc !== null);
}

describe('deploy/: the agent as shipped passes its own scan', () => {
  it('the manifests (reader role, agent RBAC, Deployment, Service, NetworkPolicies, PVC, LimitRange, ResourceQuota) have no finding with every control', () => {
    const report = scanClean(MANIFESTS);
    assert.ok(report.summary.findings <= 2, 'only the two accepted metadata-only Secret reads');
  });

  it('the Helm chart, rendered by helm with its defaults and with PostgreSQL and no PolicyReports, has no finding', { skip: typeof helm === 'string' ? false : helm.missing }, (t) => {
    for (const values of [[], ['database=postgres://kubeharden@db.example:5432/kubeharden', 'policyReports=false', 'clusterName=staging']]) {
      const docs = render(values);
      const dir = tempDir('chart', t);
      const file = join(dir, 'rendered.yaml');
      writeFileSync(file, docs.map((doc) => yaml.dump(doc)).join('---\n'));
      scanClean([file]);
      const deployment = docs.find((doc) => doc.kind === 'Deployment') as unknown as { spec: { template: { spec: { containers: { args: string[] }[] } } } };
      const args = deployment.spec.template.spec.containers[0]!.args;
      assert.equal(args.includes('--no-policy-reports'), values.includes('policyReports=false'));
      assert.equal(args[args.indexOf('--database') + 1], values.length > 0 ? 'postgres://kubeharden@db.example:5432/kubeharden' : 'sqlite:/var/lib/kubeharden/history.db');
    }
  });

  it("the chart's roles are the manifests' roles", { skip: typeof helm === 'string' ? false : helm.missing }, () => {
    const shipped = MANIFESTS.flatMap((path) => yaml.loadAll(readFileSync(join(PROJECT_ROOT, path), 'utf8')) as Doc[]);
    const chart = render([]);
    const rules = (docs: Doc[], name: string) => docs.find((doc) => doc.kind === 'ClusterRole' && doc.metadata.name === name)?.rules;
    assert.deepEqual(rules(chart, 'kh-reader'), rules(shipped, 'kubeharden-reader'));
    assert.deepEqual(rules(chart, 'kh-agent'), rules(shipped, 'kubeharden-agent'));
    assert.ok(rules(shipped, 'kubeharden-agent') !== undefined);
  });
});
