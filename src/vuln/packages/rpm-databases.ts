/**
 * The three on-disk rpm databases, each reduced to its list of header blobs: SQLite (`rpmdb.sqlite`, rpm ≥ 4.16:
 * Fedora 33+, RHEL 9, Mariner), NDB (`Packages.db`, SUSE) and Berkeley DB hash (`Packages`, RHEL/CentOS ≤ 8). The
 * layouts follow rpm's own backends (lib/backend/{sqlite,ndb/rpmpkg,bdb_ro}.c); bounds are checked everywhere.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PackageFileError } from './extractor.js';

/**
 * The blobs of the `Packages` table. SQLite cannot read a write-ahead log from memory, so the database (and its
 * `-wal`, when the image has one: recent changes live only there) are written to a private temporary folder.
 */
export function sqliteBlobs(database: Buffer, wal: Buffer | undefined): Buffer[] {
  if (database.subarray(0, 16).toString('latin1') !== 'SQLite format 3\u0000') throw new PackageFileError('not an SQLite database');
  const folder = mkdtempSync(join(tmpdir(), 'kubeharden-rpmdb-'));
  try {
    const file = join(folder, 'rpmdb.sqlite');
    writeFileSync(file, database, { mode: 0o600 });
    if (wal) writeFileSync(`${file}-wal`, wal, { mode: 0o600 });
    // Read-only: the copy is ours, but nothing is ever written back; SQLite may still make its -shm beside it.
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare('SELECT blob FROM Packages ORDER BY hnum').raw().all() as [unknown][];
      return rows.flatMap(([blob]) => (Buffer.isBuffer(blob) ? [blob] : []));
    } catch (error) {
      throw new PackageFileError(`not an rpm SQLite database: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      db.close();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const NDB_HEADER_MAGIC = 0x506d7052; // 'RpmP', little-endian
const NDB_SLOT_MAGIC = 0x746f6c53; // 'Slot'
const NDB_BLOB_MAGIC = 0x53626c42; // 'BlbS'
const NDB_PAGE = 4096;
const NDB_SLOT = 16;
const NDB_MAX_SLOT_PAGES = 2048;

/** rpm's NDB package file: a 32-byte header, slot pages pointing at 16-byte blocks, each blob behind a blob header. */
export function ndbBlobs(file: Buffer): Buffer[] {
  if (file.length < 32 || file.readUInt32LE(0) !== NDB_HEADER_MAGIC) throw new PackageFileError('not an rpm NDB database (bad magic)');
  if (file.readUInt32LE(4) !== 0) throw new PackageFileError(`unsupported rpm NDB version ${file.readUInt32LE(4)}`);
  const slotPages = file.readUInt32LE(12);
  if (slotPages === 0 || slotPages > NDB_MAX_SLOT_PAGES) throw new PackageFileError(`rpm NDB database claims ${slotPages} slot pages`);
  const slots = (slotPages * NDB_PAGE) / NDB_SLOT - 2;
  if (32 + slots * NDB_SLOT > file.length) throw new PackageFileError('rpm NDB slot pages run past the end of the file');
  const blobs: Buffer[] = [];
  for (let slot = 0; slot < slots; slot++) {
    const at = 32 + slot * NDB_SLOT;
    if (file.readUInt32LE(at) !== NDB_SLOT_MAGIC) throw new PackageFileError(`rpm NDB slot ${slot} has a bad magic`);
    const packageIndex = file.readUInt32LE(at + 4);
    if (packageIndex === 0) continue;
    const blobAt = file.readUInt32LE(at + 8) * 16;
    if (blobAt + 16 > file.length || file.readUInt32LE(blobAt) !== NDB_BLOB_MAGIC) throw new PackageFileError(`rpm NDB slot ${slot} points at no blob`);
    if (file.readUInt32LE(blobAt + 4) !== packageIndex) throw new PackageFileError(`rpm NDB blob of slot ${slot} belongs to another package`);
    const length = file.readUInt32LE(blobAt + 12);
    if (blobAt + 16 + length > file.length) throw new PackageFileError(`rpm NDB blob of slot ${slot} runs past the end of the file`);
    blobs.push(file.subarray(blobAt + 16, blobAt + 16 + length));
  }
  return blobs;
}

const BDB_HASH_MAGIC = 0x061561;
const BDB_PAGE_HEADER = 26;
const BDB_HASH_UNSORTED = 2;
const BDB_HASH = 13;
const BDB_OVERFLOW = 7;
const BDB_OFFPAGE_ITEM = 3;

/**
 * Berkeley DB's hash access method, read-only like rpm's bdb_ro backend: every hash page's values are off-page
 * items whose bytes span a chain of overflow pages. The file's byte order is the metadata magic's.
 */
export function bdbBlobs(file: Buffer): Buffer[] {
  if (file.length < 512) throw new PackageFileError('not a Berkeley DB file (too short)');
  const little = file.readUInt32LE(12) === BDB_HASH_MAGIC;
  if (!little && file.readUInt32BE(12) !== BDB_HASH_MAGIC) throw new PackageFileError('not a Berkeley DB hash database (bad magic)');
  const u32 = (at: number): number => (little ? file.readUInt32LE(at) : file.readUInt32BE(at));
  const u16 = (at: number): number => (little ? file.readUInt16LE(at) : file.readUInt16BE(at));
  const pageSize = u32(20);
  if (pageSize < 512 || pageSize > 65_536 || (pageSize & (pageSize - 1)) !== 0) throw new PackageFileError(`Berkeley DB page size ${pageSize} is not valid`);
  const lastPage = u32(32);
  if ((lastPage + 1) * pageSize > file.length) throw new PackageFileError('Berkeley DB claims more pages than the file holds');
  const blobs: Buffer[] = [];
  for (let page = 0; page <= lastPage; page++) {
    const start = page * pageSize;
    const type = file[start + 25];
    if (type !== BDB_HASH_UNSORTED && type !== BDB_HASH) continue;
    const entries = u16(start + 20);
    if (entries % 2 !== 0 || BDB_PAGE_HEADER + entries * 2 > pageSize) throw new PackageFileError(`Berkeley DB hash page ${page} has a bad index`);
    // Keys and values alternate; the value of each pair is the second.
    for (let entry = 1; entry < entries; entry += 2) {
      const item = start + u16(start + BDB_PAGE_HEADER + entry * 2);
      if (item + 12 > start + pageSize || file[item] !== BDB_OFFPAGE_ITEM) continue;
      blobs.push(overflowChain(file, u32(item + 4), u32(item + 8), pageSize, lastPage, u32, u16));
    }
  }
  return blobs;
}

function overflowChain(file: Buffer, first: number, length: number, pageSize: number, lastPage: number, u32: (at: number) => number, u16: (at: number) => number): Buffer {
  const parts: Buffer[] = [];
  let total = 0;
  const seen = new Set<number>();
  for (let page = first; page !== 0; ) {
    if (page > lastPage || seen.has(page)) throw new PackageFileError(`Berkeley DB overflow chain is broken at page ${page}`);
    seen.add(page);
    const start = page * pageSize;
    if (file[start + 25] !== BDB_OVERFLOW) throw new PackageFileError(`Berkeley DB page ${page} is not an overflow page`);
    const next = u32(start + 16);
    // On the last page the "free area offset" field holds how many bytes of it are used.
    const used = next === 0 ? Math.min(u16(start + 22), pageSize - BDB_PAGE_HEADER) : pageSize - BDB_PAGE_HEADER;
    parts.push(file.subarray(start + BDB_PAGE_HEADER, start + BDB_PAGE_HEADER + used));
    total += used;
    if (total > length + pageSize) throw new PackageFileError('Berkeley DB overflow chain is longer than its item');
    page = next;
  }
  return Buffer.concat(parts).subarray(0, length);
}
