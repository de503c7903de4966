/**
 * A purl as an OSV package: `pkg:deb/debian/libssl1.1@1.1.0l-1~deb9u5?upstream=openssl&distro=debian-9` is the
 * binary package libssl1.1 of source openssl in ecosystem `Debian:9`. The distro qualifier gives the release, as
 * osv-scanner reads syft's and Trivy's SBOMs.
 */
import type { InstalledPackage, OsRelease } from '../model.js';
import { osEcosystem } from '../packages/os-release.js';
import { normalizePythonName } from '../packages/python.js';
import { parsePurl, type Purl } from '../packages/purl.js';
import { splitSourceRpm } from '../packages/rpm-header.js';

/** purl types whose OSV ecosystem needs no distribution. */
const LANGUAGE_ECOSYSTEMS: Record<string, string> = {
  npm: 'npm',
  pypi: 'PyPI',
  golang: 'Go',
  maven: 'Maven',
  cargo: 'crates.io',
  gem: 'RubyGems',
  nuget: 'NuGet',
  composer: 'Packagist',
  hex: 'Hex',
  pub: 'Pub',
  hackage: 'Hackage',
  cran: 'CRAN',
  swift: 'SwiftURL',
};

/** `debian-9`, `alpine-3.17.2`, `rhel-9.2` → an OsRelease; the namespace when there is no qualifier. */
function distroOf(purl: Purl, fallbackId: string): OsRelease {
  const distro = purl.qualifiers.get('distro');
  if (!distro) return { id: fallbackId, versionId: null };
  const match = /^([a-z][a-z0-9_-]*?)-(\d[\w.]*)$/i.exec(distro);
  // A codename (`debian-stretch`) says no number: keep the id only.
  return match?.[1] ? { id: match[1].toLowerCase(), versionId: match[2] ?? null } : { id: distro.toLowerCase().replace(/-.*$/, ''), versionId: null };
}

/** The rpm purl namespace → the os-release id whose ecosystem it shares. */
const RPM_VENDOR_ID: Record<string, string> = { redhat: 'rhel', suse: 'sles', opensuse: 'opensuse-leap', rocky: 'rocky', almalinux: 'almalinux', mariner: 'mariner', azurelinux: 'azurelinux', photon: 'photon', openeuler: 'openeuler' };

/** The OSV package a purl names, or null when its type has no OSV ecosystem (`pkg:generic/…`) or it has no version. */
export function packageOfPurl(text: string): InstalledPackage | null {
  const purl = parsePurl(text);
  if (!purl || !purl.version) return null;
  const upstream = purl.qualifiers.get('upstream');
  switch (purl.type) {
    case 'deb': {
      const os = distroOf(purl, purl.namespace ?? 'debian');
      const at = upstream?.indexOf('@') ?? -1;
      return {
        ecosystem: osEcosystem({ ...os, id: purl.namespace === 'ubuntu' ? 'ubuntu' : os.id === 'ubuntu' ? 'ubuntu' : 'debian' }, 'deb'),
        name: purl.name,
        version: purl.version,
        sourceName: upstream ? (at === -1 ? upstream : upstream.slice(0, at)) : purl.name,
        sourceVersion: upstream && at !== -1 ? upstream.slice(at + 1) : purl.version,
        purl: text,
      };
    }
    case 'apk': {
      const os = distroOf(purl, purl.namespace ?? 'alpine');
      return { ecosystem: osEcosystem(os, 'apk'), name: purl.name, version: purl.version, sourceName: upstream?.replace(/@.*$/, '') || purl.name, sourceVersion: purl.version, purl: text };
    }
    case 'rpm': {
      const namespaceId = RPM_VENDOR_ID[purl.namespace ?? 'redhat'] ?? purl.namespace ?? 'rhel';
      const os = distroOf(purl, namespaceId);
      const epoch = purl.qualifiers.get('epoch');
      const prefix = epoch && epoch !== '0' ? `${epoch}:` : '';
      const source = upstream ? splitSourceRpm(upstream) : null;
      return {
        ecosystem: osEcosystem({ ...os, id: namespaceId === 'rhel' || namespaceId === 'sles' ? namespaceId : os.id }, 'rpm'),
        name: purl.name,
        version: `${prefix}${purl.version}`,
        sourceName: source?.name ?? purl.name,
        sourceVersion: source ? `${prefix}${source.version}` : `${prefix}${purl.version}`,
        purl: text,
      };
    }
    default: {
      const ecosystem = LANGUAGE_ECOSYSTEMS[purl.type];
      if (!ecosystem) return null;
      let name = purl.namespace ? `${purl.namespace}/${purl.name}` : purl.name;
      // An npm namespace is the scope; some writers leave out its `@` (`pkg:npm/acme/component`).
      if (purl.type === 'npm' && purl.namespace) name = `${purl.namespace.startsWith('@') ? '' : '@'}${name}`;
      let version = purl.version;
      if (purl.type === 'maven') name = `${purl.namespace ?? ''}:${purl.name}`;
      else if (purl.type === 'pypi') name = normalizePythonName(name);
      else if (purl.type === 'golang' && version.startsWith('v')) version = version.slice(1);
      return { ecosystem, name, version, purl: text };
    }
  }
}
