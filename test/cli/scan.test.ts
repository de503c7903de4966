/** The CLI end to end: a real process, real files, real exit codes. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CONTROLS } from '../../src/controls/index.js';
import { CONTROL_FIXES } from '../../src/fix/fixes/index.js';
import type { Report } from '../../src/report/report.js';
import { CLI, needsShared, PROJECT_ROOT, sharedPath } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';
import { checkJsonOutputs } from '../support/json-outputs.js';

function run(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '', FORCE_COLOR: '', CI: '1', ...options.env };
  const result = spawnSync(CLI, args, { cwd: PROJECT_ROOT, input: options.input ?? '', encoding: 'utf8', env });
  checkJsonOutputs(args, { code: result.status, stdout: result.stdout }, PROJECT_ROOT, env);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function json(args: string[], input?: string): { code: number | null; report: Report } {
  const result = run([...args, '--format', 'json'], input === undefined ? {} : { input });
  return { code: result.code, report: JSON.parse(result.stdout) as Report };
}

const tmp = tempDir('cli');
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: n\nspec:\n  containers:\n  - name: c\n    image: x\n';

describe('kubeharden scan', () => {
  it('scans the examples: table report, exit 1 on high findings', () => {
    const result = run(['scan', 'examples/']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /Deployment shop\/storefront/);
    assert.match(result.stdout, /HIGH\s+POD-NO-PRIVILEGED\s+examples\/insecure\/shop\.yaml:30:11/);
    assert.match(result.stdout, /Result: FAIL/);
    assert.doesNotMatch(result.stdout, /\u001b\[/, 'no colour when stdout is not a terminal');
    assert.equal(result.stderr, '');
  });

  it('lists the most severe first: resources by their worst finding, findings by severity, then a summary by control', () => {
    const result = run(['scan', 'examples/']);
    const lines = result.stdout.split('\n');
    const rank = (label: string) => ['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].indexOf(label);
    const summaryStart = lines.findIndex((line) => /^Open findings by control \(\d+ controls\):$/.test(line));
    assert.ok(summaryStart > 0, result.stdout);
    // Findings: a resource heading, then its findings as `  SEVERITY  CONTROL  file:line:column`.
    const groups: number[][] = [];
    for (const line of lines.slice(0, summaryStart)) {
      const finding = /^ {2}(CRITICAL|HIGH|MEDIUM|LOW|INFO)\s+[A-Z0-9-]+ {2}examples\//.exec(line);
      if (finding) groups[groups.length - 1]?.push(rank(finding[1] as string));
      else if (/^\S.*  examples\//.test(line)) groups.push([]);
    }
    assert.ok(groups.length >= 3, `${groups.length} resources`);
    for (const group of groups) assert.deepEqual(group, [...group].sort((a, b) => b - a), 'findings of a resource, most severe first');
    const worst = groups.map((group) => group[0] as number);
    assert.deepEqual(worst, [...worst].sort((a, b) => b - a), 'resources ordered by their most severe finding');
    assert.equal(worst[0], rank('HIGH'));
    // The summary: one screen, most severe then most frequent first, and it accounts for every open finding.
    const resultLine = lines.findIndex((line) => line.startsWith('Result: '));
    const rows = lines.slice(summaryStart + 1, lines.indexOf('', summaryStart));
    const entries = rows.filter((row) => !row.startsWith('  … and')).map((row) => {
      const match = /^ {2}(CRITICAL|HIGH|MEDIUM|LOW|INFO)\s+([A-Z0-9-]+)\s+(\d+) findings?\s+in (\d+) resources?\s+\S/.exec(row);
      assert.ok(match, row);
      return { rank: rank(match[1] as string), findings: Number(match[3]), resources: Number(match[4]) };
    });
    assert.equal(entries.length, 20);
    const more = /^ {2}… and (\d+) more controls with (\d+) findings$/.exec(rows[rows.length - 1] ?? '');
    assert.ok(more, rows.join('\n'));
    const total = Number(/^(\d+) findings in/m.exec(result.stdout)?.[1]);
    assert.equal(entries.reduce((sum, entry) => sum + entry.findings, 0) + Number(more[2]), total);
    assert.equal(Number(/\((\d+) controls\)/.exec(lines[summaryStart] ?? '')?.[1]), 20 + Number(more[1]));
    for (let i = 1; i < entries.length; i++) {
      const [a, b] = [entries[i - 1], entries[i]] as [(typeof entries)[0], (typeof entries)[0]];
      assert.ok(a.rank > b.rank || (a.rank === b.rank && a.findings >= b.findings), rows.join('\n'));
    }
    assert.ok(summaryStart < resultLine && resultLine === lines.length - 2, 'the summary comes before the Result line, the last one');
  });

  it('JSON lists findings most severe first, then by file, line and column', () => {
    const { report } = json(['scan', 'examples/']);
    const rank = (severity: string) => ['info', 'low', 'medium', 'high', 'critical'].indexOf(severity);
    for (let i = 1; i < report.findings.length; i++) {
      const [a, b] = [report.findings[i - 1], report.findings[i]] as [Report['findings'][0], Report['findings'][0]];
      // Negative or zero when a may come before b.
      const order = rank(b.severity) - rank(a.severity) || (a.location.file < b.location.file ? -1 : a.location.file > b.location.file ? 1 : 0) || a.location.line - b.location.line || a.location.column - b.location.column;
      assert.ok(order <= 0, `${i}: ${JSON.stringify([a.location, a.severity, b.location, b.severity])}`);
    }
  });

  it('--fail-on none is not gated, never a pass, in the table and the HTML', () => {
    const table = run(['scan', 'examples/', '--fail-on', 'none']);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /\nResult: NOT GATED: \d+ open findings, and --fail-on none lets none of them fail the run; exit code 0\.\n$/);
    const html = run(['scan', 'examples/', '--fail-on', 'none', '--format', 'html']);
    assert.match(html.stdout, /<p class="verdict not-gated" data-testid="verdict" data-status="not-gated">NOT GATED: /);
    assert.doesNotMatch(html.stdout, /PASS/);
  });

  it('colours only when asked: FORCE_COLOR on, --no-color and NO_COLOR win', () => {
    assert.match(run(['scan', 'examples/'], { env: { FORCE_COLOR: '1' } }).stdout, /\u001b\[31m/);
    assert.doesNotMatch(run(['scan', 'examples/', '--no-color'], { env: { FORCE_COLOR: '1' } }).stdout, /\u001b\[/);
    assert.doesNotMatch(run(['scan', 'examples/'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout, /\u001b\[/);
  });

  it('writes the documented JSON report', () => {
    const { code, report } = json(['scan', 'examples/insecure/shop.yaml']);
    assert.equal(code, 1);
    assert.deepEqual(Object.keys(report), ['schemaVersion', 'tool', 'verdict', 'kubernetesVersion', 'framework', 'summary', 'exceptions', 'findings', 'errors']);
    assert.deepEqual((report as Report & { verdict: unknown }).verdict, {
      status: 'fail',
      complete: true,
      exitCode: 1,
      text: `FAIL: ${report.summary.failing} findings at or above high (--fail-on high)`,
    });
    assert.equal(report.tool.name, 'kubeharden');
    assert.equal(report.kubernetesVersion, '1.37');
    assert.equal(report.framework, 'nsa');
    const privileged = report.findings.find((f) => f.controlId === 'POD-NO-PRIVILEGED');
    assert.deepEqual(privileged, {
      controlId: 'POD-NO-PRIVILEGED',
      title: 'Containers must not run privileged',
      severity: 'high',
      pss: { level: 'baseline', check: 'privileged' },
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'storefront' },
      location: { file: 'examples/insecure/shop.yaml', line: 30, column: 11 },
      field: 'spec.template.spec.containers[0].securityContext.privileged',
      message: 'container "web" sets securityContext.privileged: true',
      remediation: 'Remove securityContext.privileged from the container or set it to false; grant single capabilities instead.',
      fingerprint: privileged?.fingerprint,
    });
    assert.match(privileged?.fingerprint ?? '', /^[0-9a-f]{32}$/);
    assert.equal(report.summary.findings, report.findings.length);
    assert.equal(report.summary.failing, report.findings.filter((f) => ['critical', 'high'].includes(f.severity)).length);
  });

  it('passes the hardened example at restricted (exit 0)', () => {
    const { code, report } = json(['scan', 'examples/hardened', '--framework', 'pss-restricted']);
    assert.equal(code, 0);
    assert.equal(report.findings.length, 0);
    assert.equal(report.summary.podTemplates, 2);
  });

  it('reads standard input and keeps Helm template names', () => {
    const helm = `---\n# Source: shop/templates/pod.yaml\n${POD}    securityContext:\n      privileged: true\n`;
    const { report } = json(['scan', '-', '--framework', 'pss-baseline'], helm);
    assert.deepEqual(report.findings.map((f) => f.location), [{ file: '<stdin>', line: 13, column: 7, templateSource: 'shop/templates/pod.yaml' }]);
  });

  it('gates with --fail-on', () => {
    assert.equal(run(['scan', 'examples/', '--fail-on', 'none']).code, 0);
    assert.equal(run(['scan', 'examples/', '--fail-on', 'critical']).code, 0);
    assert.equal(run(['scan', 'examples/', '--fail-on', 'medium']).code, 1);
    assert.equal(run(['scan', 'examples/hardened', '--fail-on', 'info']).code, 0);
  });

  it('judges by --k8s-version (and accepts v1.N, clamps newer versions)', () => {
    const probe = `${POD}    livenessProbe:\n      httpGet:\n        host: 10.0.0.1\n        port: 80\n`;
    const file = join(tmp, 'probe.yaml');
    writeFileSync(file, probe);
    const at = (version: string) => json(['scan', file, '--framework', 'pss-baseline', '--k8s-version', version]).report;
    assert.deepEqual(at('1.33').findings, []);
    assert.equal(at('v1.34').findings[0]?.controlId, 'POD-NO-HOST-PROBES');
    assert.equal(at('1.99').kubernetesVersion, '1.37');
  });

  it('writes the report to --output and says so on stderr', () => {
    const output = join(tmp, 'report.json');
    const result = run(['scan', 'examples/', '--format', 'json', '--output', output]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /wrote json report/);
    assert.ok((JSON.parse(readFileSync(output, 'utf8')) as Report).findings.length > 0);
  });

  it('reports unreadable input with exit 2 and still scans the rest', () => {
    const broken = join(tmp, 'broken.yaml');
    writeFileSync(broken, `${POD}---\nkind: [oops\n`);
    const { code, report } = json(['scan', broken, join(tmp, 'missing.yaml'), 'examples/insecure/shop.yaml', '--fail-on', 'none']);
    assert.equal(code, 2);
    assert.ok(report.findings.some((f) => f.location.file === 'examples/insecure/shop.yaml'));
    assert.ok(report.findings.some((f) => f.location.file === broken));
    // Paths that do not exist are found before reading starts; the syntax error is at the end of the stream.
    assert.deepEqual(report.errors.map((e) => [e.file, e.line, e.message.split(':')[0]]), [
      [join(tmp, 'missing.yaml'), null, 'no such file or directory'],
      [broken, 12, 'YAML syntax error'],
    ]);
  });

  it('a pod template that is not a mapping is an input error at its line: exit 2, and the rest is scanned', () => {
    const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: n}\nspec:\n  template: []\n---\n${POD}`;
    const { code, report } = json(['scan', '-', '--fail-on', 'none'], text);
    assert.equal(code, 2);
    assert.deepEqual(report.errors.map((e) => [e.file, e.line, e.message]), [['<stdin>', 5, 'spec.template is a sequence, not a mapping: no pod control judged this object']]);
    assert.ok(report.findings.some((f) => f.resource.name === 'p'), 'the next document is still judged');
  });

  it('rejects bad usage with exit 2 and a one-line reason', () => {
    const badVersion = run(['scan', 'examples/', '--k8s-version', 'banana']);
    assert.equal(badVersion.code, 2);
    assert.match(badVersion.stderr, /invalid Kubernetes version "banana"/);
    assert.equal(run(['scan', 'examples/', '--framework', 'cis']).code, 2);
    assert.equal(run(['scan']).code, 2);
    assert.equal(run(['frobnicate']).code, 2);
    assert.equal(run(['scan', 'examples/', '--pod-template-path', 'nonsense']).code, 2);
  });

  it('checks custom resources through --pod-template-path', () => {
    const knative = 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: k\nspec:\n  template:\n    spec:\n      hostPID: true\n      containers:\n      - image: x\n';
    const without = json(['scan', '-', '--framework', 'pss-baseline'], knative).report;
    assert.equal(without.findings.length, 0);
    const withPath = json(['scan', '-', '--framework', 'pss-baseline', '--pod-template-path', 'serving.knative.dev/Service=spec.template'], knative).report;
    assert.deepEqual(withPath.findings.map((f) => [f.controlId, f.field, f.location.line]), [['POD-NO-HOST-NAMESPACES', 'spec.template.spec.hostPID', 8]]);
  });

  it('prints --version and --help with exit 0', () => {
    assert.equal(run(['--version']).stdout.trim(), JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')).version);
    const help = run(['scan', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--k8s-version/);
  });

  it('gives --format one default in its help: table, not the empty list that stands for "none given"', () => {
    const help = run(['scan', '--help']).stdout.replace(/\s+/g, ' ');
    const format = help.slice(help.indexOf('-o, --format'), help.indexOf('--output <file>'));
    assert.match(format, /\(default: table, env: KUBEHARDEN_FORMAT\)/);
    assert.equal(format.match(/default:/g)?.length, 1);
  });

  it('shows no "(default: [])" for a repeatable flag in any command\'s help, and the other defaults as before', () => {
    for (const command of [['scan'], ['cluster'], ['node'], ['fix'], ['vuln'], ['vuln', 'sbom'], ['audit', 'detect'], ['export', 'vap'], ['rbac', 'generate'], ['serve']]) {
      const help = run([...command, '--help']);
      assert.equal(help.code, 0, command.join(' '));
      assert.doesNotMatch(help.stdout.replace(/\s+/g, ' '), /default: \[\]/, command.join(' '));
    }
    const scan = run(['scan', '--help']).stdout.replace(/\s+/g, ' ');
    assert.match(scan, /--set <key=value> helm template --set for every chart rendered \(repeatable\) --set-string/);
    assert.match(scan, /"none", default: "high", env: KUBEHARDEN_FAIL_ON\)/);
  });
});

describe('kubeharden controls', () => {
  it('lists the catalog as JSON, filtered by framework', () => {
    const all = JSON.parse(run(['controls', '--format', 'json']).stdout) as { id: string; pss: { level: string } | null }[];
    assert.equal(all.length, CONTROLS.length);
    assert.ok(all.length >= 60);
    const baseline = JSON.parse(run(['controls', '--format', 'json', '--framework', 'pss-baseline']).stdout) as typeof all;
    assert.equal(baseline.length, 12);
    assert.ok(baseline.every((entry) => entry.pss?.level === 'baseline'));
  });

  it('lists the catalog as a table', () => {
    const table = run(['controls']).stdout;
    assert.match(table, /POD-NO-HOST-PROBES\s+medium\s+1\.34\+\s+baseline\/hostProbesAndHostLifecycle/);
    assert.match(table, new RegExp(`${CONTROLS.length} controls`));
    assert.match(table, /CP-APISERVER-ANONYMOUS-AUTH\s+high\s+1\.0\+/);
  });

  it('says per control whether kubeharden fix repairs it, and under which risk class, from the fix registry', () => {
    const all = JSON.parse(run(['controls', '--format', 'json']).stdout) as { id: string; fix: { automatic: boolean; risk: string; does: string } }[];
    const registry = new Map(CONTROL_FIXES.map((fix) => [fix.controlId, fix]));
    for (const entry of all) {
      const fix = registry.get(entry.id);
      assert.equal(entry.fix.automatic, fix !== undefined && fix.risk !== 'manual', entry.id);
      assert.equal(entry.fix.risk, fix?.risk ?? 'manual', entry.id);
      assert.ok(entry.fix.does.length > 0, entry.id);
    }
    assert.ok(all.some((entry) => entry.fix.risk === 'safe') && all.some((entry) => entry.fix.risk === 'review'));
    const table = run(['controls']).stdout;
    assert.match(table, /^ID\s+SEVERITY\s+K8S\s+PSS\s+FIX\s+TITLE/m);
    assert.match(table, /POD-APPARMOR-NOT-UNCONFINED\s+low\s+1\.0\+\s+baseline\/appArmorProfile\s+review\s+AppArmor/);
    assert.match(table, /POD-SECCOMP-REQUIRED\s+medium\s+1\.19\+\s+restricted\/seccompProfile_restricted\s+safe\s/);
    assert.match(table, /POD-NO-PRIVILEGED\s+high\s+1\.0\+\s+baseline\/privileged\s+manual\s/);
  });
});

describe('kubectl plugin', () => {
  it('runs as kubectl-kubeharden (the name kubectl looks for on PATH)', () => {
    const bin = tempDir('bin');
    symlinkSync(CLI, join(bin, 'kubectl-kubeharden'));
    const result = spawnSync('kubectl-kubeharden', ['scan', 'examples/hardened', '--framework', 'pss-restricted'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /No findings/);
    const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.deepEqual(Object.keys(manifest.bin).sort(), ['kubectl-kubeharden', 'kubeharden']);
  });
});

describe('output pipe closed early', { skip: needsShared }, () => {
  it('stops quietly with the scan verdict when the reader goes away (| head)', async () => {
    const child = spawn(CLI, ['scan', sharedPath('corpus', 'real-world'), '--fail-on', 'none'], { cwd: PROJECT_ROOT, env: { ...process.env, CI: '1' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.doesNotMatch(stderr, /Error|at /);
    assert.equal(code, 2, 'the real-world corpus has documents kubectl also rejects (duplicate keys)');
  });
});

describe('compliance scores', () => {
  it('scores the hardened example 100% and the insecure one lower, per section too', () => {
    const hardened = json(['scan', 'examples/hardened']).report;
    assert.equal(hardened.summary.score.overall, 100);
    assert.equal(hardened.summary.score.weighted, 100);
    const insecure = json(['scan', 'examples/insecure']).report;
    assert.ok((insecure.summary.score.overall ?? 100) < 60, `insecure score ${insecure.summary.score.overall}`);
    const privileged = insecure.summary.score.controls.find((c) => c.id === 'POD-NO-PRIVILEGED');
    assert.deepEqual([privileged?.assessed, privileged?.failed, privileged?.score], [3, 1, 66.7]);
    const tls = insecure.summary.score.controls.find((c) => c.id === 'NET-INGRESS-TLS');
    assert.equal(tls?.status, 'not-assessed', 'no Ingress in the input: not assessed, never passed');
    assert.ok(insecure.summary.sections.some((s) => s.section === 'Kubernetes Pod security' && s.score !== null));
  });

  it('prints the score in the table', () => {
    assert.match(run(['scan', 'examples/hardened']).stdout, /Compliance score: 100% \(severity-weighted 100%\)/);
  });
});

describe('kubeharden rbac', { skip: needsShared }, () => {
  it('who-can answers from the Kubernetes default roles, as a table and as JSON', () => {
    const table = run(['rbac', 'who-can', 'get', 'secrets', sharedPath('corpus', 'rbac')]);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /Group system:masters {2}in every namespace {2}via ClusterRoleBinding cluster-admin -> ClusterRole cluster-admin/);
    const parsed = JSON.parse(run(['rbac', 'who-can', 'get', '/healthz', sharedPath('corpus', 'rbac'), '--format', 'json']).stdout) as { grants: { subject: { name: string } }[] };
    assert.ok(parsed.grants.some((grant) => grant.subject.name === 'system:unauthenticated'));
  });

  it('subject lists rules with their chain', () => {
    const result = run(['rbac', 'subject', 'Group', 'system:authenticated', sharedPath('corpus', 'rbac')]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /via ClusterRoleBinding system:basic-user -> ClusterRole system:basic-user\n {4}create on selfsubjectaccessreviews/);
    assert.equal(run(['rbac', 'subject', 'Robot', 'x', sharedPath('corpus', 'rbac')]).code, 2);
    assert.equal(run(['rbac', 'subject', 'ServiceAccount', 'x', sharedPath('corpus', 'rbac')]).code, 2, 'a ServiceAccount needs a namespace');
  });
});

describe('kubeharden rbac who-can on the escalation paths', () => {
  it('answers for a Namespace object (a RoleBinding there grants patch on it) and says cluster-wide for cluster-scoped resources', (t) => {
    const dir = tempDir('who-can', t);
    const role = (name: string, namespace: string | null, rules: string) =>
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${namespace ? 'Role' : 'ClusterRole'}\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}rules:\n${rules}`;
    const bind = (name: string, namespace: string | null, roleKind: string, roleName: string, user: string) =>
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${namespace ? 'RoleBinding' : 'ClusterRoleBinding'}\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ${roleKind}\n  name: ${roleName}\nsubjects:\n- kind: User\n  name: ${user}\n`;
    writeFileSync(
      join(dir, 'rbac.yaml'),
      [
        role('relabel', 'shop', '- apiGroups: [""]\n  resources: ["namespaces"]\n  verbs: ["patch"]\n'),
        bind('relabel', 'shop', 'Role', 'relabel', 'tenant'),
        role('storage', null, '- apiGroups: [""]\n  resources: ["persistentvolumes"]\n  verbs: ["create"]\n'),
        bind('storage', null, 'ClusterRole', 'storage', 'ops'),
        bind('storage-in-shop', 'shop', 'ClusterRole', 'storage', 'tenant'),
      ].join('---\n'),
    );
    const namespaces = run(['rbac', 'who-can', 'patch', 'namespaces', '-n', 'shop', dir]);
    assert.equal(namespaces.code, 0);
    assert.equal(namespaces.stdout, 'Who can patch namespaces in namespace shop:\n  User tenant  in namespace shop  via RoleBinding shop/relabel -> Role relabel\n');
    assert.match(run(['rbac', 'who-can', 'patch', 'namespaces', '-n', 'other', dir]).stdout, /nobody, in the scanned files/);
    // The RoleBinding in shop grants nothing on PersistentVolumes: they are not namespaced.
    assert.equal(run(['rbac', 'who-can', 'create', 'persistentvolumes', dir]).stdout, 'Who can create persistentvolumes:\n  User ops  cluster-wide  via ClusterRoleBinding storage -> ClusterRole storage\n');
  });

  it('--name lets rules limited by resourceNames count, except for a create', (t) => {
    const dir = tempDir('who-can-name', t);
    writeFileSync(
      join(dir, 'rbac.yaml'),
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: own-webhook\nrules:\n- apiGroups: ["admissionregistration.k8s.io"]\n  resources: ["mutatingwebhookconfigurations"]\n  resourceNames: ["injector"]\n  verbs: ["create", "update"]\n---\n' +
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: own-webhook\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: own-webhook\nsubjects:\n- kind: ServiceAccount\n  name: injector\n  namespace: tools\n',
    );
    const resource = 'mutatingwebhookconfigurations.admissionregistration.k8s.io';
    assert.equal(
      run(['rbac', 'who-can', 'update', resource, '--name', 'injector', dir]).stdout,
      `Who can update ${resource} named injector:\n  ServiceAccount tools/injector  cluster-wide  via ClusterRoleBinding own-webhook -> ClusterRole own-webhook\n`,
    );
    assert.match(run(['rbac', 'who-can', 'update', resource, dir]).stdout, /nobody, in the scanned files/);
    assert.match(run(['rbac', 'who-can', 'create', resource, '--name', 'injector', dir]).stdout, /nobody, in the scanned files/);
    const parsed = JSON.parse(run(['rbac', 'who-can', 'update', resource, '--name', 'injector', dir, '--format', 'json']).stdout) as { name: string; grants: unknown[] };
    assert.deepEqual([parsed.name, parsed.grants.length], ['injector', 1]);
    assert.equal(run(['rbac', 'who-can', 'get', '/metrics', '--name', 'x', dir]).code, 2);
  });
});

describe('JSON rendering in chunks', () => {
  it('is byte for byte what JSON.stringify gives, empty arrays included', async () => {
    const { renderJsonChunks } = await import('../../src/report/json.js');
    for (const target of ['examples/', 'examples/hardened']) {
      const { report } = json(['scan', target]);
      const whole = `${JSON.stringify(report, null, 2)}\n`;
      assert.equal([...renderJsonChunks(report, 3)].join(''), whole);
      assert.equal([...renderJsonChunks(report)].join(''), whole);
    }
  });
});
