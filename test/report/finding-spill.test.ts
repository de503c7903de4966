import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { setFindingStoreLimits, type FindingStoreLimits } from '../../src/engine/finding-store.js';
import { palette } from '../../src/report/color.js';
import { FORMAT_IDS, renderFormat } from '../../src/report/formats.js';
import { policyReportDocuments } from '../../src/report/policy-report.js';
import { buildReport, withSeverityFilter, type Report } from '../../src/report/report.js';
import type { AssessedResource } from '../../src/scan/scan.js';
import { parseKubeVersion } from '../../src/kube/version.js';
import { scanPaths } from '../support/report-fixture.js';
import { needsShared, sharedPath } from '../support/paths.js';

/** Every format of a report, as the CLI writes it (PolicyReports at a fixed time). */
async function renderAll(report: Report, assessed: readonly AssessedResource[] | undefined): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const format of FORMAT_IDS) {
    out[format] =
      format === 'policyreport'
        ? JSON.stringify([...policyReportDocuments(report, { api: 'wgpolicyk8s.io/v1alpha2', now: new Date('2026-01-02T03:04:05Z') })])
        : [...(await renderFormat(format, report, { fullReport: report, ...(assessed ? { assessed } : {}), colors: palette(true), policyReportApi: 'wgpolicyk8s.io/v1alpha2' }))]
            .join('')
            // The HTML and the baseline say when they were made.
            .replace(/<time datetime="[^"]*">[^<]*<\/time>/g, '<time>')
            .replace(/"createdAt": "[^"]*"/, '"createdAt"');
  }
  return out;
}

/** The real-world corpus scanned under these store bounds, with exceptions, and rendered plain, under a baseline and under --severity. */
async function corpusOutputs(bounds: Partial<FindingStoreLimits> | undefined): Promise<{ outputs: Record<string, string>; runs: number; spilled: string | undefined }> {
  const before = setFindingStoreLimits(bounds);
  try {
    const exceptions = [{ controls: ['RES-CPU-LIMIT', 'POD-NO-PRIVILEGED'], reason: 'accepted for the test', source: 'test:1' }];
    const { result, report } = await scanPaths([sharedPath('corpus', 'real-world')], { exceptions });
    const fingerprints = new Set([...result.store.all()].filter((_, index) => index % 2 === 0).map((finding) => finding.fingerprint));
    const version = parseKubeVersion('latest');
    const baselined = buildReport(result, { framework: 'nsa', version, failOn: 'high', baseline: { file: 'baseline.json', fingerprints } });
    const outputs: Record<string, string> = {};
    for (const [name, shown] of [['plain', report], ['baseline', baselined], ['severity', withSeverityFilter(report, ['critical', 'high'])]] as const) {
      for (const [format, text] of Object.entries(await renderAll(shown, result.assessed))) outputs[`${name}/${format}`] = text;
    }
    const spilled = result.store.spillDirectory;
    const runs = result.store.indexRuns;
    result.store.close();
    return { outputs, runs, spilled };
  } finally {
    setFindingStoreLimits(before);
  }
}

describe('finding store spilled to disk', () => {
  it('every format of the real-world corpus is byte for byte the same when the index and records spill at tiny bounds', { skip: needsShared }, async () => {
    const held = await corpusOutputs(undefined);
    assert.equal(held.runs, 0, 'the default bounds hold the corpus in memory');
    assert.equal(held.spilled, undefined);
    // Seven entries per run: hundreds of runs merged, and every grouping sort spills as well.
    const spilled = await corpusOutputs({ entriesInMemory: 7, recordBytesInMemory: 0 });
    assert.ok(spilled.runs > 100, `${spilled.runs} runs`);
    assert.equal(existsSync(spilled.spilled as string), false, 'closing the store removed its files');
    assert.deepEqual(Object.keys(spilled.outputs), Object.keys(held.outputs));
    for (const [name, text] of Object.entries(held.outputs)) {
      assert.ok(text.length > 0, name);
      const other = spilled.outputs[name] ?? '';
      let at = 0;
      while (at < text.length && text[at] === other[at]) at++;
      assert.ok(other === text, `${name} differs at ${at}: ${JSON.stringify(text.slice(at - 200, at + 200))} against ${JSON.stringify(other.slice(at - 200, at + 200))}`);
    }
    // The table's findings did come out of the grouping sort (a resource's findings together).
    assert.match(held.outputs['plain/table'] ?? '', /Open findings by control/);
  });
});
