/** Report formats, configuration, exceptions and baselines through the real CLI process. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import type { Report } from '../../src/report/report.js';
import { CLI, PROJECT_ROOT } from '../support/paths.js';
import { validateSarif } from '../support/sarif-schema.js';
import { parseXml } from '../support/xml.js';
import { tempDir } from '../support/temp-dir.js';
import { checkJsonOutputs } from '../support/json-outputs.js';

function run(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CI: '1', ...options.env };
  for (const key of Object.keys(env)) if (key.startsWith('KUBEHARDEN_') && !(options.env && key in options.env)) delete env[key];
  const result = spawnSync(CLI, args, { cwd: options.cwd ?? PROJECT_ROOT, encoding: 'utf8', env, input: options.input ?? '' });
  checkJsonOutputs(args, { code: result.status, stdout: result.stdout }, options.cwd ?? PROJECT_ROOT, env);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A throwaway repository holding a copy of the insecure examples. */
function repository(config?: string): string {
  const root = tempDir('repo');
  mkdirSync(join(root, '.git'));
  cpSync(join(PROJECT_ROOT, 'examples', 'insecure'), join(root, 'k8s'), { recursive: true });
  if (config !== undefined) writeFileSync(join(root, '.kubeharden.yaml'), config);
  return root;
}

const report = (stdout: string) => JSON.parse(stdout) as Report;

describe('several formats from one scan', () => {
  it('--output-dir writes every format, each valid', () => {
    const out = join(tempDir('out'), 'reports');
    const result = run(['scan', 'examples/', '--format', 'sarif,junit,html,markdown,policyreport,json,baseline', '--output-dir', out]);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stdout, '');
    for (const name of ['kubeharden.sarif', 'kubeharden.junit.xml', 'kubeharden.html', 'kubeharden.md', 'kubeharden-policyreport.yaml', 'kubeharden.json', 'kubeharden-baseline.json']) {
      assert.ok(existsSync(join(out, name)), name);
      assert.match(result.stderr, new RegExp(`wrote \\w+ report to ${join(out, name).replace(/\./g, '\\.')}`));
    }
    assert.deepEqual(validateSarif(JSON.parse(readFileSync(join(out, 'kubeharden.sarif'), 'utf8'))), []);
    assert.equal(parseXml(readFileSync(join(out, 'kubeharden.junit.xml'), 'utf8')).name, 'testsuites');
    const json = JSON.parse(readFileSync(join(out, 'kubeharden.json'), 'utf8')) as Report;
    const reports = yaml.loadAll(readFileSync(join(out, 'kubeharden-policyreport.yaml'), 'utf8')) as { kind: string }[];
    assert.ok(reports.some((r) => r.kind === 'PolicyReport') && reports.some((r) => r.kind === 'ClusterPolicyReport'));
    assert.match(readFileSync(join(out, 'kubeharden.html'), 'utf8'), /^<!DOCTYPE html>/i);
    assert.match(readFileSync(join(out, 'kubeharden.md'), 'utf8'), /^## ❌ kubeharden/);
    const baseline = JSON.parse(readFileSync(join(out, 'kubeharden-baseline.json'), 'utf8')) as { findings: unknown[] };
    assert.equal(baseline.findings.length, json.summary.open);
  });

  it('FORMAT=PATH beside one format on standard output', () => {
    const dir = tempDir('out');
    const result = run(['scan', 'examples/insecure', '--format', `table,sarif=${join(dir, 'k.sarif')}`, '--format', `junit=${join(dir, 'k.xml')}`]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /Result: FAIL/);
    assert.ok(existsSync(join(dir, 'k.sarif')) && existsSync(join(dir, 'k.xml')));
  });

  it('--output holds the one format without a path', () => {
    const dir = tempDir('out');
    const result = run(['scan', 'examples/insecure', '--format', 'markdown', '--output', join(dir, 'summary.md')]);
    assert.equal(result.code, 1);
    assert.match(readFileSync(join(dir, 'summary.md'), 'utf8'), /### Top findings/);
  });

  const usage: [string, string[], RegExp][] = [
    ['two formats for standard output', ['--format', 'sarif,junit'], /sarif and junit cannot all go to one place: use --output-dir DIR or FORMAT=PATH/],
    ['an unknown format', ['--format', 'sarif,pdf'], /unknown format "pdf"/],
    ['an SBOM format, which has a command of its own', ['--format', 'cyclonedx'], /unknown format "cyclonedx" \(formats: [^)]+\); an SBOM of an image: kubeharden vuln sbom IMAGE$/m],
    ['a format given twice', ['--format', 'json,json=x.json'], /format json is given twice/],
    ['--output and --output-dir', ['--format', 'json', '--output', 'a', '--output-dir', 'b'], /not both/],
    ['an unknown severity', ['--severity', 'urgent'], /"urgent" is not one of/],
    ['a missing baseline', ['--baseline', 'no-such-baseline.json'], /cannot read baseline no-such-baseline\.json/],
    ['an unknown PolicyReport API', ['--policyreport-api', 'v2'], /--policyreport-api must be one of/],
  ];
  for (const [name, args, message] of usage) {
    it(`usage error: ${name}`, () => {
      const result = run(['scan', 'examples/insecure', ...args]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, message);
    });
  }
});

