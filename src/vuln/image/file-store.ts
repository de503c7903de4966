/**
 * Named files of an OCI image layout or a `docker save` tarball, read the same way whether they sit in a folder
 * or inside a tar: a tarball is indexed once (headers only) and each member is then streamed from its offset, so
 * a multi-gigabyte tarball is never read into memory nor read twice.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ImageError } from './digest.js';

export interface FileStore {
  /** For messages: the folder or tarball. */
  readonly location: string;
  /** The member's size, or null when there is none. */
  size(name: string): Promise<number | null>;
  open(name: string): Readable;
}

/** Member names are ours (`index.json`, `blobs/sha256/<hex>`) or a tarball's manifest.json: refuse any that climb out. */
function checkName(name: string, location: string): string {
  const parts = name.split('/');
  if (name.startsWith('/') || parts.some((part) => part === '..')) throw new ImageError(`${location}: refusing the member name ${JSON.stringify(name)}`);
  return parts.filter((part) => part !== '' && part !== '.').join('/');
}

export function directoryStore(folder: string): FileStore {
  return {
    location: folder,
    async size(name) {
      try {
        const info = await stat(join(folder, checkName(name, folder)));
        return info.isFile() ? info.size : null;
      } catch {
        return null;
      }
    },
    open(name) {
      return createReadStream(join(folder, checkName(name, folder)));
    },
  };
}

interface TarMember {
  readonly offset: number;
  readonly size: number;
}

const BLOCK = 512;

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
}

function octal(block: Buffer, start: number, length: number): number {
  // Base-256 (GNU) for sizes of 8 GiB and more: the high bit of the first byte is set.
  if ((block[start]! & 0x80) !== 0) {
    let value = 0;
    for (let index = start + 1; index < start + length; index++) value = value * 256 + block[index]!;
    return value;
  }
  const text = field(block, start, length).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

/** `length key=value\n` records of a pax extended header. */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let position = 0;
  while (position < data.length) {
    const space = data.indexOf(0x20, position);
    if (space === -1) break;
    const length = parseInt(data.subarray(position, space).toString('ascii'), 10);
    if (!Number.isSafeInteger(length) || length <= 0) break;
    const record = data.subarray(space + 1, position + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals !== -1) records.set(record.slice(0, equals), record.slice(equals + 1));
    position += length;
  }
  return records;
}

/** Indexes the regular files of a tarball by name (ustar, pax and GNU long names), reading headers only. */
export async function tarStore(file: string): Promise<FileStore> {
  const handle = await open(file, 'r');
  const members = new Map<string, TarMember>();
  try {
    const { size: fileSize } = await handle.stat();
    const header = Buffer.alloc(BLOCK);
    let offset = 0;
    let longName: string | null = null;
    let pax: Map<string, string> | null = null;
    const readData = async (at: number, length: number) => {
      if (length > 1024 * 1024) throw new ImageError(`${file}: a tar metadata entry of ${length} bytes`);
      const data = Buffer.alloc(length);
      await handle.read(data, 0, length, at);
      return data;
    };
    while (offset + BLOCK <= fileSize) {
      await handle.read(header, 0, BLOCK, offset);
      if (header.every((byte) => byte === 0)) break;
      const type = String.fromCharCode(header[156]!);
      let size = octal(header, 124, 12);
      const dataOffset = offset + BLOCK;
      if (type === 'x') {
        pax = paxRecords(await readData(dataOffset, size));
      } else if (type === 'L') {
        longName = (await readData(dataOffset, size)).toString('utf8').replace(/\0+$/, '');
      } else if (type !== 'g') {
        const prefix = field(header, 345, 155);
        const shortName = field(header, 0, 100);
        const name = pax?.get('path') ?? longName ?? (prefix && field(header, 257, 6).startsWith('ustar') ? `${prefix}/${shortName}` : shortName);
        if (pax?.has('size')) size = Number(pax.get('size'));
        if (type === '0' || type === '\0' || type === '7') {
          members.set(name.split('/').filter((part) => part !== '' && part !== '.').join('/'), { offset: dataOffset, size });
        }
        pax = null;
        longName = null;
      }
      offset = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
      if (offset > fileSize) throw new ImageError(`${file}: the tarball is truncated (a member runs past its end)`);
    }
  } catch (error) {
    throw error instanceof ImageError ? error : new ImageError(`${file}: not a readable tarball: ${(error as Error).message}`);
  } finally {
    await handle.close();
  }
  return {
    location: file,
    async size(name) {
      return members.get(checkName(name, file))?.size ?? null;
    },
    open(name) {
      const member = members.get(checkName(name, file));
      if (!member) throw new ImageError(`${file}: has no member ${name}`);
      if (member.size === 0) return Readable.from([]);
      return createReadStream(file, { start: member.offset, end: member.offset + member.size - 1 });
    },
  };
}
