import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Log, Result } from 'sarif';
import { CONTROLS } from '../../src/controls/index.js';
import { buildSarif } from '../../src/report/sarif.js';
import { reportForPaths, reportForText } from '../support/report-fixture.js';
import { needsShared, sharedPath } from '../support/paths.js';
import { validateSarif } from '../support/sarif-schema.js';

function assertValid(log: Log): void {
  const problems = validateSarif(log);
  assert.deepEqual(problems, [], `SARIF does not validate against the 2.1.0 schema:\n${problems.slice(0, 10).join('\n')}`);
}

function results(log: Log): Result[] {
  return log.runs[0]?.results ?? [];
}

const DEPLOYMENT = (name: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop${extra}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        securityContext: {privileged: true}
`;

describe('SARIF', () => {
  it('a real scan of the examples validates against the official SARIF 2.1.0 schema', async () => {
    const report = await reportForPaths(['examples']);
    const log = buildSarif(report);
    assertValid(log);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    assert.equal(results(log).length, report.findings.length);
  });

  it('the validator really rejects broken SARIF (so the test above can fail)', async () => {
    const log = buildSarif(await reportForPaths(['examples/insecure']));
    const broken = structuredClone(log) as unknown as { runs: { results: Record<string, unknown>[] }[] };
    delete broken.runs[0]?.results[0]?.['message'];
    assert.notDeepEqual(validateSarif(broken), []);
    const badLevel = structuredClone(log) as unknown as { runs: { results: Record<string, unknown>[] }[] };
    (badLevel.runs[0]?.results[0] as Record<string, unknown>)['level'] = 'critical';
    assert.notDeepEqual(validateSarif(badLevel), []);
  });

  it('one rule per control that ran, with descriptions, remediation markdown and a security-severity GitHub understands', async () => {
    const report = await reportForPaths(['examples/insecure']);
    const log = buildSarif(report);
    const rules = log.runs[0]?.tool.driver.rules ?? [];
    assert.deepEqual(rules.map((rule) => rule.id).sort(), [...report.summary.controls.run].sort());
    for (const rule of rules) {
      const meta = CONTROLS.find((control) => control.meta.id === rule.id)?.meta;
      assert.ok(meta, rule.id);
      assert.equal(rule.shortDescription?.text, meta.title);
      assert.equal(rule.fullDescription?.text, meta.rationale);
      assert.match(rule.help?.markdown ?? '', /\*\*Remediation\*\*/);
      if (meta.remediation.snippet.trim() !== '') assert.match(rule.help?.markdown ?? '', /```yaml\n/);
      const severity = Number(rule.properties?.['security-severity']);
      assert.ok(typeof rule.properties?.['security-severity'] === 'string' && severity > 0 && severity <= 10);
      assert.ok((rule.properties?.tags as string[]).includes('security'));
    }
    for (const result of results(log)) {
      assert.equal(rules[result.ruleIndex as number]?.id, result.ruleId, 'ruleIndex points at the rule');
    }
  });

  it('results point at the offending field with a relative URI and 1-based line and column', async () => {
    const report = await reportForPaths(['examples/insecure']);
    const log = buildSarif(report);
    const privileged = results(log).find((result) => result.ruleId === 'POD-NO-PRIVILEGED');
    const location = privileged?.locations?.[0]?.physicalLocation;
    assert.equal(location?.artifactLocation?.uri, 'examples/insecure/shop.yaml');
    assert.equal(location?.artifactLocation?.uriBaseId, '%SRCROOT%');
    assert.deepEqual(location?.region, { startLine: 30, startColumn: 11 });
    assert.equal(privileged?.level, 'error');
    assert.match(privileged?.message.text ?? '', /^Deployment\/shop\/storefront: /);
    for (const result of results(log)) {
      const uri = result.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '';
      assert.ok(!uri.startsWith('/') && !uri.includes('\\'), uri);
      assert.ok((result.locations?.[0]?.physicalLocation?.region?.startLine ?? 0) >= 1);
    }
  });

  it('fingerprints do not change when lines move', async () => {
    const before = buildSarif(await reportForText(DEPLOYMENT('web') + '---\n' + DEPLOYMENT('api'), { name: 'k8s/app.yaml' }));
    const after = buildSarif(await reportForText('# a comment\n# another\n---\n' + DEPLOYMENT('api') + '---\n' + DEPLOYMENT('web', '\n  labels: {team: a}'), { name: 'k8s/app.yaml' }));
    const prints = (log: Log) => results(log).map((r) => `${r.ruleId} ${r.partialFingerprints?.['kubeharden/v1']}`).sort();
    const lines = (log: Log) => results(log).map((r) => r.locations?.[0]?.physicalLocation?.region?.startLine).sort();
    assert.deepEqual(prints(after), prints(before));
    assert.notDeepEqual(lines(after), lines(before));
    const unique = new Set(results(before).map((r) => r.partialFingerprints?.['kubeharden/v1']));
    assert.equal(unique.size, results(before).length, 'each finding has its own fingerprint');
  });

  it('accepted risks are suppressions: annotations in source, configuration exceptions external', async () => {
    const annotated = DEPLOYMENT('web', '\n  annotations:\n    kubeharden.io/ignore: "POD-NO-PRIVILEGED: needs the host network stack"');
    const report = await reportForText(annotated + '---\n' + DEPLOYMENT('api'), {
      exceptions: [{ controls: ['POD-NO-PRIVILEGED'], names: ['api'], reason: 'vendor image', owner: 'ops', expires: '2999-01-01', source: '.kubeharden.yaml:4' }],
    });
    const log = buildSarif(report);
    assertValid(log);
    const privileged = results(log).filter((result) => result.ruleId === 'POD-NO-PRIVILEGED');
    assert.equal(privileged.length, 2);
    const byName = new Map(privileged.map((result) => [result.locations?.[0]?.logicalLocations?.[0]?.name, result.suppressions?.[0]]));
    assert.deepEqual(byName.get('web'), { kind: 'inSource', status: 'accepted', justification: 'needs the host network stack', properties: { source: 'manifests.yaml:7' } });
    assert.deepEqual(byName.get('api'), {
      kind: 'external',
      status: 'accepted',
      justification: 'vendor image',
      properties: { source: '.kubeharden.yaml:4', owner: 'ops', expires: '2999-01-01' },
    });
    assert.ok(results(log).filter((r) => r.ruleId !== 'POD-NO-PRIVILEGED').every((r) => r.suppressions === undefined));
  });

  it('Helm output points at the chart template; input errors become tool notifications', async () => {
    const helm = `---\n# Source: shop/templates/web.yaml\n${DEPLOYMENT('web')}---\nkind: [broken\n`;
    const report = await reportForText(helm, { name: '<stdin>' });
    const log = buildSarif(report);
    assertValid(log);
    const location = results(log)[0]?.locations?.[0]?.physicalLocation;
    assert.equal(location?.artifactLocation?.uri, 'shop/templates/web.yaml');
    assert.equal(location?.region, undefined, 'rendered lines are not template lines, so no region is claimed');
    assert.match(String(results(log)[0]?.properties?.['renderedLocation']), /^<stdin>:\d+:\d+$/);
    const invocation = log.runs[0]?.invocations?.[0];
    assert.equal(invocation?.executionSuccessful, false);
    assert.equal(invocation?.toolExecutionNotifications?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri, '%3Cstdin%3E');
  });

  it('baseline state marks new and unchanged results', async () => {
    const first = await reportForText(DEPLOYMENT('web'));
    const fingerprints = new Set(first.findings.map((finding) => finding.fingerprint));
    const second = await reportForText(DEPLOYMENT('web') + '---\n' + DEPLOYMENT('api'), { report: { baseline: { file: 'b.json', fingerprints } } });
    const log = buildSarif(second);
    assertValid(log);
    const states = results(log).map((r) => `${r.locations?.[0]?.logicalLocations?.[0]?.name}:${r.baselineState}`);
    assert.ok(states.every((state) => state === 'web:unchanged' || state === 'api:new'), states.join(' '));
    assert.ok(states.includes('api:new') && states.includes('web:unchanged'));
  });

  it('a scan of the real-world corpus validates', { skip: needsShared }, async () => {
    const report = await reportForPaths([sharedPath('corpus', 'real-world')]);
    assert.ok(report.findings.length > 1000, `${report.findings.length} findings`);
    assertValid(buildSarif(report));
  });
});
