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

const MANIFESTS = ['deploy/kubeharden-reader.yaml', 'deploy/kubeharden-agent-rbac.yaml', 'deploy/kubeharden-agent-policyreports.yaml', 'deploy/kubeharden-agent-openreports.yaml', 'deploy/kubeharden-agent.yaml'];
/** Per `reports` value, the report roles (by their suffix) the chart must grant: exactly the kinds in use. */
const REPORT_ROLES: Record<string, string[]> = { policyreport: ['policyreports'], openreports: ['openreports'], both: ['policyreports', 'openreports'], none: [] };
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

  it('the Helm chart, rendered by helm with its defaults, with PostgreSQL and each choice of reports, has no finding and grants exactly the report kinds in use', { skip: typeof helm === 'string' ? false : helm.missing }, (t) => {
    const variants = [[], ['database=postgres://kubeharden@db.example:5432/kubeharden', 'reports=none', 'clusterName=staging'], ['reports=openreports', 'reportScope=namespace'], ['reports=both']];
    for (const values of variants) {
      const docs = render(values);
      const dir = tempDir('chart', t);
      const file = join(dir, 'rendered.yaml');
      writeFileSync(file, docs.map((doc) => yaml.dump(doc)).join('---\n'));
      scanClean([file]);
      const deployment = docs.find((doc) => doc.kind === 'Deployment') as unknown as { spec: { template: { spec: { containers: { args: string[] }[] } } } };
      const args = deployment.spec.template.spec.containers[0]!.args;
      const reports = values.find((value) => value.startsWith('reports='))?.slice('reports='.length) ?? 'policyreport';
      assert.equal(args[args.indexOf('--reports') + 1], reports);
      assert.equal(args[args.indexOf('--report-scope') + 1], values.includes('reportScope=namespace') ? 'namespace' : 'resource');
      assert.equal(args[args.indexOf('--database') + 1], values.some((value) => value.startsWith('database=')) ? 'postgres://kubeharden@db.example:5432/kubeharden' : 'sqlite:/var/lib/kubeharden/history.db');
      const roles = docs.filter((doc) => doc.kind === 'ClusterRole' && doc.metadata.name.startsWith('kh-agent-')).map((doc) => doc.metadata.name.slice('kh-agent-'.length));
      assert.deepEqual(roles, REPORT_ROLES[reports], `reports=${reports}`);
      const bound = docs.filter((doc) => doc.kind === 'ClusterRoleBinding' && doc.metadata.name.startsWith('kh-agent-') && doc.metadata.name !== 'kh-agent-auth-delegator').map((doc) => doc.metadata.name.slice('kh-agent-'.length));
      assert.deepEqual(bound, REPORT_ROLES[reports], `reports=${reports}: each report role bound`);
    }
    assert.throws(() => render(['reports=bad']), /reports must be policyreport, openreports, both or none/);
  });

  it("the chart's roles are the manifests' roles", { skip: typeof helm === 'string' ? false : helm.missing }, () => {
    const shipped = MANIFESTS.flatMap((path) => yaml.loadAll(readFileSync(join(PROJECT_ROOT, path), 'utf8')) as Doc[]);
    const chart = render(['reports=both']);
    const rules = (docs: Doc[], name: string) => docs.find((doc) => doc.kind === 'ClusterRole' && doc.metadata.name === name)?.rules;
    for (const role of ['reader', 'agent', 'agent-policyreports', 'agent-openreports']) {
      assert.ok(rules(shipped, `kubeharden-${role}`) !== undefined, role);
      assert.deepEqual(rules(chart, `kh-${role}`), rules(shipped, `kubeharden-${role}`), role);
    }
  });
});
