/**
 * The distribution an image runs, from `/etc/os-release` (or `/usr/lib/os-release`, or Alpine's `/etc/alpine-release`),
 * and the OSV ecosystem its OS packages belong to: advisories are per release (`Debian:12`, `Alpine:v3.19`).
 */
import type { OsRelease } from '../model.js';

/** The files that say which distribution an image is, most authoritative first. */
export const OS_RELEASE_PATHS = ['/etc/os-release', '/usr/lib/os-release', '/etc/alpine-release'] as const;

/** `KEY=value` lines as os-release(5) writes them: shell-quoted values, `#` comments. */
export function parseOsRelease(text: string): OsRelease {
  const fields = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!match?.[1]) continue;
    fields.set(match[1], unquote(match[2] ?? ''));
  }
  const id = (fields.get('ID') ?? '').toLowerCase();
  const prettyName = fields.get('PRETTY_NAME');
  return { id: id || 'linux', versionId: fields.get('VERSION_ID') || null, ...(prettyName ? { prettyName } : {}) };
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
    const inner = value.slice(1, -1);
    return quote === '"' ? inner.replace(/\\([\\"$`])/g, '$1') : inner;
  }
  return value.replace(/\s+#.*$/, '');
}

/** The distribution from whichever of {@link OS_RELEASE_PATHS} the files hold, or null. */
export function osReleaseOf(files: ReadonlyMap<string, Buffer>): OsRelease | null {
  for (const path of OS_RELEASE_PATHS.slice(0, 2)) {
    const text = files.get(path);
    if (text) return parseOsRelease(text.toString('utf8'));
  }
  const alpine = files.get('/etc/alpine-release');
  if (alpine) return { id: 'alpine', versionId: alpine.toString('utf8').trim() || null };
  return null;
}

/** `major.minor` of a dotted version (`3.19.1` → `3.19`), or the whole thing when it has no dot. */
function majorMinor(version: string): string {
  const match = /^(\d+)(?:\.(\d+))?/.exec(version);
  if (!match) return version;
  return match[2] === undefined ? (match[1] ?? version) : `${match[1]}.${match[2]}`;
}

function major(version: string): string {
  return /^\d+/.exec(version)?.[0] ?? version;
}

/** The kind of OS package database: the ecosystem of an unknown distribution falls back to its family. */
export type OsPackageFamily = 'deb' | 'apk' | 'rpm';

const FAMILY_DEFAULT: Record<OsPackageFamily, string> = { deb: 'Debian', apk: 'Alpine', rpm: 'Red Hat' };

/**
 * The OSV ecosystem of an OS package, following the strings osv-scanner sends to osv.dev (see
 * ../shared/vuln/osv-scanner/api-query-oracle): `Debian:9`, `Ubuntu:22.04`, `Alpine:v3.17`, `openSUSE:Leap 15.5`.
 */
export function osEcosystem(os: OsRelease | null, family: OsPackageFamily): string {
  if (!os) return FAMILY_DEFAULT[family];
  const version = os.versionId;
  switch (os.id) {
    case 'debian':
      return version ? `Debian:${major(version)}` : 'Debian';
    case 'ubuntu':
      return version ? `Ubuntu:${majorMinor(version)}` : 'Ubuntu';
    case 'alpine':
      return version ? `Alpine:v${majorMinor(version)}` : 'Alpine';
    case 'rhel':
      return 'Red Hat';
    case 'rocky':
      return version ? `Rocky Linux:${major(version)}` : 'Rocky Linux';
    case 'almalinux':
      return version ? `AlmaLinux:${major(version)}` : 'AlmaLinux';
    case 'opensuse-leap':
      return version ? `openSUSE:Leap ${version}` : 'openSUSE';
    case 'opensuse-tumbleweed':
      return 'openSUSE:Tumbleweed';
    case 'sles':
    case 'sled':
    case 'sles_sap':
    case 'sle-micro':
      return os.prettyName ? `SUSE:${os.prettyName.replace(/^SUSE\s+/, '')}` : 'SUSE';
    case 'mariner':
      return 'Mariner';
    case 'azurelinux':
      return version ? `Azure Linux:${majorMinor(version)}` : 'Azure Linux';
    case 'photon':
      return version ? `Photon OS:${majorMinor(version)}` : 'Photon OS';
    case 'wolfi':
      return 'Wolfi';
    case 'chainguard':
      return 'Chainguard';
    case 'openeuler':
      return version ? `openEuler:${version}` : 'openEuler';
    default:
      // A distribution OSV has no advisories for (Fedora, CentOS, Amazon Linux…): name it rather than pretend it
      // is its family's flagship, so no Red Hat or Debian advisory is matched against it by mistake.
      return os.prettyName ?? os.id;
  }
}
