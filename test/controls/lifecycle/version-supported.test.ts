/** CLUSTER-VERSION-SUPPORTED and its data: valid and invalid releases, days and tables; the clock is always given. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { releaseComponent } from '../../../src/components/release.js';
import { KUBERNETES_RELEASES, parseReleaseVersion, releaseTableProblems, supportOn, type KubernetesRelease } from '../../../src/controls/lifecycle/kubernetes-releases.js';
import { control, versionSupportedControl } from '../../../src/controls/lifecycle/version-supported.js';
import { evaluateComponent } from '../../../src/engine/component-evaluate.js';
import { NEWEST_KNOWN_MINOR } from '../../../src/kube/version.js';
import { assertCompleteMetadata } from '../../support/control-tester.js';

function judge(version: string, day: string, table: readonly KubernetesRelease[] = KUBERNETES_RELEASES) {
  const component = releaseComponent({ apiVersion: 'v1', kind: 'Cluster', namespace: null, name: 'test' }, { file: 'cluster:/version', field: 'gitVersion' }, { version, source: 'test', day });
  const checked = table === KUBERNETES_RELEASES ? control : versionSupportedControl(table);
  return evaluateComponent(component, [checked], { minor: NEWEST_KNOWN_MINOR });
}

describe('CLUSTER-VERSION-SUPPORTED (release)', () => {
  it('has complete metadata', () => assertCompleteMetadata(control.meta));

  const valid: [string, string, string][] = [
    ['the test API server on the day this table was checked', 'v1.37.2', '2026-12-03'],
    ['1.35 on its last day of support', 'v1.35.0', '2027-02-28'],
    ['a provider build of a supported release', 'v1.36.4-eks-1-36', '2026-12-03'],
    ['1.34 on the day it ended', '1.34.9', '2026-10-27'],
    ['1.27 before its end moved from the planned date to the real one', 'v1.27.3', '2024-07-16'],
  ];
  for (const [name, version, day] of valid) {
    it(`valid: ${name} (${version} on ${day})`, () => {
      const result = judge(version, day);
      assert.deepEqual(result.findings.map((finding) => finding.message), []);
      assert.deepEqual(result.notAssessed, []);
      assert.equal(result.ran.length, 1, 'judged and passed, not skipped');
    });
  }

  const invalid: [string, string, string, RegExp][] = [
    ['1.34 the day after its end', 'v1.34.9', '2026-10-28', /v1\.34\.9 \(test\) is out of upstream support: 1\.34 reached its end of life on 2026-10-27.*supported on 2026-10-28: 1\.35 to 1\.37/],
    ['the test API server with the clock past 1.37’s end of life', 'v1.37.2', '2027-10-29', /1\.37 reached its end of life on 2027-10-28 and gets no security fixes; kubeharden's release table knows no release supported on 2027-10-29: update kubeharden/],
    ['a provider build of an old release', 'v1.29.3-gke.100', '2026-12-03', /1\.29 reached its end of life on 2025-02-28.*supported on 2026-12-03: 1\.35 to 1\.37/],
    ['a release older than the published dates', 'v1.1.8', '2026-12-03', /1\.1 reached its end of life before the first published end-of-life date/],
    ['a Debian package version', '1.22.17-00', '2023-01-01', /1\.22 reached its end of life on 2022-12-08/],
  ];
  for (const [name, version, day, message] of invalid) {
    it(`invalid: ${name} (${version} on ${day})`, () => {
      const result = judge(version, day);
      assert.equal(result.findings.length, 1);
      assert.match(result.findings[0]?.message ?? '', message);
      assert.equal(result.findings[0]?.location.file, 'cluster:/version');
      assert.equal(result.findings[0]?.field, 'gitVersion');
    });
  }

  const unknown: [string, string, RegExp][] = [
    ['a release newer than the table', 'v1.38.0', /release table ends at 1\.37 .*a newer kubeharden knows 1\.38/],
    ['a version that is not one', 'v2.0.1', /not a Kubernetes version kubeharden can read/],
    ['an empty version', '', /not a Kubernetes version/],
  ];
  for (const [name, version, reason] of unknown) {
    it(`not assessed, never passed: ${name}`, () => {
      const result = judge(version, '2026-12-03');
      assert.deepEqual(result.findings, []);
      assert.deepEqual(result.ran, []);
      assert.match(result.notAssessed[0]?.reason ?? '', reason);
    });
  }
});

describe('the release table', () => {
  it('is valid and reaches the newest minor the catalog knows', () => {
    assert.deepEqual(releaseTableProblems(KUBERNETES_RELEASES), []);
    assert.equal(KUBERNETES_RELEASES[KUBERNETES_RELEASES.length - 1]?.minor, NEWEST_KNOWN_MINOR, 'a new minor in kube/version.ts needs its end-of-life date here');
  });
  it('keeps the published dates of the releases supported on 2026-12-03', () => {
    const dates = Object.fromEntries(KUBERNETES_RELEASES.filter((release) => release.minor >= 35).map((release) => [release.minor, release.endOfLife]));
    assert.deepEqual(dates, { 35: '2027-02-28', 36: '2027-06-28', 37: '2027-10-28' });
  });

  const invalidTables: [string, KubernetesRelease[], RegExp][] = [
    ['empty', [], /empty/],
    ['a gap', [{ minor: 30, endOfLife: '2025-07-15' }, { minor: 32, endOfLife: '2026-02-28' }], /1\.32 follows 1\.30/],
    ['out of order', [{ minor: 31, endOfLife: '2025-11-11' }, { minor: 30, endOfLife: '2025-07-15' }], /1\.30 follows 1\.31/],
    ['a date before the previous release’s', [{ minor: 30, endOfLife: '2025-07-15' }, { minor: 31, endOfLife: '2025-01-01' }], /1\.31 ends \(2025-01-01\) before 1\.30/],
    ['a day that does not exist', [{ minor: 35, endOfLife: '2027-02-30' }], /"2027-02-30" is not a date/],
    ['a date written another way', [{ minor: 35, endOfLife: '28/02/2027' }], /not a date written YYYY-MM-DD/],
  ];
  for (const [name, table, problem] of invalidTables) {
    it(`invalid: ${name}`, () => {
      assert.match(releaseTableProblems(table).join('\n'), problem);
      // An invalid table never makes a verdict: the control is not assessed rather than passed or failed.
      const status = supportOn(35, '2026-12-03', table);
      assert.equal(status.status, 'unknown');
      if (table.length > 0) {
        const result = judge('v1.35.0', '2026-12-03', table);
        assert.deepEqual([result.findings.length, result.ran.length], [0, 0]);
        assert.match(result.notAssessed[0]?.reason ?? '', /release table is invalid/);
      }
    });
  }

  it('reads versions as servers, images and packages write them', () => {
    assert.deepEqual(parseReleaseVersion('v1.37.2'), { minor: 37, patch: 2 });
    assert.deepEqual(parseReleaseVersion('1.29'), { minor: 29, patch: undefined });
    assert.deepEqual(parseReleaseVersion('v1.29.3-eks-1-29'), { minor: 29, patch: 3 });
    assert.deepEqual(parseReleaseVersion('1.29.3-1.1'), { minor: 29, patch: 3 });
    for (const text of ['latest', 'v2.1.0', '1', 'v1.x', '']) assert.equal(parseReleaseVersion(text), undefined, text);
  });
});
