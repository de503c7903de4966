/**
 * Debian and Ubuntu packages: dpkg's database `/var/lib/dpkg/status`, and distroless images' one-file-per-package
 * `/var/lib/dpkg/status.d/<name>` (no dpkg there). Advisories name source packages, so each binary package
 * carries its `Source:` name and version (`libc6` → `glibc`; `Source: util-linux (2.36.1-8)` when the source
 * version differs from the binary's).
 */
import type { InstalledPackage } from '../model.js';
import { eachFile, type PackageExtractor } from './extractor.js';
import { osEcosystem } from './os-release.js';
import { distroQualifier, formatPurl } from './purl.js';

export interface DpkgEntry {
  readonly name: string;
  readonly version: string;
  readonly sourceName: string;
  readonly sourceVersion: string;
  readonly architecture: string | null;
}

/** Stanzas of `Field: value` lines separated by blank lines; continuation lines (leading space) are skipped. */
function stanzas(text: string): Map<string, string>[] {
  const found: Map<string, string>[] = [];
  let current = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (current.size > 0) found.push(current);
      current = new Map();
      continue;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) continue;
    const match = /^([A-Za-z0-9][A-Za-z0-9-]*):\s*(.*)$/.exec(line);
    if (match?.[1] && !current.has(match[1])) current.set(match[1], (match[2] ?? '').trim());
  }
  if (current.size > 0) found.push(current);
  return found;
}

/**
 * The installed packages of a status file (or a status.d file). A stanza whose `Status:` says it is not installed
 * (`deinstall ok config-files`) is skipped; one with no `Status:` counts as installed (distroless writes none).
 * Like osv-scanner, a stanza with no `Package:` but a `Source:` is kept under the source name, and a missing
 * version is an empty string rather than a lost package.
 */
export function parseDpkgStatus(text: string): DpkgEntry[] {
  const entries: DpkgEntry[] = [];
  for (const fields of stanzas(text)) {
    const status = fields.get('Status');
    if (status !== undefined && status.split(/\s+/).pop() !== 'installed') continue;
    const source = /^(\S+)(?:\s*\(([^)]*)\))?/.exec(fields.get('Source') ?? '');
    const binary = fields.get('Package') ?? '';
    const name = binary || source?.[1] || '';
    if (name === '') continue;
    const version = fields.get('Version') ?? '';
    entries.push({
      name,
      version,
      sourceName: source?.[1] ?? name,
      sourceVersion: source?.[2]?.trim() || version,
      architecture: fields.get('Architecture') || null,
    });
  }
  return entries;
}

const STATUS = '/var/lib/dpkg/status';
const STATUS_D = '/var/lib/dpkg/status.d/';

export const dpkgExtractor: PackageExtractor = {
  id: 'dpkg',
  description: 'dpkg status and distroless status.d (Debian, Ubuntu)',
  maxBytes: 64 * 1024 * 1024,
  independent: false,
  wants(path) {
    if (path === STATUS) return true;
    // status.d holds `<package>` files and, beside them, `<package>.md5sums` lists of file checksums.
    return path.startsWith(STATUS_D) && !path.slice(STATUS_D.length).includes('/') && !path.endsWith('.md5sums');
  },
  extract(files, context) {
    const ecosystem = osEcosystem(context.os, 'deb');
    const namespace = context.os?.id === 'ubuntu' ? 'ubuntu' : 'debian';
    const distro = distroQualifier(context.os);
    return eachFile('dpkg', files, context, (_path, content) =>
      parseDpkgStatus(content.toString('utf8')).map((entry): InstalledPackage => ({
        ecosystem,
        name: entry.name,
        version: entry.version,
        sourceName: entry.sourceName,
        sourceVersion: entry.sourceVersion,
        purl: formatPurl({
          type: 'deb',
          namespace,
          name: entry.name,
          version: entry.version,
          qualifiers: [
            ['arch', entry.architecture],
            // As syft writes it: the source name, and its version only when that differs from the binary's.
            ['upstream', entry.sourceVersion !== entry.version ? `${entry.sourceName}@${entry.sourceVersion}` : entry.sourceName !== entry.name ? entry.sourceName : null],
            ['distro', distro],
          ],
        }),
      })),
    );
  },
};
