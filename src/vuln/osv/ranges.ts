/**
 * Whether one version of a package is affected by one `affected[]` entry of an OSV record, exactly as the OSV
 * schema's "Evaluation" section says: the version is listed in `versions`, or some range has it at or after an
 * `introduced` event without a later `fixed` at or below it or `last_affected` below it, events taken in version
 * order whatever order the record lists them in, and the version below one of the range's `limit` events if it
 * has any (`*` is infinity). `introduced: "0"` sorts before every version.
 *
 * `SEMVER` ranges compare as SemVer 2.0 (versions outside the strict grammar by osv-scanner's lenient reading);
 * `ECOSYSTEM` ranges use the ecosystem's own ordering, and are skipped when we have none for it; `GIT` ranges
 * name commits, which a package version is not, so they are skipped (the `versions` list still applies).
 */
import { comparatorFor, type VersionComparator } from '../versions/ecosystem.js';
import { compareLenientSemver } from '../versions/semver.js';
import type { OsvAffected, OsvRange, RangeEvent } from './record.js';

export interface AffectedVerdict {
  readonly affected: boolean;
  /** The `fixed` event that ends the range holding the version (its branch's fix), when it is affected. */
  readonly fixedVersion: string | null;
}

const NOT_AFFECTED: AffectedVerdict = { affected: false, fixedVersion: null };

type EventKind = 'introduced' | 'fixed' | 'last_affected' | 'limit';

interface Event {
  readonly kind: EventKind;
  readonly version: string;
}

function eventOf(event: RangeEvent): Event {
  const kind = Object.keys(event)[0] as EventKind;
  return { kind, version: (event as Record<EventKind, string>)[kind] };
}

/** At one version, `introduced` goes first, so a `fixed` or `last_affected` at the same version wins. */
const TIE_ORDER: Readonly<Record<EventKind, number>> = { introduced: 0, last_affected: 1, fixed: 2, limit: 3 };

function compareToEvent(compare: VersionComparator, version: string, event: Event): number {
  if (event.kind === 'introduced' && event.version === '0') return 1;
  if (event.kind === 'limit' && event.version.includes('*')) return -1;
  return compare(version, event.version);
}

function sortEvents(compare: VersionComparator, events: readonly Event[]): Event[] {
  return [...events].sort((a, b) => {
    const zeroA = a.kind === 'introduced' && a.version === '0';
    const zeroB = b.kind === 'introduced' && b.version === '0';
    if (zeroA || zeroB) return zeroA === zeroB ? 0 : zeroA ? -1 : 1;
    return compare(a.version, b.version) || TIE_ORDER[a.kind] - TIE_ORDER[b.kind];
  });
}

export function rangeComparator(range: OsvRange, ecosystem: string): VersionComparator | null {
  if (range.type === 'SEMVER') return compareLenientSemver;
  if (range.type === 'ECOSYSTEM') return comparatorFor(ecosystem);
  return null;
}

/** One range's verdict; null when the range cannot be evaluated for a package version (GIT, unknown ordering). */
export function evaluateRange(range: OsvRange, ecosystem: string, version: string): AffectedVerdict | null {
  const compare = rangeComparator(range, ecosystem);
  if (!compare) return null;
  const events = range.events.map(eventOf);
  const limits = events.filter((event) => event.kind === 'limit');
  if (limits.length > 0 && !limits.some((limit) => compareToEvent(compare, version, limit) < 0)) return NOT_AFFECTED;
  let vulnerable = false;
  const sorted = sortEvents(compare, events);
  for (const event of sorted) {
    const relation = compareToEvent(compare, version, event);
    if (event.kind === 'introduced' && relation >= 0) vulnerable = true;
    else if (event.kind === 'fixed' && relation >= 0) vulnerable = false;
    else if (event.kind === 'last_affected' && relation > 0) vulnerable = false;
  }
  if (!vulnerable) return NOT_AFFECTED;
  const fix = sorted.find((event) => event.kind === 'fixed' && compareToEvent(compare, version, event) < 0);
  return { affected: true, fixedVersion: fix?.version ?? null };
}

/**
 * The verdict of one `affected[]` entry for a version. An empty version (unknown) counts as affected, as
 * osv-scanner has it: nothing shows the package is outside the ranges.
 */
export function evaluateAffected(affected: OsvAffected, ecosystem: string, version: string): AffectedVerdict {
  const ranges = affected.ranges ?? [];
  if (version === '') return { affected: true, fixedVersion: null };
  let verdict: AffectedVerdict = NOT_AFFECTED;
  for (const range of ranges) {
    const result = evaluateRange(range, ecosystem, version);
    if (result?.affected) {
      verdict = result;
      if (result.fixedVersion !== null) return result;
    }
  }
  if (verdict.affected) return verdict;
  return affected.versions?.includes(version) ? { affected: true, fixedVersion: null } : NOT_AFFECTED;
}