describe('--severity shows less, gates the same', () => {
  it('hides high findings from the report but still exits 1 on them', () => {
    const result = run(['scan', 'examples/insecure', '--severity', 'low,info', '--format', 'json']);
    assert.equal(result.code, 1);
    const json = report(result.stdout);
    assert.ok(json.findings.length > 0);
    assert.ok(json.findings.every((f) => f.severity === 'low' || f.severity === 'info'));
    assert.ok(json.summary.bySeverity.high > 0 && json.summary.failing > 0);
    assert.deepEqual(json.summary.severityFilter, ['low', 'info']);
    assert.equal(json.summary.shown, json.findings.length);
  });

  it('the table counts every open finding and names no resource count of the shown ones alone', () => {
    const all = run(['scan', 'examples/insecure']).stdout;
    const totals = /^(\d+) findings in \d+ resources: (.*)$/m.exec(all);
    assert.ok(totals, all);
    const filtered = run(['scan', 'examples/insecure', '--severity', 'critical']).stdout;
    assert.match(filtered, /Showing critical findings only \(0 of \d+\)/);
    // It said "N findings in 0 resources": every finding counted, but only the resources of the shown ones.
    assert.ok(filtered.split('\n').includes(`${totals[1]} findings: ${totals[2]}`), filtered);
  });
});

describe('baselines', () => {
  it('records today, then gates only on new findings', () => {
    const repo = repository();
    const baselineFile = join(repo, '.kubeharden-baseline.json');
    assert.equal(run(['scan', 'k8s', '--format', 'baseline', '--output', baselineFile], { cwd: repo }).code, 1);
    const accepted = run(['scan', 'k8s', '--baseline', baselineFile, '--format', 'json'], { cwd: repo });
    assert.equal(accepted.code, 0, accepted.stderr);
    const before = report(accepted.stdout);
    assert.equal(before.baseline?.new, 0);
    assert.equal(before.baseline?.unchanged, before.summary.open);
    assert.ok(before.findings.every((f) => f.baseline === 'unchanged'));

    // Lines move and a new privileged pod appears: only the pod counts.
    const shop = readFileSync(join(repo, 'k8s', 'shop.yaml'), 'utf8');
    writeFileSync(join(repo, 'k8s', 'shop.yaml'), `# moved down\n# by comments\n${shop}`);
    writeFileSync(
      join(repo, 'k8s', 'new.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: new, namespace: shop}\nspec:\n  containers:\n  - name: c\n    image: x\n    securityContext: {privileged: true}\n',
    );
    const after = run(['scan', 'k8s', '--baseline', baselineFile, '--format', 'json'], { cwd: repo });
    assert.equal(after.code, 1);
    const json = report(after.stdout);
    // The new pod's own findings, and the namespace it opens to other namespaces: nothing the moved lines did.
    const fresh = json.findings.filter((f) => f.baseline === 'new');
    const causedByNewPod = (f: (typeof fresh)[number]) => f.resource.name === 'new' || (f.about === 'Namespace/shop' && f.message.includes('shop/new'));
    assert.ok(fresh.length > 0 && fresh.every(causedByNewPod), fresh.map((f) => f.resource.name).join());
    assert.equal(json.summary.failing, fresh.filter((f) => f.severity === 'high' || f.severity === 'critical').length);
    const table = run(['scan', 'k8s', '--baseline', baselineFile], { cwd: repo });
    assert.match(table.stdout, /Baseline .*: \d+ new, \d+ unchanged \(not gated\), 0 fixed\./);
    assert.match(table.stdout, /Result: FAIL: 1 new finding at or above high/);
  });

  it('a file that is not a baseline is a usage error', () => {
    const repo = repository();
    writeFileSync(join(repo, 'b.json'), '{"findings": []}');
    const result = run(['scan', 'k8s', '--baseline', 'b.json'], { cwd: repo });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /b\.json is not a kubeharden baseline/);
  });
});

