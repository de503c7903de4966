/**
 * The verdict of a run (pass, fail, not gated, incomplete, input errors) in every format: each case is rendered
 * through the same registry the CLI uses, and every format must say the same thing, so a scan that could not read
 * everything never looks like a pass anywhere.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { load, loadAll } from 'js-yaml';
import type { Log } from 'sarif';
import { palette } from '../../src/report/color.js';
import { FORMAT_IDS, renderFormat, type FormatId } from '../../src/report/formats.js';
import type { PolicyReportDocument } from '../../src/report/policy-report.js';
import { verdict, withSeverityFilter, type Report, type VerdictStatus } from '../../src/report/report.js';
import { reportForPaths, reportForText, type FixtureOptions } from '../support/report-fixture.js';
import { validateSarif } from '../support/sarif-schema.js';
import { elements, parseXml } from '../support/xml.js';
import { parseJsonReport } from '../support/json-schemas.js';

const PRIVILEGED_POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n  - name: c\n    image: x\n    securityContext: {privileged: true}\n';
const FORBIDDEN = [
  { what: 'Secret (v1)', reason: 'HTTP 403: secrets is forbidden: User "nobody" cannot list resource "secrets"' },
  { what: 'Role (rbac.authorization.k8s.io/v1)', reason: 'HTTP 403: roles.rbac.authorization.k8s.io is forbidden' },
];
const CLUSTER = { target: { kind: 'cluster' as const, name: 'https://127.0.0.1:6443' } };

interface Case {
  readonly name: string;
  readonly report: () => Promise<Report>;
  readonly status: VerdictStatus;
  readonly exitCode: 0 | 1 | 2;
  /** Table and HTML wording. */
  readonly label: RegExp;
  readonly icon: string;
  /** Input errors plus parts not assessed that make the scan incomplete: JUnit errors, SARIF error notifications. */
  readonly errors: number;
  /** Parts not assessed that --allow-partial accepted: SARIF warnings, skipped JUnit cases, `warn` results. */
  readonly accepted: number;
}

const insecure = (options: FixtureOptions = {}) => () => reportForPaths(['examples/insecure'], options);
const pod = (options: FixtureOptions) => () => reportForText(PRIVILEGED_POD, options);

const CASES: readonly Case[] = [
  { name: 'clean scan', report: () => reportForPaths(['examples/hardened']), status: 'pass', exitCode: 0, label: /^PASS: nothing at or above high/, icon: '✅', errors: 0, accepted: 0 },
  { name: 'findings below the threshold', report: insecure({ report: { failOn: 'critical' } }), status: 'pass', exitCode: 0, label: /^PASS: nothing at or above critical \(\d+ below the threshold\)/, icon: '✅', errors: 0, accepted: 0 },
  { name: 'findings at the threshold', report: insecure(), status: 'fail', exitCode: 1, label: /^FAIL: 9 findings at or above high \(--fail-on high\)/, icon: '❌', errors: 0, accepted: 0 },
  { name: '--fail-on none over high findings', report: insecure({ report: { failOn: 'none' } }), status: 'not-gated', exitCode: 0, label: /^NOT GATED: \d+ open findings/, icon: 'ℹ️', errors: 0, accepted: 0 },
  {
    name: 'an input that cannot be read',
    report: () => reportForText(`${PRIVILEGED_POD}---\nkind: [broken\n`),
    status: 'errors',
    exitCode: 2,
    label: /^ERROR: 1 input could not be read; the scan is incomplete/,
    icon: '⚠️',
    errors: 1,
    accepted: 0,
  },
  {
    name: 'a cluster scan that may list nothing',
    report: () => reportForText('', { report: { ...CLUSTER, notAssessed: FORBIDDEN } }),
    status: 'incomplete',
    exitCode: 2,
    label: /^INCOMPLETE: 2 parts could not be assessed/,
    icon: '⚠️',
    errors: 2,
    accepted: 0,
  },
  {
    name: 'an incomplete scan with failing findings',
    report: pod({ report: { ...CLUSTER, notAssessed: FORBIDDEN } }),
    status: 'incomplete',
    exitCode: 2,
    label: /^INCOMPLETE: 2 parts could not be assessed, so they are not shown to be safe; besides, 1 finding at or above high/,
    icon: '⚠️',
    errors: 2,
    accepted: 0,
  },
  {
    name: 'an incomplete scan under --fail-on none',
    report: pod({ report: { ...CLUSTER, notAssessed: FORBIDDEN, failOn: 'none' } }),
    status: 'incomplete',
    exitCode: 0,
    label: /^INCOMPLETE: 2 parts could not be assessed, so they are not shown to be safe \(not gated: --fail-on none\)/,
    icon: '⚠️',
    errors: 2,
    accepted: 0,
  },
  {
    name: 'parts not assessed, accepted with --allow-partial',
    report: pod({ report: { ...CLUSTER, notAssessed: FORBIDDEN, allowPartial: true } }),
    status: 'fail',
    exitCode: 1,
    label: /^FAIL: 1 finding at or above high/,
    icon: '❌',
    errors: 0,
    accepted: 2,
  },
];

async function render(format: FormatId, report: Report): Promise<string> {
  return [...(await renderFormat(format, report, { fullReport: report, colors: palette(false), policyReportApi: 'wgpolicyk8s.io/v1alpha2' }))].join('');
}

