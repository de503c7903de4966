/**
 * Alpine (and Wolfi, Chainguard) packages: apk's database `/lib/apk/db/installed`, blank-line separated records of
 * one-letter fields (`P:` name, `V:` version, `o:` origin, the source package advisories name, `A:` arch, `c:` the
 * aports commit).
 */
import type { InstalledPackage } from '../model.js';
import { eachFile, type PackageExtractor } from './extractor.js';
import { osEcosystem } from './os-release.js';
import { distroQualifier, formatPurl } from './purl.js';

export interface ApkEntry {
  readonly name: string;
  readonly version: string;
  /** `o:`, the origin (source) package; the name itself when absent. */
  readonly origin: string;
  readonly architecture: string | null;
  /** `c:`, the aports commit the package was built from. */
  readonly commit: string | null;
}

/** Like osv-scanner: a record with no `P:` is dropped; one with no `V:` keeps an empty version. */
export function parseApkInstalled(text: string): ApkEntry[] {
  const entries: ApkEntry[] = [];
  const flush = (fields: Map<string, string>): void => {
    const name = fields.get('P');
    if (!name) return;
    entries.push({ name, version: fields.get('V') ?? '', origin: fields.get('o') || name, architecture: fields.get('A') || null, commit: fields.get('c') || null });
  };
  let fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      flush(fields);
      fields = new Map();
      continue;
    }
    const match = /^([A-Za-z]):(.*)$/.exec(line);
    if (match?.[1] && !fields.has(match[1])) fields.set(match[1], (match[2] ?? '').trim());
  }
  flush(fields);
  return entries;
}

export const apkExtractor: PackageExtractor = {
  id: 'apk',
  description: 'apk installed database (Alpine, Wolfi)',
  maxBytes: 64 * 1024 * 1024,
  independent: false,
  wants: (path) => path === '/lib/apk/db/installed',
  extract(files, context) {
    const ecosystem = osEcosystem(context.os, 'apk');
    const namespace = context.os?.id === 'wolfi' || context.os?.id === 'chainguard' ? context.os.id : 'alpine';
    const distro = distroQualifier(context.os);
    return eachFile('apk', files, context, (_path, content) =>
      parseApkInstalled(content.toString('utf8')).map((entry): InstalledPackage => ({
        ecosystem,
        name: entry.name,
        version: entry.version,
        sourceName: entry.origin,
        sourceVersion: entry.version,
        purl: formatPurl({ type: 'apk', namespace, name: entry.name, version: entry.version, qualifiers: [['arch', entry.architecture], ['upstream', entry.origin], ['distro', distro]] }),
      })),
    );
  },
};
