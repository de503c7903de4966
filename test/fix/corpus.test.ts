/**
 * `fix --risk review` over the real-world corpus and the pod-security-admission fixtures that fail their level:
 * outside the spliced nodes every byte is the original's, an independent re-scan finds none of the findings reported
 * fixed, and a second run changes nothing. The counts are measured, and pinned.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { fixInputs, type FixResult } from '../../src/fix/fix-inputs.js';
import type { FrameworkId } from '../../src/engine/types.js';
import { collectInputs, type Input } from '../../src/loader/inputs.js';
import type { InputError } from '../../src/loader/source.js';
import { TemplatePaths } from '../../src/kube/pod-templates.js';
import { parseKubeVersion } from '../../src/kube/version.js';
import { scanInputs } from '../../src/scan/scan.js';
import type { Finding } from '../../src/vocabulary/finding.js';
import { needsShared, SHARED_PRESENT, sharedPath } from '../support/paths.js';

const scanOptions = (framework: FrameworkId, version: string) => ({ framework, version: parseKubeVersion(version), templatePaths: new TemplatePaths() });
const memoryInputs = (files: readonly { name: string; text: string }[]): Input[] =>
  files.map(({ name, text }) => ({ name, preferJson: name.endsWith('.json'), read: async () => Buffer.from(text) }));

function counts(result: FixResult): Record<string, number> {
  const tally: Record<string, number> = { findings: result.outcomes.length, fixed: 0, review: 0, manual: 0, open: 0 };
  for (const outcome of result.outcomes) tally[outcome.status] = (tally[outcome.status] ?? 0) + 1;
  return tally;
}

const key = (finding: Finding) => [finding.controlId, finding.location.file, finding.resource.kind, finding.resource.name, finding.field, finding.message].join('|');

/** Undoing every splice from the last gives back the original: no byte outside them changed. */
function assertOnlySplicesChanged(result: FixResult): void {
  for (const file of result.files) {
    let text = file.fixed;
    for (const splice of [...file.splices].reverse()) {
      assert.equal(text.slice(splice.start, splice.start + splice.inserted.length), splice.inserted, `${file.name}: splice in place`);
      // What a splice replaces is one scalar's source, never lines around it.
      assert.doesNotMatch(splice.removed, /\n/, `${file.name}: replaced only a scalar`);
      text = text.slice(0, splice.start) + splice.removed + text.slice(splice.start + splice.inserted.length);
    }
    assert.equal(text, file.original, `${file.name}: bytes outside the edited nodes are unchanged`);
    if (file.splices.length > 0) {
      for (const document of parseAllDocuments(file.fixed) as ReturnType<typeof parseAllDocuments> & unknown[]) {
        assert.deepEqual(document.errors, [], `${file.name}: the fixed text parses`);
      }
    }
  }
}

/** A re-scan of the fixed text, apart from fix's own: none of the findings it reported fixed is there. */
async function assertFixedAreGone(result: FixResult, framework: FrameworkId, version: string): Promise<void> {
  const rescan = await scanInputs(memoryInputs(result.files.map((file) => ({ name: file.name, text: file.fixed }))), [], scanOptions(framework, version));
  const still = new Set(rescan.findings.filter((finding) => !finding.suppression).map(key));
  rescan.store.close();
  const back = result.outcomes.filter((outcome) => outcome.status === 'fixed' && still.has(key(outcome.finding)));
  assert.deepEqual(back.map((outcome) => key(outcome.finding)), []);
}

async function fixAgain(result: FixResult, framework: FrameworkId, version: string): Promise<FixResult> {
  const inputs = memoryInputs(result.files.map((file) => ({ name: file.name, text: file.fixed })));
  return fixInputs(inputs, [], { scan: scanOptions(framework, version), risk: 'review' });
}

describe('fix over the real-world corpus (pss-restricted, --risk review)', { skip: needsShared }, () => {
  let result: FixResult;
  before(async () => {
    const errors: InputError[] = [];
    const inputs = await collectInputs([sharedPath('corpus', 'real-world')], errors);
    result = await fixInputs(inputs, errors, { scan: scanOptions('pss-restricted', 'latest'), risk: 'review' });
  });

  it('reports every finding, with the measured counts', () => {
    assert.deepEqual(counts(result), { findings: 1388, fixed: 1110, review: 0, manual: 278, open: 0 });
    assert.equal(result.files.filter((file) => file.fixed !== file.original).length, 222);
  });

  it('changes no byte outside the edited nodes, in every file', () => assertOnlySplicesChanged(result));

  it('a re-scan finds none of the findings reported fixed', () => assertFixedAreGone(result, 'pss-restricted', 'latest'));

  it('is idempotent: a second run changes nothing', async () => {
    const again = await fixAgain(result, 'pss-restricted', 'latest');
    assert.deepEqual(again.files.filter((file) => file.fixed !== file.original).map((file) => file.name), []);
  });
});

interface Fixture {
  file: string;
  level: 'baseline' | 'restricted';
  version: string;
  expect: 'pass' | 'fail';
}

describe('fix over the pod-security-admission fixtures that fail their level (--risk review)', { skip: needsShared }, () => {
  const dir = sharedPath('conformance', 'pod-security-admission');
  const fixtures: Fixture[] = SHARED_PRESENT ? (JSON.parse(readFileSync(`${dir}/expectations.json`, 'utf8')) as { fixtures: Fixture[] }).fixtures.filter((f) => f.expect === 'fail') : [];
  const groups = new Map<string, Fixture[]>();
  for (const fixture of fixtures) groups.set(`${fixture.level} ${fixture.version}`, [...(groups.get(`${fixture.level} ${fixture.version}`) ?? []), fixture]);
  const results: { framework: FrameworkId; version: string; result: FixResult }[] = [];

  before(async () => {
    for (const group of groups.values()) {
      const { level, version } = group[0] as Fixture;
      const framework: FrameworkId = level === 'baseline' ? 'pss-baseline' : 'pss-restricted';
      const files = group.map((fixture) => ({ name: fixture.file, text: readFileSync(`${dir}/${fixture.file}`, 'utf8') }));
      results.push({ framework, version, result: await fixInputs(memoryInputs(files), [], { scan: scanOptions(framework, version), risk: 'review' }) });
    }
  });

  it('reports every finding, with the measured counts', () => {
    const total: Record<string, number> = {};
    for (const { result } of results) for (const [name, value] of Object.entries(counts(result))) total[name] = (total[name] ?? 0) + value;
    assert.deepEqual(total, { findings: 4535, fixed: 808, review: 0, manual: 3727, open: 0 });
    // Fixtures that pass their level after the fix: every one whose findings were all fixable.
    let clean = 0;
    let fixtureCount = 0;
    for (const { result } of results) {
      fixtureCount += result.files.length;
      const dirty = new Set(result.remaining.map((finding) => finding.location.file));
      clean += result.files.filter((file) => !dirty.has(file.name)).length;
    }
    assert.deepEqual({ fixtureCount, clean }, { fixtureCount: 3486, clean: 567 });
  });

  it('changes no byte outside the edited nodes', () => results.forEach(({ result }) => assertOnlySplicesChanged(result)));

  it('a re-scan finds none of the findings reported fixed, and a second run changes nothing', async () => {
    for (const { framework, version, result } of results) {
      await assertFixedAreGone(result, framework, version);
      const again = await fixAgain(result, framework, version);
      assert.deepEqual(again.files.filter((file) => file.fixed !== file.original).map((file) => file.name), []);
    }
  });
});