describe('.kubeharden.yaml, KUBEHARDEN_* and flags', () => {
  it('found from a subfolder; flags beat variables, variables beat the file', () => {
    const repo = repository('failOn: none\nformat: json\n');
    const sub = join(repo, 'k8s');
    assert.equal(run(['scan', '.'], { cwd: sub }).code, 0, 'the file says failOn: none');
    assert.equal(report(run(['scan', '.'], { cwd: sub }).stdout).summary.failOn, 'none', 'the file chose json');
    assert.equal(run(['scan', '.'], { cwd: sub, env: { KUBEHARDEN_FAIL_ON: 'high' } }).code, 1, 'variable beats file');
    assert.equal(run(['scan', '.', '--fail-on', 'none'], { cwd: sub, env: { KUBEHARDEN_FAIL_ON: 'high' } }).code, 0, 'flag beats variable');
    assert.equal(run(['scan', '.', '--fail-on', 'high'], { cwd: sub }).code, 1, 'flag beats file');
  });

  it('boolean variables read true and false; anything else is a usage error', () => {
    const skipped = (value: string) => report(run(['scan', 'examples/insecure', '--format', 'json'], { env: { KUBEHARDEN_NAMESPACE_OBJECTS_ELSEWHERE: value } }).stdout).summary.controls.skipped.map((s) => s.id);
    assert.ok(skipped('true').includes('NET-DEFAULT-DENY-INGRESS'));
    assert.ok(!skipped('false').includes('NET-DEFAULT-DENY-INGRESS'));
    const bad = run(['scan', 'examples/insecure'], { env: { KUBEHARDEN_NAMESPACE_OBJECTS_ELSEWHERE: 'maybe' } });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /must be true or false/);
  });

  it('--config names the file; relative paths in it are relative to it', () => {
    const repo = repository();
    mkdirSync(join(repo, 'ci'));
    const config = (glob: string) => `format: [sarif]\noutputDir: ../out\nexceptions:\n  - controls: [POD-NO-PRIVILEGED]\n    file: ${glob}\n    reason: lab\n`;
    const privilegedResults = () => {
      const sarif = JSON.parse(readFileSync(join(repo, 'out', 'kubeharden.sarif'), 'utf8')) as { runs: { results: { ruleId: string; suppressions?: unknown[] }[] }[] };
      return sarif.runs[0]?.results.filter((r) => r.ruleId === 'POD-NO-PRIVILEGED') ?? [];
    };
    // Globs are relative to the configuration file's folder (ci/), so k8s/*.yaml names nothing here…
    writeFileSync(join(repo, 'ci', 'kubeharden.yaml'), config('k8s/*.yaml'));
    assert.equal(run(['scan', 'k8s', '--config', 'ci/kubeharden.yaml'], { cwd: repo }).code, 1);
    assert.equal(privilegedResults()[0]?.suppressions, undefined);
    // …and ../k8s/*.yaml names the manifests.
    writeFileSync(join(repo, 'ci', 'kubeharden.yaml'), config('../k8s/*.yaml'));
    const result = run(['scan', 'k8s', '--config', 'ci/kubeharden.yaml'], { cwd: repo });
    assert.equal(result.code, 1, result.stderr);
    const privileged = privilegedResults();
    assert.equal(privileged.length, 1);
    assert.ok(privileged[0]?.suppressions);
  });

  it('an unknown key stops the scan with file and line (exit 2)', () => {
    const repo = repository('framework: nsa\nfail-on: high\n');
    const result = run(['scan', 'k8s'], { cwd: repo });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /configuration error: \.kubeharden\.yaml:2:1: unknown key "fail-on"/);
  });

  it('settings from the file reach the scan: registries, pod-template paths, framework', () => {
    const repo = repository('framework: all\nallowedRegistry: [registry.example.com]\nformat: json\n');
    const json = report(run(['scan', 'k8s'], { cwd: repo }).stdout);
    assert.equal(json.framework, 'all');
    assert.ok(json.findings.some((f) => f.controlId === 'IMG-TRUSTED-REGISTRY'));
  });
});

