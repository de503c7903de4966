/**
 * The words of vulnerability scanning, shared by its three parts: reading images (src/vuln/image/), finding the
 * packages inside them (src/vuln/packages/) and matching packages against advisories (src/vuln/match/, src/vuln/osv/).
 * Each part produces or consumes these types only, so they can be built and tested apart.
 */

/**
 * A package found in an image, a lockfile or an SBOM, named the way OSV names it so it can be matched directly.
 * `ecosystem` is an OSV ecosystem string: `Debian:12`, `Ubuntu:22.04`, `Alpine:v3.19`, `Red Hat`, `npm`, `PyPI`,
 * `Go`, `Maven`, `crates.io`, … (see ../shared/vuln/osv-schema/ecosystems.json).
 */
export interface InstalledPackage {
  readonly ecosystem: string;
  readonly name: string;
  readonly version: string;
  /** The source package (Debian/Ubuntu `Source:`, Alpine `origin`, rpm source rpm name): distro advisories name it. */
  readonly sourceName?: string;
  readonly sourceVersion?: string;
  /**
   * The rpm epoch, when the package database records one (`version` then holds `version-release` without it):
   * Red Hat-family advisories write it into their versions (`1:5.1-7`), others do not, so the matcher adds it.
   */
  readonly epoch?: number;
  /** Package URL (purl), for SBOMs. */
  readonly purl?: string;
  /** Where it was found: the file inside the image or tree (`/var/lib/dpkg/status`, `/app/package-lock.json`). */
  readonly path?: string;
  /** The digest of the image layer that introduced the file it was read from. */
  readonly layer?: string;
}

/** The operating system of an image, from `/etc/os-release` (or `/usr/lib/os-release`). */
export interface OsRelease {
  /** `ID`: debian, ubuntu, alpine, rhel, … */
  readonly id: string;
  /** `VERSION_ID`: 12, 22.04, 3.19.1, … */
  readonly versionId: string | null;
  readonly prettyName?: string;
}

/** What an image holds: its identity and packages. */
export interface ImageInventory {
  /** The reference the user gave (`registry/repo:tag`, a layout directory, a tarball). */
  readonly reference: string;
  /** The image manifest's digest (`sha256:…`) when known. */
  readonly digest: string | null;
  /** `linux/amd64`, … */
  readonly platform: string | null;
  readonly os: OsRelease | null;
  /** Layer digests, base first. */
  readonly layers: readonly string[];
  readonly packages: readonly InstalledPackage[];
}

export interface SeverityScore {
  /** `CVSS_V3`, `CVSS_V4`, … as in OSV. */
  readonly type: string;
  readonly vector: string;
  /** The base score computed from the vector, when it could be. */
  readonly score: number | null;
}

/** One advisory that affects one package. */
export interface VulnerabilityMatch {
  readonly package: InstalledPackage;
  /** The OSV id (`GHSA-…`, `DLA-3008-1`, `CVE-…`, `GO-…`). */
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary: string | null;
  readonly severity: readonly SeverityScore[];
  /** The lowest fixed version on the package's branch, when there is one. */
  readonly fixedVersion: string | null;
}
