/**
 * The build information the Go linker embeds in every binary (since Go 1.13; its form changed in Go 1.18): the Go
 * version, the main module and each dependency module with its version (what `go version -m` prints). It lives in the `.go.buildinfo` section (ELF)
 * or `__go_buildinfo` (Mach-O), behind a 16-byte-aligned magic; the section table is read to find it, and when a
 * binary has none the file is searched for the magic at 16-byte boundaries, as Go's debug/buildinfo does.
 */
import { PackageFileError } from './extractor.js';

export interface GoModuleVersion {
  readonly path: string;
  readonly version: string;
}

export interface GoBuildInfo {
  /** `go1.22.3` as written, `go1.22.3 X:boringcrypto` included. */
  readonly goVersion: string;
  readonly path: string | null;
  readonly main: GoModuleVersion | null;
  /** Each dependency as it was built: its replacement when it has one. */
  readonly deps: readonly (GoModuleVersion & { readonly replaces?: GoModuleVersion })[];
}

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const FLAG_INLINE = 0x2;

export const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
export const MACHO_MAGICS = [Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), Buffer.from([0xce, 0xfa, 0xed, 0xfe]), Buffer.from([0xfe, 0xed, 0xfa, 0xcf]), Buffer.from([0xfe, 0xed, 0xfa, 0xce])];

/** The file offset and size of a section, or null. */
interface Section {
  readonly offset: number;
  readonly size: number;
}

function within(file: Buffer, offset: number, size: number): boolean {
  return Number.isSafeInteger(offset) && Number.isSafeInteger(size) && offset >= 0 && size >= 0 && offset + size <= file.length;
}

function elfSection(file: Buffer, name: string): Section | null {
  if (file.length < 64) return null;
  const is64 = file[4] === 2;
  const little = file[5] === 1;
  const u16 = (at: number): number => (little ? file.readUInt16LE(at) : file.readUInt16BE(at));
  const u32 = (at: number): number => (little ? file.readUInt32LE(at) : file.readUInt32BE(at));
  const word = (at: number): number => (is64 ? Number(little ? file.readBigUInt64LE(at) : file.readBigUInt64BE(at)) : u32(at));
  const tableOffset = word(is64 ? 0x28 : 0x20);
  const entrySize = u16(is64 ? 0x3a : 0x2e);
  const count = u16(is64 ? 0x3c : 0x30);
  const namesIndex = u16(is64 ? 0x3e : 0x32);
  if (count === 0 || entrySize < (is64 ? 64 : 40) || !within(file, tableOffset, count * entrySize) || namesIndex >= count) return null;
  const header = (index: number): { name: number; offset: number; size: number } => {
    const at = tableOffset + index * entrySize;
    return { name: u32(at), offset: word(at + (is64 ? 0x18 : 0x10)), size: word(at + (is64 ? 0x20 : 0x14)) };
  };
  const names = header(namesIndex);
  if (!within(file, names.offset, names.size)) return null;
  for (let index = 0; index < count; index++) {
    const section = header(index);
    const start = names.offset + section.name;
    if (start >= names.offset + names.size) continue;
    const end = file.indexOf(0, start);
    if (end !== -1 && file.toString('latin1', start, end) === name && within(file, section.offset, section.size)) return { offset: section.offset, size: section.size };
  }
  return null;
}

function machoSection(file: Buffer, name: string): Section | null {
  if (file.length < 32) return null;
  const magic = file.readUInt32LE(0);
  const little = magic === 0xfeedfacf || magic === 0xfeedface;
  const is64 = magic === 0xfeedfacf || magic === 0xcffaedfe;
  const u32 = (at: number): number => (little ? file.readUInt32LE(at) : file.readUInt32BE(at));
  const commands = u32(16);
  let at = is64 ? 32 : 28;
  for (let command = 0; command < commands && at + 8 <= file.length; command++) {
    const kind = u32(at);
    const size = u32(at + 4);
    if (size < 8 || at + size > file.length) return null;
    // LC_SEGMENT (1) and LC_SEGMENT_64 (0x19) list their sections.
    if ((kind === 0x19 || kind === 0x1) && size >= (is64 ? 72 : 56)) {
      const sections = u32(at + (is64 ? 64 : 48));
      const sectionSize = is64 ? 80 : 68;
      for (let index = 0; index < sections; index++) {
        const entry = at + (is64 ? 72 : 56) + index * sectionSize;
        if (entry + sectionSize > at + size) break;
        const sectionName = file.toString('latin1', entry, entry + 16).replace(/\0.*$/s, '');
        if (sectionName !== name) continue;
        const sizeValue = is64 ? Number(little ? file.readBigUInt64LE(entry + 40) : file.readBigUInt64BE(entry + 40)) : u32(entry + 36);
        const offset = u32(entry + (is64 ? 48 : 40));
        return within(file, offset, sizeValue) ? { offset, size: sizeValue } : null;
      }
    }
    at += size;
  }
  return null;
}

