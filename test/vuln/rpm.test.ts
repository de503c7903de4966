/**
 * The rpm reader against real rpm databases (../shared/vuln/pkgdb-fixtures/rpm, from go-rpmdb): SLE 15's NDB
 * `Packages.db` must give exactly the 35 packages `rpm -qa` listed, in its order and with every field compared;
 * Mariner's `rpmdb.sqlite` 129 packages with curl's fields; the Berkeley DB `Packages` its one libuuid.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, it } from 'node:test';
import { packagesOf } from '../../src/vuln/packages/extractors.js';
import { readRpmDatabase } from '../../src/vuln/packages/rpm.js';
import { needsShared, SHARED_PRESENT, sharedPath } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';

const ROOT = sharedPath('vuln', 'pkgdb-fixtures', 'rpm');

interface ListedPackage {
  epoch: number | null;
  name: string;
  version: string;
  release: string;
  arch: string;
  source_rpm: string;
  size: number;
  license: string;
  vendor: string;
  modularitylabel: string;
  summary: string;
  sigmd5: string;
}

interface SinglePackage {
  pkg_name: string;
  file: string;
  want: { Name: string; Version: string; Release: string; Arch: string; SourceRpm: string; License: string; Vendor: string; Summary: string; SigMD5: string; Size: number; Epoch: number | null };
}

const expected = SHARED_PRESENT
  ? (JSON.parse(readFileSync(`${ROOT}/expected.json`, 'utf8')) as { package_lists: { file: string; packages: ListedPackage[] }[]; single_packages: SinglePackage[] })
  : { package_lists: [], single_packages: [] };

function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

describe('rpm databases', { skip: needsShared }, () => {
  it('SLE 15 NDB Packages.db: exactly the 35 packages rpm -qa listed, every field', () => {
    const list = expected.package_lists[0];
    assert.ok(list);
    const headers = readRpmDatabase('Packages.db', readFileSync(`${ROOT}/${list.file}`));
    assert.equal(headers.length, 35);
    assert.deepEqual(
      headers.map((header) => ({
        epoch: header.epoch,
        name: header.name,
        version: header.version,
        release: header.release,
        arch: header.arch,
        source_rpm: header.sourceRpm,
        size: header.size,
        license: header.license,
        vendor: header.vendor,
        modularitylabel: header.modularityLabel ?? '',
        summary: header.summary,
        sigmd5: header.sigMd5,
      })),
      list.packages,
    );
  });

  for (const single of expected.single_packages) {
    it(`${single.file}: ${single.pkg_name} with every field go-rpmdb checks`, () => {
      const headers = readRpmDatabase(fileName(single.file), readFileSync(`${ROOT}/${single.file}`));
      assert.equal(headers.length, fileName(single.file) === 'rpmdb.sqlite' ? 129 : 1);
      const header = headers.find((candidate) => candidate.name === single.pkg_name);
      assert.ok(header);
      const { want } = single;
      assert.deepEqual(
        [header.name, header.version, header.release, header.arch, header.sourceRpm, header.license, header.vendor, header.summary, header.sigMd5, header.size, header.epoch],
        [want.Name, want.Version, want.Release, want.Arch, want.SourceRpm, want.License, want.Vendor, want.Summary, want.SigMD5, want.Size, want.Epoch],
      );
    });
  }

  it('packagesOf maps rpm packages to their source rpm and the distribution ecosystem', async () => {
    const files = new Map([
      ['/var/lib/rpm/Packages', readFileSync(`${ROOT}/testdata/libuuid/Packages`)],
      ['/etc/os-release', Buffer.from('ID="rocky"\nVERSION_ID="8.8"\nPRETTY_NAME="Rocky Linux 8.8 (Green Obsidian)"\n')],
    ]);
    const result = await packagesOf(files, { layerOf: () => 'sha256:base' });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.packages, [
      {
        ecosystem: 'Rocky Linux:8',
        name: 'libuuid',
        version: '2.32.1-42.el8_8',
        sourceName: 'util-linux',
        sourceVersion: '2.32.1-42.el8_8',
        purl: 'pkg:rpm/rocky/libuuid@2.32.1-42.el8_8?arch=x86_64&upstream=util-linux-2.32.1-42.el8_8.src.rpm&distro=rocky-8.8',
        path: '/var/lib/rpm/Packages',
        layer: 'sha256:base',
      },
    ]);
  });

  it('the sqlite database in /usr/lib/sysimage/rpm of a Mariner image: 129 packages, ecosystem Mariner', async () => {
    const files = new Map([
      ['usr/lib/sysimage/rpm/rpmdb.sqlite', readFileSync(`${ROOT}/testdata/cbl-mariner-2.0/rpmdb.sqlite`)],
      ['etc/os-release', Buffer.from('NAME="Common Base Linux Mariner"\nVERSION="2.0.20220226"\nID=mariner\nVERSION_ID=2.0\n')],
    ]);
    const result = await packagesOf(files);
    assert.deepEqual(result.problems, []);
    assert.equal(result.packages.length, 129);
    assert.deepEqual(new Set(result.packages.map((found) => found.ecosystem)), new Set(['Mariner']));
    const curl = result.packages.find((found) => found.name === 'curl');
    assert.deepEqual([curl?.version, curl?.sourceName, curl?.sourceVersion], ['7.76.0-6.cm2', 'curl', '7.76.0-6.cm2']);
  });

  it('rpmdb.sqlite is read with its write-ahead log: changes not yet checkpointed count', async (t) => {
    const folder = tempDir('rpmdb-wal', t);
    const file = join(folder, 'rpmdb.sqlite');
    copyFileSync(`${ROOT}/testdata/cbl-mariner-2.0/rpmdb.sqlite`, file);
    const db = new Database(file);
    try {
      db.pragma('wal_autocheckpoint = 0');
      // A package installed again (its blob copied under a new number), as an rpm transaction would add one.
      db.prepare("INSERT INTO Packages (blob) SELECT blob FROM Packages WHERE hnum = (SELECT MIN(hnum) FROM Packages)").run();
      // Copied while the database is open: the new row lives only in the -wal file, as in an image layer.
      const database = readFileSync(file);
      const wal = readFileSync(`${file}-wal`);
      assert.ok(wal.length > 0);
      assert.deepEqual([readRpmDatabase('rpmdb.sqlite', database, wal).length, readRpmDatabase('rpmdb.sqlite', database).length], [130, 129]);
      // Through packagesOf the log is found beside its database (the copy is the same package: counted once).
      const result = await packagesOf(new Map([['/var/lib/rpm/rpmdb.sqlite', database], ['/var/lib/rpm/rpmdb.sqlite-wal', wal]]));
      assert.deepEqual([result.packages.length, result.problems], [129, []]);
    } finally {
      db.close();
    }
  });

  it('a corrupt database is a problem naming the file, not a crash', async () => {
    const ndb = readFileSync(`${ROOT}/testdata/sle15-bci/Packages.db`);
    const truncated = ndb.subarray(0, 20_000);
    const result = await packagesOf(new Map([['/var/lib/rpm/Packages.db', truncated], ['/var/lib/rpm/rpmdb.sqlite', Buffer.from('SQLite format 3\u0000garbage')]]));
    assert.deepEqual(result.packages, []);
    assert.deepEqual(
      result.problems.map((problem) => problem.path),
      ['/var/lib/rpm/Packages.db', '/var/lib/rpm/rpmdb.sqlite'],
    );
  });
});
