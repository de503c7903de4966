import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { renderJunit } from '../../src/report/junit.js';
import type { Report } from '../../src/report/report.js';
import { reportForPaths, reportForText, scanPaths } from '../support/report-fixture.js';
import { PROJECT_ROOT } from '../support/paths.js';
import { elements, parseXml, type XmlElement } from '../support/xml.js';

const junit = (report: Report, assessed?: Parameters<typeof renderJunit>[1]) => [...renderJunit(report, assessed)].join('');

function count(element: XmlElement, name: string): number {
  return Number(element.attributes[name]);
}

describe('JUnit XML', () => {
  it('a test suite per control, a test case per control × resource; counts add up', async () => {
    const { result, report } = await scanPaths(['examples']);
    const xml = junit(report, result.assessed);
    const root = parseXml(xml);
    assert.equal(root.name, 'testsuites');
    const suites = elements(root, 'testsuite');
    assert.deepEqual(suites.map((s) => s.attributes['name']?.split(':')[0]).sort(), [...report.summary.controls.run].sort());
    let tests = 0;
    let failures = 0;
    for (const suite of suites) {
      const cases = elements(suite, 'testcase');
      assert.equal(count(suite, 'tests'), cases.length);
      assert.equal(count(suite, 'failures'), cases.filter((c) => elements(c, 'failure').length > 0).length);
      assert.equal(count(suite, 'skipped'), cases.filter((c) => elements(c, 'skipped').length > 0).length);
      tests += cases.length;
      failures += count(suite, 'failures');
    }
    assert.equal(count(root, 'tests'), tests);
    assert.equal(count(root, 'failures'), failures);
    // Per control × resource: POD-NO-PRIVILEGED judged every pod template; one failed.
    const privileged = suites.find((s) => s.attributes['name']?.startsWith('POD-NO-PRIVILEGED:')) as XmlElement;
    const cases = elements(privileged, 'testcase');
    assert.equal(cases.length, report.summary.score.controls.find((c) => c.id === 'POD-NO-PRIVILEGED')?.assessed);
    const failed = cases.filter((c) => elements(c, 'failure').length > 0);
    assert.deepEqual(failed.map((c) => c.attributes['name']), ['Deployment shop/storefront']);
    const failure = elements(failed[0] as XmlElement, 'failure')[0] as XmlElement;
    assert.equal(failure.attributes['type'], 'high');
    assert.match(failure.attributes['message'] ?? '', /privileged/);
    assert.match(failure.text, /examples\/insecure\/shop\.yaml:30:11/);
    assert.match(failure.text, /Fix: /);
    assert.equal(failed[0]?.attributes['file'], `${PROJECT_ROOT}/examples/insecure/shop.yaml`);
  });

  it('cross-resource controls list failing subjects and one case for the resources that passed', async () => {
    const { result, report } = await scanPaths(['examples/hardened']);
    const root = parseXml(junit(report, result.assessed));
    const suite = elements(root, 'testsuite').find((s) => s.attributes['name']?.startsWith('NET-DEFAULT-DENY-INGRESS:')) as XmlElement;
    const cases = elements(suite, 'testcase');
    assert.equal(count(suite, 'failures'), 0);
    assert.match(cases[0]?.attributes['name'] ?? '', /^\d+ other resources? passed$/);
  });

  it('accepted risks are skipped test cases, never failures', async () => {
    const report = await reportForPaths(['examples/insecure'], { exceptions: [{ controls: ['POD-NO-PRIVILEGED'], reason: 'lab cluster', source: '.kubeharden.yaml:2' }] });
    const root = parseXml(junit(report));
    const suite = elements(root, 'testsuite').find((s) => s.attributes['name']?.startsWith('POD-NO-PRIVILEGED:')) as XmlElement;
    assert.equal(count(suite, 'failures'), 0);
    assert.equal(count(suite, 'skipped'), 1);
    assert.equal(elements(suite, 'skipped')[0]?.attributes['message'], 'exception: lab cluster (.kubeharden.yaml:2)');
  });

  it('input errors are error test cases', async () => {
    const report = await reportForText('kind: [broken\n', { name: 'bad.yaml' });
    const root = parseXml(junit(report));
    assert.equal(count(root, 'errors'), 1);
    assert.equal(elements(root, 'error')[0]?.attributes['type'], 'input-error');
  });

  it('any text in names and messages stays well-formed XML: escaped, invalid characters dropped', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }), async (raw) => {
        const name = JSON.stringify(`web${raw}`);
        const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${name}\nspec:\n  containers:\n  - name: ${name}\n    image: ${name}\n    securityContext: {privileged: true}\n`;
        const report = await reportForText(text, { name: `dir/${raw.replace(/[\n/]/g, '')}.yaml` });
        const root = parseXml(junit(report));
        assert.ok(elements(root, 'failure').length > 0 || report.errors.length > 0);
      }),
      { seed: 20261128, numRuns: 150 },
    );
  });
});
