/**
 * Kubernetes minor versions. Every control is gated on them, so they are plain
 * numbers (the major is always 1) and compare with < and >=.
 */

/** The newest version the catalog knows. Newer requests clamp to it, as the PSA plugin does. */
export const NEWEST_KNOWN_MINOR = 37;

export interface KubeVersion {
  /** Minor version, e.g. 29 for 1.29. */
  readonly minor: number;
}

export class VersionError extends Error {}

/** Accepts "1.29", "v1.29", "1.29.3", "v1.29.3-gke.100" and "latest". */
export function parseKubeVersion(text: string): KubeVersion {
  const trimmed = text.trim();
  if (trimmed === 'latest') return { minor: NEWEST_KNOWN_MINOR };
  const match = /^v?1\.(\d{1,3})(?:\.\d+)?(?:[-+][0-9A-Za-z.+-]*)?$/.exec(trimmed);
  if (!match) {
    throw new VersionError(`invalid Kubernetes version "${text}": expected a version such as 1.29 or v1.29`);
  }
  return clampVersion({ minor: Number(match[1]) });
}

/** Versions newer than the catalog evaluate as the newest known version. */
export function clampVersion(version: KubeVersion): KubeVersion {
  return version.minor > NEWEST_KNOWN_MINOR ? { minor: NEWEST_KNOWN_MINOR } : version;
}

export function formatVersion(version: KubeVersion): string {
  return `1.${version.minor}`;
}
