/** `kubeharden psa plan` end to end, every format, through the compiled CLI. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { runCli } from '../support/cli-process.js';
import { tempDir } from '../support/temp-dir.js';

const P = 'pod-security.kubernetes.io/';

// shop enforces restricted, but its api Deployment does not set runAsNonRoot; calm is already as planned;
// tools has no Namespace object and a hostNetwork Pod.
const MANIFESTS = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    ${P}enforce: restricted
---
apiVersion: v1
kind: Namespace
metadata:
  name: calm
  labels:
    ${P}enforce: restricted
    ${P}enforce-version: v1.37
    ${P}warn: restricted
    ${P}warn-version: v1.37
    ${P}audit: restricted
    ${P}audit-version: v1.37
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      securityContext:
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: api
          image: api:1
          securityContext:
            allowPrivilegeEscalation: false
            capabilities: {drop: [ALL]}
---
apiVersion: v1
kind: Pod
metadata:
  name: quiet
  namespace: calm
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: quiet
      image: quiet:1
      securityContext:
        allowPrivilegeEscalation: false
        capabilities: {drop: [ALL]}
---
apiVersion: v1
kind: Pod
metadata:
  name: sniffer
  namespace: tools
spec:
  hostNetwork: true
  containers:
    - name: sniffer
      image: sniffer:1
`;

const plan = (...args: string[]) => runCli(['psa', 'plan', '-', ...args], { input: MANIFESTS });

describe('kubeharden psa plan', () => {
  it('table: every namespace with the level it passes, its status and the labels to set; exit 1 when a label is stronger', () => {
    const result = plan();
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stderr, '');
    const lines = result.stdout.split('\n');
    assert.equal(lines[0], 'Pod Security rollout plan for Kubernetes 1.37 (every *-version label: v1.37)');
    assert.deepEqual(lines.slice(2, 6).map((line) => line.split(/\s{2,}/)), [
      ['NAMESPACE', 'WORKLOADS', 'PASSES', 'CURRENT', 'STATUS', 'SET'],
      ['calm', '1', 'restricted', 'restricted:v1.37', 'matches', 'enforce=restricted warn=restricted audit=restricted'],
      ['shop', '1', 'baseline', 'restricted:latest', 'stronger', 'enforce=baseline warn=restricted audit=restricted'],
      ['tools', '1', 'privileged', '(no Namespace object)', 'missing', 'enforce=privileged warn=baseline audit=baseline'],
    ]);
    assert.match(result.stdout, /\n {2}shop: 1 of 1 workload fail restricted\n {4}Deployment api {2}<stdin>:35:11\n {6}POD-RUN-AS-NON-ROOT {2}\(runAsNonRoot\) {2}spec\.template\.spec\.containers\[0\]\.securityContext\.runAsNonRoot\n/);
    assert.match(result.stdout, /\n {2}tools: 1 of 1 workload fail baseline\n {4}Pod sniffer {2}<stdin>:\d+:\d+\n {6}POD-NO-HOST-NAMESPACES {2}\(hostNamespaces\) {2}spec\.hostNetwork\n/);
    assert.match(result.stdout, /Rejected by the current enforce label:\n {2}shop \(restricted:latest\): Deployment api\n/);
    assert.match(result.stdout, /3 namespaces pass: 1 restricted, 1 baseline, 1 privileged; current enforce labels: 1 missing, 0 weaker, 1 stronger than passes, 1 matching\.\n/);
    assert.match(result.stdout, /Result: 1 namespace enforces more than its workloads pass \(shop\); exit code 1\.\n$/);
  });

  it('json: the plan as data, with the exit code', () => {
    const result = plan('-o', 'json');
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout) as {
      kubernetesVersion: string;
      versionLabel: string;
      source: string;
      namespaces: { name: string; passes: string; status: string; labels: Record<string, string>; changes: Record<string, string>; blocking: { name: string; violations: { controlId: string; field: string; line: number }[] }[]; rejectedByCurrent: { name: string }[] }[];
      summary: unknown;
      exitCode: number;
    };
    assert.deepEqual([report.kubernetesVersion, report.versionLabel, report.source, report.exitCode], ['1.37', 'v1.37', 'manifests', 1]);
    assert.deepEqual(report.namespaces.map((n) => [n.name, n.passes, n.status, Object.keys(n.changes).length]), [
      ['calm', 'restricted', 'matches', 0],
      ['shop', 'baseline', 'stronger', 6],
      ['tools', 'privileged', 'missing', 6],
    ]);
    const shop = report.namespaces[1];
    assert.deepEqual(shop?.blocking.map((w) => [w.name, w.violations.map((v) => [v.controlId, v.field, v.line])]), [
      ['api', [['POD-RUN-AS-NON-ROOT', 'spec.template.spec.containers[0].securityContext.runAsNonRoot', 35]]],
    ]);
    assert.deepEqual(shop?.rejectedByCurrent.map((w) => w.name), ['api']);
    assert.deepEqual(report.summary, { namespaces: 3, passes: { privileged: 1, baseline: 1, restricted: 1 }, status: { missing: 1, weaker: 0, stronger: 1, matches: 1 } });
  });

  it('markdown: a table of namespaces and one of what blocks each next level', () => {
    const result = plan('--format', 'markdown');
    assert.equal(result.code, 1);
    assert.ok(result.stdout.startsWith('## Pod Security rollout plan for Kubernetes 1.37\n'));
    assert.ok(result.stdout.includes('| shop | 1 | baseline | restricted:latest | stronger | `enforce=baseline warn=restricted audit=restricted` |\n'));
    assert.ok(result.stdout.includes('### shop: what fails restricted\n'));
    assert.ok(result.stdout.includes('| Deployment api `<stdin>:35:11` | POD-RUN-AS-NON-ROOT | runAsNonRoot | `spec.template.spec.containers[0].securityContext.runAsNonRoot` |'));
  });

  it('yaml: one Namespace object per namespace, with only the labels to set', () => {
    const result = plan('-o', 'yaml', '-k', '1.36');
    assert.equal(result.code, 1);
    const documents = yaml.loadAll(result.stdout) as { apiVersion: string; kind: string; metadata: { name: string; labels: Record<string, string> } }[];
    assert.deepEqual(documents.map((d) => [d.apiVersion, d.kind, d.metadata.name, Object.keys(d.metadata).length]), [
      ['v1', 'Namespace', 'calm', 2],
      ['v1', 'Namespace', 'shop', 2],
      ['v1', 'Namespace', 'tools', 2],
    ]);
    assert.deepEqual(documents[1]?.metadata.labels, {
      [`${P}enforce`]: 'baseline',
      [`${P}enforce-version`]: 'v1.36',
      [`${P}warn`]: 'restricted',
      [`${P}warn-version`]: 'v1.36',
      [`${P}audit`]: 'restricted',
      [`${P}audit-version`]: 'v1.36',
    });
    assert.match(result.stdout, /^---\n# calm: 1 workload passes restricted at Kubernetes 1\.36; current labels: /);
  });

  it('kubectl: one kubectl label --overwrite per namespace that needs a change', () => {
    const result = plan('-o', 'kubectl');
    assert.equal(result.code, 1);
    assert.deepEqual(result.stdout.split('\n'), [
      '# calm: labels already as planned (restricted)',
      '# shop: passes baseline; current labels: stronger',
      `kubectl label --overwrite namespace shop ${P}enforce=baseline ${P}enforce-version=v1.37 ${P}warn=restricted ${P}warn-version=v1.37 ${P}audit=restricted ${P}audit-version=v1.37`,
      '# tools: passes privileged; current labels: missing',
      `kubectl label --overwrite namespace tools ${P}enforce=privileged ${P}enforce-version=v1.37 ${P}warn=baseline ${P}warn-version=v1.37 ${P}audit=baseline ${P}audit-version=v1.37`,
      '',
    ]);
  });

  it('exit 0 when no current label is stronger than passes', () => {
    const result = runCli(['psa', 'plan', '-'], { input: MANIFESTS.replace(`    ${P}enforce: restricted\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: calm`, `    ${P}enforce: baseline\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: calm`) });
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /\nshop +1 +baseline +baseline:latest +matches +/);
  });

  it('exit 2 for usage errors and unreadable input (after the plan of the rest)', () => {
    const cases: [string[], RegExp][] = [
      [['psa', 'plan'], /give manifest paths \(or - for standard input\), or --cluster/],
      [['psa', 'plan', 'examples', '--cluster'], /--cluster reads the live cluster: give no paths/],
      [['psa', 'plan', 'examples', '-o', 'xml'], /argument 'xml' is invalid/],
      [['psa', 'plan', 'examples', '-k', '2.1'], /invalid Kubernetes version "2\.1"/],
    ];
    for (const [args, message] of cases) {
      const result = runCli(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, message);
    }
    const missing = runCli(['psa', 'plan', 'examples', 'no-such-dir']);
    assert.equal(missing.code, 2);
    assert.match(missing.stdout, /\nerror: no-such-dir: .*\nResult: INCOMPLETE: some input could not be read/);
    assert.match(missing.stdout, /\nshop-hardened +2 +restricted +restricted:latest +matches +/);
  });

  it('-n and --exclude-namespaces choose namespaces in manifests too', () => {
    const only = JSON.parse(plan('-o', 'json', '-n', 'shop').stdout) as { namespaces: { name: string }[] };
    assert.deepEqual(only.namespaces.map((n) => n.name), ['shop']);
    const without = plan('-o', 'json', '--exclude-namespaces', 'shop,calm');
    assert.equal(without.code, 0);
    assert.deepEqual((JSON.parse(without.stdout) as { namespaces: { name: string }[] }).namespaces.map((n) => n.name), ['tools']);
  });

  it('one namespace: "1 namespace passes", in the singular', () => {
    const one = plan('-n', 'tools');
    assert.match(one.stdout, /\n1 namespace passes: 0 restricted, 0 baseline, 1 privileged; current enforce labels: 1 missing, /);
  });

  it('--output writes the plan to a file', (t) => {
    const dir = tempDir('psa-plan-output', t);
    const file = join(dir, 'plan.json');
    const result = plan('-o', 'json', '--output', file);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { namespaces: unknown[] }).namespaces.length, 3);
  });

  it('a hostile namespace name gets no kubectl command, and stays one YAML value and one terminal line', () => {
    const name = "x'; rm -rf / #\u001b[2J";
    const input = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: ${JSON.stringify(name)}\nspec:\n  hostNetwork: true\n  containers: [{name: c, image: c}]\n`;
    const kubectl = runCli(['psa', 'plan', '-', '-o', 'kubectl'], { input });
    assert.equal(kubectl.stdout, '# "x\'; rm -rf / #\\u001b[2J" is not a valid namespace name (an RFC 1123 label): no command\n');
    const documents = yaml.loadAll(runCli(['psa', 'plan', '-', '-o', 'yaml'], { input }).stdout) as { metadata: { name: string } }[];
    assert.deepEqual(documents.map((d) => d.metadata.name), [name]);
    const table = runCli(['psa', 'plan', '-'], { input }).stdout;
    assert.ok(!table.includes('\u001b'));
    assert.ok(table.includes("x'; rm -rf / #\\x1b[2J"));
  });
});