/** The file offset of the build-info section (`.go.buildinfo`, `__go_buildinfo`) from the section table, or null. */
export function buildInfoSectionOffset(file: Buffer): number | null {
  const section = file.subarray(0, 4).equals(ELF_MAGIC) ? elfSection(file, '.go.buildinfo') : MACHO_MAGICS.some((magic) => file.subarray(0, 4).equals(magic)) ? machoSection(file, '__go_buildinfo') : null;
  return section && section.size >= 32 && file.subarray(section.offset, section.offset + MAGIC.length).equals(MAGIC) ? section.offset : null;
}

/** The offset of the build-info magic: from the section table, else the first 16-byte-aligned occurrence. */
function magicOffset(file: Buffer): number | null {
  const section = buildInfoSectionOffset(file);
  if (section !== null) return section;
  for (let at = file.indexOf(MAGIC); at !== -1; at = file.indexOf(MAGIC, at + 1)) if (at % 16 === 0) return at;
  return null;
}

/** A uvarint-prefixed string at `at`: [text, next offset]. */
function readVarString(file: Buffer, at: number): [string, number] {
  let length = 0;
  let shift = 0;
  let cursor = at;
  for (;;) {
    if (cursor >= file.length || shift > 35) throw new PackageFileError('Go build info: bad string length');
    const byte = file[cursor++] ?? 0;
    length += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
    shift += 7;
  }
  if (!within(file, cursor, length)) throw new PackageFileError('Go build info: a string runs past the end of the file');
  return [file.toString('utf8', cursor, cursor + length), cursor + length];
}

/** The modules section between its two 16-byte sentinels, as `runtime/debug.ParseBuildInfo` reads it. */
function parseModuleInfo(text: string): Omit<GoBuildInfo, 'goVersion'> {
  const body = text.length >= 33 && text[text.length - 17] === '\n' ? text.slice(16, -16) : text;
  let path: string | null = null;
  let main: GoModuleVersion | null = null;
  const deps: (GoModuleVersion & { replaces?: GoModuleVersion })[] = [];
  let last: 'main' | 'dep' | null = null;
  for (const line of body.split('\n')) {
    const [kind, ...fields] = line.split('\t');
    if (kind === 'path') path = fields.join('\t');
    else if (kind === 'mod' && fields[0]) {
      main = { path: fields[0], version: fields[1] ?? '' };
      last = 'main';
    } else if (kind === 'dep' && fields[0]) {
      deps.push({ path: fields[0], version: fields[1] ?? '' });
      last = 'dep';
    } else if (kind === '=>' && fields[0]) {
      const replacement = { path: fields[0], version: fields[1] ?? '' };
      if (last === 'dep') {
        const original = deps.pop();
        if (original) deps.push({ ...replacement, replaces: original });
      } else if (last === 'main') main = replacement;
      last = null;
    }
  }
  return { path, main, deps };
}

/** A loaded segment: where its bytes are in the file and at which address they are mapped. */
interface Segment {
  readonly address: bigint;
  readonly offset: number;
  readonly size: number;
}

