/** `kubeharden audit detect` end to end: logs in every form, findings with the event in every format, exit codes. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import type { Report } from '../../src/report/report.js';
import { CLI, PROJECT_ROOT } from '../support/paths.js';
import { validateSarif } from '../support/sarif-schema.js';
import { tempDir } from '../support/temp-dir.js';
import { checkJsonOutputs } from '../support/json-outputs.js';

function kubeharden(args: readonly string[], input?: string) {
  const result = spawnSync(CLI, args, { cwd: PROJECT_ROOT, encoding: 'utf8', input, env: { ...process.env, NO_COLOR: '1', CI: '1' } });
  checkJsonOutputs(args, { code: result.status, stdout: result.stdout }, PROJECT_ROOT, process.env);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const dir = tempDir('detect');
const base = { kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Request', stage: 'ResponseComplete', sourceIPs: ['203.0.113.7'], user: { username: 'alice', groups: ['system:authenticated'] }, requestReceivedTimestamp: '2026-03-01T10:00:00.000000Z', stageTimestamp: '2026-03-01T10:00:00.100000Z', annotations: { 'authorization.k8s.io/decision': 'allow' } };
const privilegedPod = { ...base, auditID: 'p1', verb: 'create', requestURI: '/api/v1/namespaces/shop/pods', objectRef: { resource: 'pods', namespace: 'shop', apiVersion: 'v1' }, responseStatus: { code: 201 }, requestObject: { kind: 'Pod', metadata: { name: 'debug' }, spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] } } };
const secretRead = { ...base, auditID: 's1', verb: 'get', requestURI: '/api/v1/namespaces/shop/secrets/db', objectRef: { resource: 'secrets', namespace: 'shop', name: 'db', apiVersion: 'v1' }, responseStatus: { code: 200 }, responseObject: { kind: 'Secret', data: { password: 'aHVudGVyMg==' } } };
const quiet = { ...base, auditID: 'q1', verb: 'list', requestURI: '/api/v1/namespaces/shop/pods', objectRef: { resource: 'pods', namespace: 'shop', apiVersion: 'v1' }, responseStatus: { code: 200 } };
const lines = (...events: object[]) => events.map((event) => JSON.stringify(event)).join('\n') + '\n';

describe('kubeharden audit detect', () => {
  it('finds threats in a gzip log, at their lines, with who, when and from where, and never a secret value', () => {
    const log = join(dir, 'audit.log.gz');
    writeFileSync(log, gzipSync(lines(quiet, privilegedPod, secretRead)));
    const result = kubeharden(['audit', 'detect', log, '--format', 'json']);
    assert.equal(result.code, 1, 'a high-severity detection fails the default gate');
    const report = JSON.parse(result.stdout) as Report;
    assert.equal(report.target?.kind, 'audit-log');
    assert.equal(report.summary.resources, 3, 'three events read');
    const privileged = report.findings.find((finding) => finding.controlId === 'AUDIT-PRIVILEGED-POD');
    assert.equal(privileged?.location.line, 2);
    assert.equal(privileged?.field, 'requestObject.spec.containers[0].securityContext.privileged');
    assert.deepEqual(privileged?.resource, { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'debug' });
    assert.equal(privileged?.event?.user, 'alice');
    assert.deepEqual(privileged?.event?.sourceIPs, ['203.0.113.7']);
    assert.equal(privileged?.event?.time, '2026-03-01T10:00:00.100000Z');
    const read = report.findings.find((finding) => finding.controlId === 'AUDIT-SECRET-READ');
    assert.equal(read?.location.line, 3);
    for (const format of ['json', 'sarif', 'junit', 'html', 'markdown', 'policyreport', 'table']) {
      const out = kubeharden(['audit', 'detect', log, '--format', format]);
      assert.ok(!out.stdout.includes('aHVudGVyMg'), `${format} leaks no secret value`);
    }
    const sarif = JSON.parse(kubeharden(['audit', 'detect', log, '--format', 'sarif']).stdout) as { runs: { results: { ruleId: string; properties: { event?: { user: string } } }[] }[] };
    assert.deepEqual(validateSarif(sarif), []);
    assert.equal(sarif.runs[0]?.results.find((entry) => entry.ruleId === 'AUDIT-PRIVILEGED-POD')?.properties.event?.user, 'alice');
    const table = kubeharden(['audit', 'detect', log]);
    assert.match(table.stdout, /alice created pod shop\/debug with privileged container c/);
    assert.match(table.stdout, /event: 2026-03-01T10:00:00.100000Z {2}alice from 203.0.113.7 {2}create \/api\/v1\/namespaces\/shop\/pods → 201 \(allow\)/);
    assert.match(table.stdout, /Read 3 audit events in 1 log\./);
  });

  it('reads standard input, trusts --trusted-user, and exits 0 when nothing fires', () => {
    const result = kubeharden(['audit', 'detect', '-', '--trusted-user', 'alice', '--format', 'json'], lines(quiet, secretRead));
    assert.equal(result.code, 0, result.stdout);
    assert.deepEqual((JSON.parse(result.stdout) as Report).findings, []);
  });

  it('reports bad lines with file and line, keeps reading, and exits 2', () => {
    const log = join(dir, 'broken.log');
    writeFileSync(log, `${JSON.stringify(privilegedPod)}\n{not json\n${JSON.stringify(secretRead)}\n`);
    const result = kubeharden(['audit', 'detect', log, '--format', 'json']);
    assert.equal(result.code, 2);
    const report = JSON.parse(result.stdout) as Report;
    assert.equal(report.errors[0]?.line, 2);
    assert.equal(report.errors[0]?.file, log);
    assert.equal(report.findings.length, 2, 'both good events were still read');
    assert.equal(kubeharden(['audit', 'detect', join(dir, 'missing.log')]).code, 2);
    assert.equal(kubeharden(['audit', 'detect', log, '--burst-threshold', '0']).code, 2);
  });

  it('skips an event whose fields have the wrong types, names the file, line and field, and judges the rest', () => {
    const log = join(dir, 'mistyped.log');
    const hostile = [{ ...privilegedPod, user: { username: 5 } }, { ...privilegedPod, sourceIPs: '1.2.3.4' }, { ...privilegedPod, impersonatedUser: { username: 5 } }, { ...privilegedPod, objectRef: 'pods' }];
    writeFileSync(log, lines(privilegedPod, ...hostile, secretRead));
    const result = kubeharden(['audit', 'detect', log, '--format', 'json']);
    assert.equal(result.code, 2, result.stderr);
    const report = JSON.parse(result.stdout) as Report;
    assert.deepEqual(report.errors.map((error) => [error.file, error.line]), [2, 3, 4, 5].map((line) => [log, line]));
    assert.match(report.errors[0]?.message ?? '', /user\.username must be a string, not a number/);
    assert.deepEqual(report.findings.map((finding) => finding.location.line).sort(), [1, 6], 'the good events before and after were judged');
    const table = kubeharden(['audit', 'detect', log]);
    assert.equal(table.code, 2);
    assert.match(table.stdout, /mistyped\.log:3 .*sourceIPs must be a list of strings, not a string/);
    assert.doesNotMatch(table.stdout + table.stderr, /TypeError|internal error/);
  });

  it('lists the rules with what each detection needs', () => {
    const result = kubeharden(['audit', 'rules', '--format', 'json']);
    assert.equal(result.code, 0);
    const rules = JSON.parse(result.stdout) as { id: string; needs?: { level: string; stage: string } }[];
    assert.equal(rules.find((rule) => rule.id === 'AUDIT-PRIVILEGED-POD')?.needs?.level, 'Request');
    assert.ok(rules.some((rule) => rule.id === 'AUDIT-POLICY-SENSITIVE-BODIES'));
    assert.ok(readFileSync(join(PROJECT_ROOT, 'docs', 'audit-rules.md'), 'utf8').includes('AUDIT-PRIVILEGED-POD'));
  });
});
