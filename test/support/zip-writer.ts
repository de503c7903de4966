/**
 * A minimal zip writer for tests (deflated or stored entries, no zip64), so a test can build OSV's `all.zip`
 * exports, Java archives (nested jars too) and archives that lie, without an external `zip` binary. Written from
 * the APPNOTE layout, so the reader under test (yauzl) is not its own oracle.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  readonly name: string;
  readonly data: string | Buffer;
}

const DOS_DATE_1980_01_01 = 0x21;

/** The fields local and central headers share, in the same order, from `at`: version needed … name length. */
function writeEntryFields(header: Buffer, at: number, fields: { method: number; crc: number; compressed: number; size: number; name: number }): void {
  header.writeUInt16LE(20, at); // version needed
  header.writeUInt16LE(0x0800, at + 2); // UTF-8 names
  header.writeUInt16LE(fields.method, at + 4); // 8 deflate, 0 stored
  header.writeUInt16LE(0, at + 6); // time
  header.writeUInt16LE(DOS_DATE_1980_01_01, at + 8);
  header.writeUInt32LE(fields.crc, at + 10);
  header.writeUInt32LE(fields.compressed, at + 14);
  header.writeUInt32LE(fields.size, at + 18);
  header.writeUInt16LE(fields.name, at + 22);
}

/** `stored`: entries written as they are (method 0) instead of deflated, as jars often hold them. */
export function zipArchive(entries: readonly ZipEntry[], options: { stored?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data, 'utf8');
    const compressed = options.stored ? data : deflateRawSync(data);
    const crc = crc32(data);
    const fields = { method: options.stored ? 0 : 8, crc, compressed: compressed.length, size: data.length, name: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, fields);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    writeEntryFields(central, 6, fields);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
