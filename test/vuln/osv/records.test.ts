/**
 * Loading OSV records: the shipped schema is upstream's, records are validated against it (the schema's own test
 * records, the GHSA converter's outputs, Red Hat's records, and the 592-record advisory slice), withdrawn records
 * are left out, and an `all.zip` export loads the same records as the directory it was made from.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { loadOsvDirectory, loadOsvZip, MAX_RECORD_BYTES } from '../../../src/vuln/osv/load.js';
import { schemaProblems } from '../../../src/vuln/osv/validate.js';
import { PROJECT_ROOT, needsShared, sharedPath } from '../../support/paths.js';
import { tempDir } from '../../support/temp-dir.js';
import { zipArchive } from '../../support/zip-writer.js';

const SCHEMA_DIR = (...parts: string[]): string => sharedPath('vuln', 'osv-schema', ...parts);
const ADVISORIES = sharedPath('vuln', 'advisories');

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

describe('OSV records: schema and loading', { skip: needsShared }, () => {
  it('the shipped schema is upstream’s validation/schema.json, byte for byte', () => {
    assert.equal(readFileSync(join(PROJECT_ROOT, 'src', 'vuln', 'osv', 'schema.json'), 'utf8'), readFileSync(SCHEMA_DIR('validation', 'schema.json'), 'utf8'));
  });

  it('osv-schema’s own records validate, except the one without an introduced event', () => {
    const files = [
      ...readdirSync(SCHEMA_DIR('tools', 'osv-linter', 'testdata')).map((name) => SCHEMA_DIR('tools', 'osv-linter', 'testdata', name)),
      ...readdirSync(SCHEMA_DIR('tools', 'ghsa', 'testdata')).filter((name) => name.endsWith('.osv.json')).map((name) => SCHEMA_DIR('tools', 'ghsa', 'testdata', name)),
      ...readdirSync(SCHEMA_DIR('tools', 'redhat', 'testdata', 'OSV')).map((name) => SCHEMA_DIR('tools', 'redhat', 'testdata', 'OSV', name)),
    ];
    assert.equal(files.length, 12 + 11 + 2);
    const invalid = files.filter((file) => schemaProblems(readJson(file)).length > 0).map((file) => basename(file));
    assert.deepEqual(invalid, ['nointroduced-CVE-2023-41045.json']);
    assert.match(JSON.stringify(schemaProblems(readJson(SCHEMA_DIR('tools', 'osv-linter', 'testdata', 'nointroduced-CVE-2023-41045.json')))), /events/);
  });

  it('the advisory slice: 589 records load, the two withdrawn ones are left out, the invalid one and the non-records are reported', async () => {
    const loaded = await loadOsvDirectory(ADVISORIES);
    assert.equal(loaded.records.length, 589);
    assert.deepEqual(loaded.withdrawn, ['GO-2025-3543', 'PYSEC-2022-43059']);
    assert.deepEqual(
      loaded.problems.map((problem) => basename(problem.source)),
      ['GHSA-f5pg-7wfw-84q9.json', 'known-drift.json', 'manifest.json'],
    );
    assert.match(loaded.problems[0]!.message, /not a valid OSV record: \/severity\/0\/score/);
  });

  it('an all.zip export loads the same records as the files it holds, entry by entry', async (t) => {
    const dir = tempDir('osv-zip', t);
    const goDir = join(ADVISORIES, 'go');
    const names = readdirSync(goDir).filter((name) => name.endsWith('.json'));
    const zipPath = join(dir, 'all.zip');
    writeFileSync(zipPath, zipArchive([...names.map((name) => ({ name, data: readFileSync(join(goDir, name)) })), { name: 'broken.json', data: '{"id": ' }]));
    const fromZip = await loadOsvZip(zipPath);
    const fromDirectory = await loadOsvDirectory(goDir);
    assert.equal(fromZip.records.length, 181);
    assert.deepEqual(fromZip.records.map((record) => record.id), fromDirectory.records.map((record) => record.id));
    assert.deepEqual(fromZip.withdrawn, ['GO-2025-3543']);
    assert.deepEqual(fromZip.problems.map((problem) => problem.source), [`${zipPath}!broken.json`]);
  });

  it('an entry larger than a record can be is reported and not read', async (t) => {
    const dir = tempDir('osv-zip-big', t);
    const path = join(dir, 'all.zip');
    const huge = Buffer.alloc(MAX_RECORD_BYTES + 1, 0x20); // compresses to a few kilobytes
    writeFileSync(path, zipArchive([{ name: 'huge.json', data: huge }, { name: 'GO-2022-0274.json', data: readFileSync(join(ADVISORIES, 'go', 'GO-2022-0274.json')) }]));
    const loaded = await loadOsvZip(path);
    assert.deepEqual(loaded.records.map((record) => record.id), ['GO-2022-0274']);
    assert.equal(loaded.problems.length, 1);
    assert.match(loaded.problems[0]!.message, /over the 16777216-byte limit for one record/);
  });

  it('a file that is not a zip is a clear error', async (t) => {
    const path = join(tempDir('osv-notzip', t), 'all.zip');
    writeFileSync(path, 'not a zip');
    await assert.rejects(loadOsvZip(path), /End of central directory/);
  });
});
