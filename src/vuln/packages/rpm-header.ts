/**
 * rpm's package header, as every rpm database stores it (one blob per package): a big-endian count of index entries
 * and of data bytes, the 16-byte index entries (tag, type, offset, count), then the data. Only the tags a scan needs
 * are read; every offset is checked against the blob, so a corrupt blob is an error, never a crash or a huge read.
 */
import { PackageFileError } from './extractor.js';

const TAG = {
  name: 1000,
  version: 1001,
  release: 1002,
  epoch: 1003,
  summary: 1004,
  size: 1009,
  vendor: 1011,
  license: 1014,
  arch: 1022,
  sourceRpm: 1044,
  modularityLabel: 5096,
  sigMd5: 261,
} as const;

const TYPE = { int32: 4, string: 6, bin: 7, stringArray: 8, i18nString: 9 } as const;

export interface RpmHeader {
  readonly name: string;
  readonly version: string;
  readonly release: string;
  readonly epoch: number | null;
  readonly arch: string | null;
  readonly sourceRpm: string | null;
  readonly size: number | null;
  readonly license: string | null;
  readonly vendor: string | null;
  readonly summary: string | null;
  readonly modularityLabel: string | null;
  /** The header's MD5 as lowercase hex (`rpm -q --qf '%{SIGMD5}'`). */
  readonly sigMd5: string | null;
}

/** Entries above this are not a real package header (rpm's own limit is 0xffff). */
const MAX_ENTRIES = 0xffff;

interface IndexEntry {
  readonly type: number;
  readonly offset: number;
  readonly count: number;
}

export function parseRpmHeader(blob: Buffer): RpmHeader {
  if (blob.length < 8) throw new PackageFileError(`rpm header blob of ${blob.length} bytes is too short`);
  const entries = blob.readUInt32BE(0);
  const dataLength = blob.readUInt32BE(4);
  if (entries === 0 || entries > MAX_ENTRIES) throw new PackageFileError(`rpm header claims ${entries} index entries`);
  const dataStart = 8 + entries * 16;
  if (dataStart + dataLength > blob.length) throw new PackageFileError(`rpm header claims ${dataLength} data bytes after ${entries} entries, more than its ${blob.length} bytes`);
  const index = new Map<number, IndexEntry>();
  for (let entry = 0; entry < entries; entry++) {
    const at = 8 + entry * 16;
    const tag = blob.readUInt32BE(at);
    const type = blob.readUInt32BE(at + 4);
    const offset = blob.readUInt32BE(at + 8);
    const count = blob.readUInt32BE(at + 12);
    if (offset >= dataLength && count > 0 && type !== 0) continue;
    index.set(tag, { type, offset: dataStart + offset, count });
  }
  const end = dataStart + dataLength;
  const string = (tag: number): string | null => {
    const entry = index.get(tag);
    if (!entry || (entry.type !== TYPE.string && entry.type !== TYPE.i18nString && entry.type !== TYPE.stringArray)) return null;
    const stop = blob.indexOf(0, entry.offset);
    if (stop === -1 || stop > end) throw new PackageFileError(`rpm header tag ${tag} runs past the end of the header`);
    return blob.toString('utf8', entry.offset, stop);
  };
  const int32 = (tag: number): number | null => {
    const entry = index.get(tag);
    if (!entry || entry.type !== TYPE.int32 || entry.count < 1) return null;
    if (entry.offset + 4 > end) throw new PackageFileError(`rpm header tag ${tag} runs past the end of the header`);
    return blob.readInt32BE(entry.offset);
  };
  const binary = (tag: number): string | null => {
    const entry = index.get(tag);
    if (!entry || entry.type !== TYPE.bin) return null;
    if (entry.offset + entry.count > end) throw new PackageFileError(`rpm header tag ${tag} runs past the end of the header`);
    return blob.toString('hex', entry.offset, entry.offset + entry.count);
  };
  const name = string(TAG.name);
  if (!name) throw new PackageFileError('rpm header has no package name');
  return {
    name,
    version: string(TAG.version) ?? '',
    release: string(TAG.release) ?? '',
    epoch: int32(TAG.epoch),
    arch: string(TAG.arch),
    sourceRpm: string(TAG.sourceRpm),
    size: int32(TAG.size),
    license: string(TAG.license),
    vendor: string(TAG.vendor),
    summary: string(TAG.summary),
    modularityLabel: string(TAG.modularityLabel),
    sigMd5: binary(TAG.sigMd5),
  };
}

/** `name-version-release.src.rpm` → { name, version-release }, or null when the file name is not shaped so. */
export function splitSourceRpm(sourceRpm: string): { name: string; version: string } | null {
  const match = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(sourceRpm);
  if (!match?.[1]) return null;
  return { name: match[1], version: `${match[2]}-${match[3]}` };
}