/** What each format says about the run, read as its consumers read it. */
const READERS: Record<Exclude<FormatId, 'baseline'>, (text: string, expected: Case) => void> = {
  table(text, expected) {
    const results = text.split('\n').filter((line) => line.startsWith('Result:'));
    assert.equal(results.length, 1, text);
    assert.match(results[0]?.slice('Result: '.length) ?? '', expected.label);
    assert.ok(results[0]?.endsWith(`exit code ${expected.exitCode}.`), results[0]);
    assert.ok(text.trimEnd().endsWith(results[0] ?? '?'), 'the verdict is the last line');
  },
  json(text, expected) {
    const parsed = parseJsonReport<{ verdict: { status: string; exitCode: number; complete: boolean; text: string } }>(text);
    assert.deepEqual(Object.keys(parsed).slice(0, 3), ['schemaVersion', 'tool', 'verdict'], 'right after the schema version and the tool');
    assert.equal(parsed.verdict.status, expected.status);
    assert.equal(parsed.verdict.exitCode, expected.exitCode);
    assert.equal(parsed.verdict.complete, expected.errors === 0);
    assert.match(parsed.verdict.text, expected.label);
  },
  sarif(text, expected) {
    const log = JSON.parse(text) as Log;
    assert.deepEqual(validateSarif(log), []);
    const invocation = log.runs[0]?.invocations?.[0];
    assert.equal(invocation?.executionSuccessful, expected.errors === 0);
    assert.equal(invocation?.exitCode, expected.exitCode);
    assert.equal(invocation?.properties?.['verdict'], expected.status);
    const notifications = invocation?.toolExecutionNotifications ?? [];
    assert.equal(notifications.filter((n) => n.level === 'error').length, expected.errors);
    assert.equal(notifications.filter((n) => n.level === 'warning').length, expected.accepted);
  },
  junit(text, expected) {
    const root = parseXml(text);
    assert.equal(Number(root.attributes['errors']), expected.errors);
    const errorCases = elements(root, 'testsuite').flatMap((suite) => elements(suite, 'testcase')).filter((c) => elements(c, 'error').length > 0);
    assert.equal(errorCases.length, expected.errors, 'an <error> per unreadable input or part not assessed');
    const notAssessed = elements(root, 'testsuite').find((suite) => suite.attributes['name'] === 'not assessed');
    assert.equal(notAssessed ? Number(notAssessed.attributes['skipped']) : 0, expected.accepted);
  },
  html(text, expected) {
    const badge = /<p class="verdict ([a-z-]+)" data-testid="verdict" data-status="([a-z-]+)">([^<]*)<\/p>/.exec(text);
    assert.ok(badge, 'a verdict badge');
    assert.equal(badge[1], expected.status);
    assert.equal(badge[2], expected.status);
    assert.match(badge[3] ?? '', expected.label);
    if (expected.status !== 'pass') assert.doesNotMatch(text, /PASS/);
  },
  markdown(text, expected) {
    const heading = text.split('\n')[0] ?? '';
    assert.ok(heading.startsWith(`## ${expected.icon} kubeharden `), heading);
    assert.match(heading.slice(`## ${expected.icon} kubeharden `.length), expected.label);
    if (expected.status !== 'pass') assert.ok(!text.includes('✅'));
    if (expected.errors > 0) assert.ok(!text.includes('🎉'), 'no celebration over a scan that could not read everything');
  },
  policyreport(text, expected) {
    const documents = loadAll(text) as PolicyReportDocument[];
    assert.ok(documents.length > 0);
    for (const document of documents) assert.equal(document.metadata.annotations['kubeharden.io/verdict'], expected.status);
    const errors = documents.reduce((sum, document) => sum + document.summary.error, 0);
    const warnings = documents.reduce((sum, document) => sum + document.summary.warn, 0);
    assert.equal(errors, expected.errors);
    assert.equal(warnings, expected.accepted);
  },
};

describe('the verdict of a run', () => {
  for (const expected of CASES) {
    it(`${expected.name}: ${expected.status} in every format`, async () => {
      const report = await expected.report();
      const computed = verdict(report);
      assert.equal(computed.status, expected.status);
      assert.equal(computed.exitCode, expected.exitCode);
      for (const format of FORMAT_IDS) {
        if (format === 'baseline') continue;
        try {
          READERS[format](await render(format, report), expected);
        } catch (error) {
          (error as Error).message = `${format}: ${(error as Error).message}`;
          throw error;
        }
      }
      // --severity is a display filter: it cannot change what the run concluded.
      assert.deepEqual(verdict(withSeverityFilter(report, ['info'])), computed);
    });
  }

  it('an ungated run without findings is not gated either', async () => {
    const report = await reportForPaths(['examples/hardened'], { report: { failOn: 'none' } });
    assert.deepEqual(verdict(report), { status: 'not-gated', complete: true, exitCode: 0, text: 'NOT GATED: no open findings (--fail-on none)' });
  });

  it('an ungated run is never called a pass, whatever its findings', async () => {
    for (const report of [await reportForPaths(['examples/hardened'], { report: { failOn: 'none' } }), await insecure({ report: { failOn: 'none' } })()]) {
      for (const format of ['table', 'html', 'markdown', 'json'] as const) {
        assert.doesNotMatch(await render(format, report), /PASS|✅/, format);
      }
      const parsed = load((await render('policyreport', report)).split('---\n')[1] ?? '') as PolicyReportDocument;
      assert.equal(parsed.metadata.annotations['kubeharden.io/verdict'], 'not-gated');
    }
  });
});
