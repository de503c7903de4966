/**
 * When each Kubernetes minor release stops getting patches upstream: the data behind K8S-VERSION-SUPPORTED.
 *
 * Source: kubernetes.io/releases (the per-release pages, and data/releases/eol.yaml of kubernetes/website, which
 * records the actual last day of releases already out of support), cross-checked with endoflife.date/kubernetes.
 * Where the two differ, the date a release really ended wins (1.27 ended 2024-07-16, not the planned 2024-06-28).
 * Releases still supported carry the end-of-life date their page published. Looked up on 2026-12-03 (see
 * RELEASES_AS_OF): 1.33 and 1.34 carry the dates their pages published, since eol.yaml did not yet list them.
 * Update this table when a release comes out or a date moves; test/controls/lifecycle checks its shape.
 */

/** One minor release: the last day upstream supports it (UTC). Out of support from the next day. */
export interface KubernetesRelease {
  readonly minor: number;
  /** `YYYY-MM-DD`. */
  readonly endOfLife: string;
}

/** The day the table was last checked against its sources. */
export const RELEASES_AS_OF = '2026-12-03';

/** 1.0 and 1.1 predate the published dates: as older minors than the first row, they count as out of support. */
export const KUBERNETES_RELEASES: readonly KubernetesRelease[] = [
  { minor: 2, endOfLife: '2016-10-23' },
  { minor: 3, endOfLife: '2016-11-01' },
  { minor: 4, endOfLife: '2017-04-21' },
  { minor: 5, endOfLife: '2017-10-01' },
  { minor: 6, endOfLife: '2017-11-23' },
  { minor: 7, endOfLife: '2018-04-04' },
  { minor: 8, endOfLife: '2018-07-12' },
  { minor: 9, endOfLife: '2018-09-29' },
  { minor: 10, endOfLife: '2019-02-13' },
  { minor: 11, endOfLife: '2019-05-01' },
  { minor: 12, endOfLife: '2019-07-08' },
  { minor: 13, endOfLife: '2019-10-15' },
  { minor: 14, endOfLife: '2019-12-11' },
  { minor: 15, endOfLife: '2020-05-06' },
  { minor: 16, endOfLife: '2020-09-02' },
  { minor: 17, endOfLife: '2021-01-13' },
  { minor: 18, endOfLife: '2021-06-18' },
  { minor: 19, endOfLife: '2021-10-28' },
  { minor: 20, endOfLife: '2022-02-28' },
  { minor: 21, endOfLife: '2022-06-28' },
  { minor: 22, endOfLife: '2022-12-08' },
  { minor: 23, endOfLife: '2023-02-28' },
  { minor: 24, endOfLife: '2023-07-28' },
  { minor: 25, endOfLife: '2023-10-28' },
  { minor: 26, endOfLife: '2024-02-28' },
  { minor: 27, endOfLife: '2024-07-16' },
  { minor: 28, endOfLife: '2024-10-22' },
  { minor: 29, endOfLife: '2025-02-28' },
  { minor: 30, endOfLife: '2025-07-15' },
  { minor: 31, endOfLife: '2025-11-11' },
  { minor: 32, endOfLife: '2026-02-28' },
  { minor: 33, endOfLife: '2026-06-28' },
  { minor: 34, endOfLife: '2026-10-27' },
  { minor: 35, endOfLife: '2027-02-28' },
  { minor: 36, endOfLife: '2027-06-28' },
  { minor: 37, endOfLife: '2027-10-28' },
];

/** What is wrong with a release table (empty when nothing): every minor once, in order, with a real date. */
export function releaseTableProblems(table: readonly KubernetesRelease[]): string[] {
  const problems: string[] = [];
  if (table.length === 0) return ['the table is empty'];
  table.forEach((release, index) => {
    if (!isDay(release.endOfLife)) problems.push(`1.${release.minor}: "${release.endOfLife}" is not a date written YYYY-MM-DD`);
    const previous = table[index - 1];
    if (!previous) return;
    if (release.minor !== previous.minor + 1) problems.push(`1.${release.minor} follows 1.${previous.minor}: minors must be consecutive and ascending`);
    else if (isDay(release.endOfLife) && isDay(previous.endOfLife) && release.endOfLife < previous.endOfLife) {
      problems.push(`1.${release.minor} ends (${release.endOfLife}) before 1.${previous.minor} (${previous.endOfLife})`);
    }
  });
  return problems;
}

/** A real calendar day written `YYYY-MM-DD` (not 2027-02-30). */
export function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === text;
}

export type SupportStatus =
  | { readonly status: 'supported'; readonly endOfLife: string }
  | { readonly status: 'ended'; readonly endOfLife: string | undefined }
  | { readonly status: 'unknown'; readonly reason: string };

/**
 * Whether upstream still supports a minor release on a day. A minor older than the table's first row ended
 * before the published dates; one newer than its last is unknown (kubeharden's table is older than the cluster).
 */
export function supportOn(minor: number, day: string, table: readonly KubernetesRelease[] = KUBERNETES_RELEASES): SupportStatus {
  const problems = releaseTableProblems(table);
  if (problems.length > 0) return { status: 'unknown', reason: `the release table is invalid: ${problems.join('; ')}` };
  const first = table[0] as KubernetesRelease;
  const last = table[table.length - 1] as KubernetesRelease;
  if (minor < first.minor) return { status: 'ended', endOfLife: undefined };
  const release = table.find((row) => row.minor === minor);
  if (!release) {
    return { status: 'unknown', reason: `kubeharden's release table ends at 1.${last.minor} (checked ${RELEASES_AS_OF}); a newer kubeharden knows 1.${minor}` };
  }
  return day > release.endOfLife ? { status: 'ended', endOfLife: release.endOfLife } : { status: 'supported', endOfLife: release.endOfLife };
}

/** Minor and patch of a version as servers and packages write it (`v1.37.2`, `1.29.3-eks-1-29`, `1.22.17-00`). */
export function parseReleaseVersion(text: string): { minor: number; patch: number | undefined } | undefined {
  const match = /^v?1\.(\d{1,3})(?:\.(\d{1,4}))?(?:[-+~_][0-9A-Za-z.+~_-]*)?$/.exec(text.trim());
  if (!match) return undefined;
  return { minor: Number(match[1]), patch: match[2] === undefined ? undefined : Number(match[2]) };
}