describe('exceptions end to end', () => {
  it('suppressed findings stay in the report; expired and unused exceptions are listed; the exit code ignores suppressed ones', () => {
    const repo = repository(`format: json
exceptions:
  - controls: [POD-NO-PRIVILEGED, POD-NO-SENSITIVE-HOSTPATH, POD-NO-HOST-NAMESPACES, POD-NO-DANGEROUS-CAPS]
    reason: lab cluster
    owner: platform
    expires: 2999-12-31
  - controls: [RES-CPU-LIMIT]
    kind: Deployment
    reason: expired long ago
    expires: 2020-01-01
  - controls: ["*"]
    namespace: nowhere
    reason: never used
`);
    const result = run(['scan', 'k8s'], { cwd: repo });
    const json = report(result.stdout);
    const suppressed = json.findings.filter((f) => f.suppression);
    assert.ok(suppressed.length > 0);
    assert.ok(suppressed.every((f) => f.suppression?.reason === 'lab cluster' && f.suppression.owner === 'platform' && f.suppression.source === '.kubeharden.yaml:3'));
    assert.equal(json.summary.suppressed, suppressed.length);
    assert.equal(json.summary.open, json.findings.length - suppressed.length);
    assert.deepEqual(
      json.exceptions.map((e) => [e.source, e.status]),
      [
        ['.kubeharden.yaml:3', 'applied'],
        ['.kubeharden.yaml:7', 'expired'],
        ['.kubeharden.yaml:11', 'unused'],
      ],
    );
    assert.ok(json.findings.some((f) => f.controlId === 'RES-CPU-LIMIT' && f.resource.kind === 'Deployment' && !f.suppression), 'expired: counts again');
    const stillHigh = json.findings.filter((f) => !f.suppression && (f.severity === 'high' || f.severity === 'critical'));
    assert.ok(suppressed.some((f) => f.severity === 'high'), 'high findings were suppressed');
    assert.equal(json.summary.failing, stillHigh.length);
    assert.equal(result.code, stillHigh.length > 0 ? 1 : 0);
  });

  it('kubeharden.io/ignore on the resource; a malformed one is an input error at its line', () => {
    const pod = (annotation: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: ns\n  annotations:\n    kubeharden.io/ignore: "${annotation}"\nspec:\n  containers:\n  - name: c\n    image: x\n    securityContext: {privileged: true}\n`;
    const ok = run(['scan', '-', '--format', 'json', '--fail-on', 'high'], { input: pod('POD-NO-PRIVILEGED: debugging node networking') });
    const json = report(ok.stdout);
    const privileged = json.findings.find((f) => f.controlId === 'POD-NO-PRIVILEGED');
    assert.deepEqual(privileged?.suppression, { kind: 'annotation', reason: 'debugging node networking', source: '<stdin>:7' });
    assert.equal(ok.code, 0);
    assert.deepEqual(json.exceptions.map((e) => [e.kind, e.match, e.status, e.findings]), [['annotation', 'Pod/ns/p', 'applied', 1]]);

    const bad = run(['scan', '-'], { input: pod('POD-NO-PRIVILEGED') });
    assert.equal(bad.code, 2);
    assert.match(bad.stdout, /<stdin>:7:5 {2}kubeharden\.io\/ignore needs a reason/);
  });
});

describe('flags before paths, output destinations and settings sources', () => {
  it('repeatable flags take one value each, so the paths after them stay paths', () => {
    const result = run(['scan', '-o', 'json', '--severity', 'high', '--allowed-registry', 'ghcr.io/acme', 'examples/insecure']);
    assert.equal(result.code, 1, result.stderr);
    const json = report(result.stdout);
    assert.ok(json.findings.length > 0 && json.findings.every((f) => f.severity === 'high'));
    assert.ok(json.summary.controls.run.includes('IMG-TRUSTED-REGISTRY'));
  });

  it('SARIF and PolicyReport keep every finding under --severity (a display filter must not close alerts)', () => {
    const dir = tempDir('out');
    const result = run(['scan', 'examples/insecure', '--severity', 'critical', '--format', `json,sarif=${dir}/k.sarif,policyreport=${dir}/k.yaml`]);
    assert.equal(result.code, 1, result.stderr);
    const total = report(result.stdout).summary.findings;
    const sarif = JSON.parse(readFileSync(join(dir, 'k.sarif'), 'utf8')) as { runs: { results: unknown[] }[] };
    assert.equal(sarif.runs[0]?.results.length, total);
    const reports = yaml.loadAll(readFileSync(join(dir, 'k.yaml'), 'utf8')) as { results?: unknown[] }[];
    assert.equal(reports.reduce((sum, r) => sum + (r.results?.length ?? 0), 0), total);
  });

  it('two reports into one file, or a report over a scanned file, is a usage error', () => {
    const repo = repository();
    const twice = run(['scan', 'k8s', '--format', 'json=out.txt,sarif=./out.txt'], { cwd: repo });
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /json and sarif would both be written to/);
    const input = join('k8s', 'debug-pod.yaml');
    const over = run(['scan', input, '--format', 'json', '--output', input], { cwd: repo });
    assert.equal(over.code, 2);
    assert.match(over.stderr, /would overwrite k8s\/debug-pod\.yaml, which is being scanned/);
    assert.match(readFileSync(join(repo, input), 'utf8'), /kind: Pod/);
  });

  it('a variable set to the empty string counts as unset', () => {
    const result = run(['scan', 'examples/insecure'], { env: { KUBEHARDEN_FORMAT: '', KUBEHARDEN_FAIL_ON: ' ' } });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /Compliance score/);
  });

  it("a --format given now replaces all of the file's output settings", () => {
    const repo = repository('format: [sarif]\noutputDir: reports\n');
    const result = run(['scan', 'k8s', '--format', 'json'], { cwd: repo });
    assert.equal(report(result.stdout).tool.name, 'kubeharden');
    assert.ok(!existsSync(join(repo, 'reports')), 'nothing went to the file’s outputDir');
  });

  it('SARIF paths and fingerprints are relative to the repository root, wherever the scan runs', () => {
    const repo = repository();
    const fromRoot = run(['scan', 'k8s', '--format', 'sarif'], { cwd: repo });
    const fromSub = run(['scan', '.', '--format', 'sarif'], { cwd: join(repo, 'k8s') });
    const fromOutside = run(['scan', join(repo, 'k8s'), '--format', 'sarif'], { cwd: tempDir('elsewhere') });
    const locations = (stdout: string) =>
      (JSON.parse(stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; partialFingerprints: Record<string, string> }[] }[] }).runs[0]?.results.map(
        (r) => [r.locations[0]?.physicalLocation.artifactLocation.uri, r.partialFingerprints['kubeharden/v1']],
      );
    const root = locations(fromRoot.stdout);
    assert.ok(root && root.length > 0 && root.every(([uri]) => uri?.startsWith('k8s/')));
    assert.deepEqual(locations(fromSub.stdout), root);
    // Outside any repository the working folder is the root; the files lie outside it, so their URIs are absolute.
    assert.ok(locations(fromOutside.stdout)?.every(([uri]) => uri?.startsWith('file:///') && !uri.includes('..')));
  });
});

describe('findings about a whole namespace', () => {
  const manifests = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  annotations:
    kubeharden.io/ignore: "NET-DEFAULT-DENY-INGRESS: ingress is filtered by the service mesh"
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data: {a: b}
---
apiVersion: v1
kind: Namespace
metadata: {name: billing}
`;

  it("take the Namespace's annotation, and JUnit counts them skipped, not passed", () => {
    const dir = tempDir('out');
    const result = run(['scan', '-', '--format', `json,junit=${dir}/k.xml`], { input: manifests });
    const json = report(result.stdout);
    const ingress = json.findings.filter((f) => f.controlId === 'NET-DEFAULT-DENY-INGRESS');
    assert.deepEqual(ingress.map((f) => [f.about, f.suppression?.kind ?? 'open']).sort(), [
      ['Namespace/billing', 'open'],
      ['Namespace/shop', 'annotation'],
    ]);
    const junit = parseXml(readFileSync(join(dir, 'k.xml'), 'utf8'));
    const suite = junit.children.find((child) => child.attributes['name']?.startsWith('NET-DEFAULT-DENY-INGRESS'));
    assert.ok(suite, 'a suite for the control');
    assert.deepEqual([suite.attributes['tests'], suite.attributes['failures'], suite.attributes['skipped']], ['2', '1', '1']);
  });

  it('match exceptions as the Namespace', () => {
    const repo = repository(
      'exceptions:\n  - controls: [NET-DEFAULT-DENY-INGRESS, NET-DEFAULT-DENY-EGRESS]\n    kind: Namespace\n    name: billing\n    reason: legacy network\n',
    );
    writeFileSync(join(repo, 'k8s', 'namespaces.yaml'), manifests);
    const json = report(run(['scan', 'k8s', '--format', 'json'], { cwd: repo }).stdout);
    const billing = json.findings.filter((f) => f.about === 'Namespace/billing' && f.controlId.startsWith('NET-DEFAULT-DENY-'));
    assert.equal(billing.length, 2);
    assert.ok(billing.every((f) => f.suppression?.kind === 'exception'));
    assert.ok(json.findings.some((f) => f.about === 'Namespace/billing' && f.controlId === 'RES-LIMITRANGE' && !f.suppression));
  });
});
