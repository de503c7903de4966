/** `kubeharden audit explain | lint | estimate | recommend` end to end, through the built CLI. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import type { Report } from '../../src/report/report.js';
import { CLI, PROJECT_ROOT, needsShared, sharedPath } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';
import { checkJsonOutputs } from '../support/json-outputs.js';

function kubeharden(args: readonly string[], input?: string) {
  const result = spawnSync(CLI, args, { cwd: PROJECT_ROOT, encoding: 'utf8', input, env: { ...process.env, NO_COLOR: '1', CI: '1' } });
  checkJsonOutputs(args, { code: result.status, stdout: result.stdout }, PROJECT_ROOT, process.env);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const dir = tempDir('audit');
function file(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const header = 'apiVersion: audit.k8s.io/v1\nkind: Policy\n';
const everything = file('everything.yaml', `${header}rules:\n- level: RequestResponse\n`);
const tuned = file('tuned.yaml', `${header}omitStages: ["RequestReceived"]\nrules:\n- level: None\n  nonResourceURLs: ["/healthz*"]\n- level: Metadata\n  resources:\n  - group: ""\n    resources: ["secrets"]\n- level: Request\n  verbs: ["create"]\n- level: Metadata\n`);

describe('kubeharden audit recommend', () => {
  it('prints a policy that loads and that lint finds nothing wrong with', () => {
    const recommended = kubeharden(['audit', 'recommend']);
    assert.equal(recommended.code, 0, recommended.stderr);
    assert.match(recommended.stdout, /^# Audit policy recommended by kubeharden/);
    const path = file('recommended.yaml', recommended.stdout);
    const lint = kubeharden(['audit', 'lint', path, '--format', 'json', '--fail-on', 'info']);
    assert.equal(lint.code, 0, lint.stdout);
    const report = JSON.parse(lint.stdout) as Report;
    assert.deepEqual(report.findings, []);
    assert.ok(report.summary.controls.run.includes('AUDIT-POLICY-BLIND-DETECTION'));
  });
});

describe('kubeharden audit explain', () => {
  it('names the deciding rule with its line, and the rules above that did not match', () => {
    const result = kubeharden(['audit', 'explain', tuned, '--user', 'alice', '--group', 'system:authenticated', '--verb', 'get', '--resource', 'secrets', '-n', 'shop', '--name', 'db']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Request: {2}alice \(groups system:authenticated\): get secrets db in shop/);
    assert.match(result.stdout, new RegExp(`Decided:  rule 2 \\(${tuned.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:7\\): level Metadata`));
    assert.match(result.stdout, /Stages: {3}ResponseStarted, ResponseComplete, Panic \(omitted: RequestReceived\)/);
    assert.match(result.stdout, /rule 1 \(line 5, None\): is about non-resource URLs, and this is a resource request/);
  });

  it('explains non-resource URLs and requests without a user, as JSON', () => {
    const result = kubeharden(['audit', 'explain', tuned, '--path', '/healthz/etcd', '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const answer = JSON.parse(result.stdout) as { level: string; rule: { number: number; line: number } };
    assert.equal(answer.level, 'None');
    assert.deepEqual(answer.rule, { index: 0, number: 1, line: 5 });
  });

  it('rejects an invalid policy with its file and line, and bad usage, with exit 2', () => {
    const broken = file('broken.yaml', `${header}rules:\n- level: Loud\n`);
    const result = kubeharden(['audit', 'explain', broken, '--resource', 'pods']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, new RegExp(`broken.yaml:4:3: rules\\[0\\]\\.level: level "Loud" is not one of`));
    assert.equal(kubeharden(['audit', 'explain', tuned]).code, 2, 'neither --resource nor --path');
    assert.equal(kubeharden(['audit', 'explain', tuned, '--resource', 'pods', '--path', '/x']).code, 2);
  });
});

describe('kubeharden audit lint', () => {
  it('reports Appendix L-style problems at their lines, mapped to the NSA section, in every format', () => {
    const result = kubeharden(['audit', 'lint', everything, '--format', 'json']);
    assert.equal(result.code, 1, 'high-severity findings fail the default gate');
    const report = JSON.parse(result.stdout) as Report;
    const ids = new Set(report.findings.map((finding) => finding.controlId));
    for (const id of ['AUDIT-POLICY-SENSITIVE-BODIES', 'AUDIT-POLICY-REQUEST-RECEIVED', 'AUDIT-POLICY-READ-RESPONSES']) assert.ok(ids.has(id), id);
    const sensitive = report.findings.find((finding) => finding.controlId === 'AUDIT-POLICY-SENSITIVE-BODIES');
    assert.equal(sensitive?.location.line, 4);
    assert.equal(sensitive?.resource.kind, 'Policy');
    const sarif = kubeharden(['audit', 'lint', everything, '--format', 'sarif']);
    const rules = (JSON.parse(sarif.stdout) as { runs: { tool: { driver: { rules: { id: string; properties?: Record<string, unknown> }[] } } }[] }).runs[0]?.tool.driver.rules ?? [];
    assert.ok(rules.some((rule) => rule.id === 'AUDIT-POLICY-SENSITIVE-BODIES'), 'SARIF describes the lint rules');
    const junit = kubeharden(['audit', 'lint', everything, '--format', 'junit']);
    assert.match(junit.stdout, /classname="kubeharden.AUDIT-POLICY-SENSITIVE-BODIES"/);
  });

  it('checks the log backend flags from a flags file, at their lines', () => {
    const flags = file('apiserver.flags', '# kube-apiserver flags\n--audit-policy-file=/etc/kubernetes/audit.yaml\n--audit-log-path=/var/log/audit.log\n--audit-log-maxage=7\n');
    const result = kubeharden(['audit', 'lint', tuned, '--apiserver-flags', flags, '--format', 'json', '--fail-on', 'none']);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as Report;
    const retention = report.findings.filter((finding) => finding.controlId === 'AUD-APISERVER-AUDIT-LOG-RETENTION');
    assert.deepEqual(retention.map((finding) => [finding.location.line, finding.field]), [[4, '--audit-log-maxage'], [4, '--audit-log-maxbackup']]);
  });

  it('--apiserver-flags: a pod labelled kube-apiserver whose command runs kube-scheduler is no API server', () => {
    const manifest = file(
      'mislabelled.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  labels: {component: kube-apiserver}\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-scheduler:v1.37.2\n    command: [kube-scheduler, --audit-log-path=/var/log/audit.log]\n',
    );
    const result = kubeharden(['audit', 'lint', tuned, '--apiserver-flags', manifest, '--format', 'json', '--fail-on', 'none']);
    assert.equal(result.code, 2, result.stderr);
    const report = JSON.parse(result.stdout) as Report;
    assert.deepEqual(report.errors.map((error) => error.message), ['no kube-apiserver static Pod in this manifest (a Pod whose container runs kube-apiserver)']);
    assert.ok(!report.findings.some((finding) => finding.controlId.startsWith('AUD-APISERVER-')), 'the scheduler\'s flags are not judged as the API server\'s');
  });

  it('keeps going past a broken policy and exits 2', () => {
    const broken = file('broken2.yaml', `${header}rules:\n- level: Metadata\n  nonResourceURLs: ["healthz"]\n`);
    const result = kubeharden(['audit', 'lint', broken, everything, '--format', 'json']);
    assert.equal(result.code, 2);
    const report = JSON.parse(result.stdout) as Report;
    assert.equal(report.errors[0]?.line, 5);
    assert.ok(report.findings.some((finding) => finding.location.file === everything));
  });

  it('lints the corpus policies', { skip: needsShared }, () => {
    const appendixL = sharedPath('corpus', 'audit-policies', 'nsa-cisa-hardening-guide-appendix-l-policy.yaml');
    const result = kubeharden(['audit', 'lint', appendixL, sharedPath('corpus', 'audit-policies', 'kubernetes-website-example-audit-policy.yaml'), '--format', 'json']);
    const report = JSON.parse(result.stdout) as Report;
    assert.deepEqual(report.errors, []);
    const forL = report.findings.filter((finding) => finding.location.file === appendixL).map((finding) => finding.controlId);
    assert.ok(forL.includes('AUDIT-POLICY-SENSITIVE-BODIES'));
    assert.ok(!forL.includes('AUDIT-POLICY-EXEC'), 'Appendix L logs everything, exec included');
  });
});

describe('kubeharden audit estimate', () => {
  const events = [
    { kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'RequestResponse', auditID: 'a', stage: 'RequestReceived', verb: 'get', requestURI: '/api/v1/namespaces/shop/secrets/db', user: { username: 'alice', groups: ['system:authenticated'] }, objectRef: { resource: 'secrets', namespace: 'shop', name: 'db' }, requestReceivedTimestamp: '2026-01-01T00:00:00.000000Z', stageTimestamp: '2026-01-01T00:00:00.000000Z' },
    { kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'RequestResponse', auditID: 'a', stage: 'ResponseComplete', verb: 'get', requestURI: '/api/v1/namespaces/shop/secrets/db', user: { username: 'alice', groups: ['system:authenticated'] }, objectRef: { resource: 'secrets', namespace: 'shop', name: 'db' }, responseStatus: { code: 200 }, responseObject: { kind: 'Secret', data: { password: 'c2VjcmV0' } }, requestReceivedTimestamp: '2026-01-01T00:00:00.000000Z', stageTimestamp: '2026-01-01T00:00:00.002000Z' },
    { kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'RequestResponse', auditID: 'b', stage: 'ResponseComplete', verb: 'get', requestURI: '/healthz', user: { username: 'system:anonymous', groups: ['system:unauthenticated'] }, responseStatus: { code: 200 }, requestReceivedTimestamp: '2026-01-01T00:10:00.000000Z', stageTimestamp: '2026-01-01T00:10:00.000000Z' },
  ];
  const log = events.map((event) => JSON.stringify(event)).join('\n') + '\n';

  it('compares policies side by side, per rule, from a gzip log', () => {
    const path = file('audit.log.gz', gzipSync(log));
    const result = kubeharden(['audit', 'estimate', '--policy', everything, '--policy', tuned, path, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const estimate = JSON.parse(result.stdout) as { requests: number; spanSeconds: number; policies: { file: string; events: number; eventsPerDay: number; rules: { index: number; requests: number }[] }[] };
    assert.equal(estimate.requests, 2);
    assert.equal(estimate.spanSeconds, 600);
    assert.deepEqual(estimate.policies.map((policy) => policy.events), [4, 1]);
    assert.deepEqual(estimate.policies.map((policy) => policy.eventsPerDay), [576, 144]);
    assert.deepEqual(estimate.policies[1]?.rules.map((rule) => [rule.index, rule.requests]), [[1, 1], [0, 1]]);
    const table = kubeharden(['audit', 'estimate', '--policy', everything, '--policy', tuned, path]);
    assert.match(table.stdout, /Replayed 2 requests \(3 recorded events/);
    assert.match(table.stdout, /rule 2 \(line 7\) +Metadata +1 +1/);
  });

  it('skips an event with fields of the wrong type at its line and replays the rest', () => {
    const mistyped = { ...events[2], verb: [], user: { username: 5 } };
    const result = kubeharden(['audit', 'estimate', '--policy', tuned, '-', '--format', 'json'], log + JSON.stringify(mistyped) + '\n');
    assert.equal(result.code, 2);
    assert.equal((JSON.parse(result.stdout) as { requests: number }).requests, 2);
    assert.match(result.stderr, /:4.*verb must be a string, not a list; user\.username must be a string, not a number/);
  });

  it('reads standard input, and needs a policy', () => {
    assert.equal(kubeharden(['audit', 'estimate', '--policy', tuned, '-', '--format', 'json'], log).code, 0);
    assert.equal(kubeharden(['audit', 'estimate', '-'], log).code, 2);
  });
});
