/**
 * Red Hat, SUSE, Mariner, Rocky, AlmaLinux… packages: the rpm database in whichever of its three formats the image
 * has. Each package carries its source rpm's name and version, which distro advisories name.
 */
import type { InstalledPackage, OsRelease } from '../model.js';
import { baseName, eachFile, PackageFileError, type ExtractContext, type PackageExtractor } from './extractor.js';
import { osEcosystem } from './os-release.js';
import { distroQualifier, formatPurl, rpmNamespace } from './purl.js';
import { bdbBlobs, ndbBlobs, sqliteBlobs } from './rpm-databases.js';
import { parseRpmHeader, splitSourceRpm, type RpmHeader } from './rpm-header.js';

/** Where rpm keeps its database: the classic place, and /usr/lib/sysimage/rpm (openSUSE, Fedora ≥ 36). */
const RPM_FOLDERS = ['/var/lib/rpm/', '/usr/lib/sysimage/rpm/', '/usr/share/rpm/'];
const DATABASE_FILES = new Set(['rpmdb.sqlite', 'rpmdb.sqlite-wal', 'Packages.db', 'Packages']);

/** The headers of one database file, by its name; `wal` is the sqlite write-ahead log beside it, if any. */
export function readRpmDatabase(fileName: string, content: Buffer, wal?: Buffer): RpmHeader[] {
  const blobs = fileName === 'rpmdb.sqlite' ? sqliteBlobs(content, wal) : fileName === 'Packages.db' ? ndbBlobs(content) : bdbBlobs(content);
  return blobs.map((blob, index) => {
    try {
      return parseRpmHeader(blob);
    } catch (error) {
      throw new PackageFileError(`package ${index + 1}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}

/** `[epoch:]version-release`, the form rpm advisories use. */
export function rpmVersion(header: Pick<RpmHeader, 'epoch' | 'version' | 'release'>): string {
  const versionRelease = header.release ? `${header.version}-${header.release}` : header.version;
  return header.epoch !== null && header.epoch > 0 ? `${header.epoch}:${versionRelease}` : versionRelease;
}

function toPackage(header: RpmHeader, os: OsRelease | null, ecosystem: string): InstalledPackage {
  const version = rpmVersion(header);
  const source = header.sourceRpm ? splitSourceRpm(header.sourceRpm) : null;
  const epochPrefix = header.epoch !== null && header.epoch > 0 ? `${header.epoch}:` : '';
  return {
    ecosystem,
    name: header.name,
    version,
    sourceName: source?.name ?? header.name,
    sourceVersion: source ? `${epochPrefix}${source.version}` : version,
    purl: formatPurl({
      type: 'rpm',
      namespace: rpmNamespace(os),
      name: header.name,
      version: header.release ? `${header.version}-${header.release}` : header.version,
      qualifiers: [
        ['arch', header.arch],
        ['epoch', header.epoch !== null && header.epoch > 0 ? String(header.epoch) : null],
        ['upstream', header.sourceRpm],
        ['distro', distroQualifier(os)],
      ],
    }),
  };
}

export const rpmExtractor: PackageExtractor = {
  id: 'rpm',
  description: 'rpm database: sqlite, NDB and Berkeley DB (Red Hat, SUSE, Mariner, Rocky, AlmaLinux)',
  maxBytes: 512 * 1024 * 1024,
  independent: false,
  wants(path) {
    const folder = RPM_FOLDERS.find((prefix) => path.startsWith(prefix));
    return folder !== undefined && DATABASE_FILES.has(path.slice(folder.length));
  },
  extract(files: ReadonlyMap<string, Buffer>, context: ExtractContext) {
    const ecosystem = osEcosystem(context.os, 'rpm');
    // The write-ahead log is read with its database, not on its own.
    const databases = new Map([...files].filter(([path]) => !path.endsWith('-wal')));
    return eachFile('rpm', databases, context, (path, content) =>
      readRpmDatabase(baseName(path), content, files.get(`${path}-wal`))
        // gpg-pubkey entries are the keys rpm trusts, not software: no advisory names them.
        .filter((header) => header.name !== 'gpg-pubkey')
        .map((header) => toPackage(header, context.os, ecosystem)),
    );
  },
};