/** The loaded segments of an ELF (PT_LOAD program headers) or Mach-O (LC_SEGMENT, LC_SEGMENT_64) file. */
function segments(file: Buffer): Segment[] {
  const found: Segment[] = [];
  if (file.subarray(0, 4).equals(ELF_MAGIC) && file.length >= 64) {
    const is64 = file[4] === 2;
    const little = file[5] === 1;
    const u16 = (at: number): number => (little ? file.readUInt16LE(at) : file.readUInt16BE(at));
    const u32 = (at: number): number => (little ? file.readUInt32LE(at) : file.readUInt32BE(at));
    const u64 = (at: number): bigint => (little ? file.readBigUInt64LE(at) : file.readBigUInt64BE(at));
    const table = is64 ? Number(u64(0x20)) : u32(0x1c);
    const entrySize = u16(is64 ? 0x36 : 0x2a);
    const count = u16(is64 ? 0x38 : 0x2c);
    if (entrySize < (is64 ? 56 : 32) || !within(file, table, count * entrySize)) return found;
    for (let index = 0; index < count; index++) {
      const at = table + index * entrySize;
      if (u32(at) !== 1) continue; // PT_LOAD
      found.push(is64 ? { offset: Number(u64(at + 8)), address: u64(at + 16), size: Number(u64(at + 32)) } : { offset: u32(at + 4), address: BigInt(u32(at + 8)), size: u32(at + 16) });
    }
  } else if (MACHO_MAGICS.some((magic) => file.subarray(0, 4).equals(magic)) && file.length >= 32) {
    const magic = file.readUInt32LE(0);
    const little = magic === 0xfeedfacf || magic === 0xfeedface;
    const is64 = magic === 0xfeedfacf || magic === 0xcffaedfe;
    const u32 = (at: number): number => (little ? file.readUInt32LE(at) : file.readUInt32BE(at));
    const u64 = (at: number): bigint => (little ? file.readBigUInt64LE(at) : file.readBigUInt64BE(at));
    let at = is64 ? 32 : 28;
    for (let command = 0, commands = u32(16); command < commands && at + 8 <= file.length; command++) {
      const kind = u32(at);
      const size = u32(at + 4);
      if (size < 8 || at + size > file.length) break;
      if (kind === 0x19 && size >= 72) found.push({ address: u64(at + 24), offset: Number(u64(at + 40)), size: Number(u64(at + 48)) });
      else if (kind === 0x1 && size >= 56) found.push({ address: BigInt(u32(at + 24)), offset: u32(at + 32), size: u32(at + 36) });
      at += size;
    }
  }
  return found;
}

/**
 * Before Go 1.18 the header holds the pointer size, the byte order and two pointers to Go string headers (data
 * pointer and length): `runtime.buildVersion` and `runtime.modinfo`, read through the file's loaded segments.
 */
function readPointerBuildInfo(file: Buffer, at: number): GoBuildInfo {
  const pointerSize = file[at + 14] ?? 0;
  if (pointerSize !== 4 && pointerSize !== 8) throw new PackageFileError(`Go build info: pointer size ${pointerSize}`);
  const big = ((file[at + 15] ?? 0) & 0x1) !== 0;
  const mapped = segments(file);
  const offsetOf = (address: bigint, size: number): number => {
    const segment = mapped.find((entry) => address >= entry.address && address + BigInt(size) <= entry.address + BigInt(entry.size));
    const offset = segment ? segment.offset + Number(address - segment.address) : -1;
    if (!segment || !within(file, offset, size)) throw new PackageFileError('Go build info: a pointer leads outside the file');
    return offset;
  };
  const pointer = (offset: number): bigint => (pointerSize === 8 ? (big ? file.readBigUInt64BE(offset) : file.readBigUInt64LE(offset)) : BigInt(big ? file.readUInt32BE(offset) : file.readUInt32LE(offset)));
  const goString = (address: bigint): string => {
    const header = offsetOf(address, pointerSize * 2);
    const length = Number(pointer(header + pointerSize));
    if (length === 0) return '';
    const data = offsetOf(pointer(header), length);
    return file.toString('utf8', data, data + length);
  };
  if (!within(file, at, 16 + pointerSize * 2)) throw new PackageFileError('Go build info header runs past the end of the file');
  const goVersion = goString(pointer(at + 16));
  return { goVersion, ...parseModuleInfo(goString(pointer(at + 16 + pointerSize))) };
}

/** The build info of a Go binary (Go 1.13 and later: the inline form since 1.18, pointers before), or null. */
export function readGoBuildInfo(file: Buffer): GoBuildInfo | null {
  const at = magicOffset(file);
  if (at === null) return null;
  if (!within(file, at, 32)) throw new PackageFileError('Go build info header runs past the end of the file');
  const flags = file[at + 15] ?? 0;
  if ((flags & FLAG_INLINE) === 0) return readPointerBuildInfo(file, at);
  const [goVersion, next] = readVarString(file, at + 32);
  const [modules] = readVarString(file, next);
  return { goVersion, ...parseModuleInfo(modules) };
}

/** `go1.22.3 X:boringcrypto` → `1.22.3`; null for a development toolchain (`devel go1.23-abcdef`). */
export function goToolchainVersion(goVersion: string): string | null {
  const match = /^go(\d+(?:\.\d+){0,2}(?:(?:rc|beta)\d+)?)(?:\s|$)/.exec(goVersion);
  return match?.[1] ?? null;
}
