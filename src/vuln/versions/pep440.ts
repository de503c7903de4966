/**
 * PEP 440 version ordering (Python packages, OSV ecosystem `PyPI`): `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`
 * with the spec's alternative spellings (`alpha`, `c`, `pre`, `preview`, `-1` for post, `rev`, separators `-_.`,
 * a leading `v`, any case). The sort key follows the spec's order: epoch; release without trailing zeros; then
 * `.devN` before pre-releases before the release before post-releases; local versions after the public one, their
 * segments numeric above alphanumeric.
 */
import { compareDigits, compareText } from './numbers.js';

export interface Pep440Version {
  readonly epoch: string;
  readonly release: readonly string[];
  /** `a`, `b` or `rc` with its number. */
  readonly pre: { readonly label: string; readonly number: string } | null;
  readonly post: string | null;
  readonly dev: string | null;
  readonly local: readonly string[] | null;
}

const PEP440 = new RegExp(
  [
    '^\\s*v?',
    '(?:(\\d+)!)?',
    '(\\d+(?:\\.\\d+)*)',
    '(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\\d+)?)?',
    '(?:-(\\d+)|[-_.]?(post|rev|r)[-_.]?(\\d+)?)?',
    '(?:[-_.]?(dev)[-_.]?(\\d+)?)?',
    '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?',
    '\\s*$',
  ].join(''),
  'i',
);

const PRE_LABELS: Readonly<Record<string, string>> = { alpha: 'a', a: 'a', beta: 'b', b: 'b', c: 'rc', rc: 'rc', pre: 'rc', preview: 'rc' };

export function parsePep440(text: string): Pep440Version | null {
  const match = PEP440.exec(text);
  if (!match) return null;
  const [, epoch, release, preLabel, preNumber, postDash, postLabel, postNumber, devLabel, devNumber, local] = match;
  return {
    epoch: epoch ?? '0',
    release: release!.split('.'),
    pre: preLabel ? { label: PRE_LABELS[preLabel.toLowerCase()]!, number: preNumber ?? '0' } : null,
    post: postDash ?? (postLabel ? (postNumber ?? '0') : null),
    dev: devLabel ? (devNumber ?? '0') : null,
    local: local ? local.toLowerCase().split(/[-_.]/) : null,
  };
}

/** The normalised spelling (`1.0-dev` → `1.0.dev0`, `v1.0c1` → `1.0rc1`). */
export function normalizePep440(version: Pep440Version): string {
  let text = version.epoch.replace(/^0+(?=\d)/, '') === '0' ? '' : `${version.epoch.replace(/^0+/, '')}!`;
  text += version.release.map((part) => part.replace(/^0+(?=\d)/, '')).join('.');
  if (version.pre) text += `${version.pre.label}${version.pre.number.replace(/^0+(?=\d)/, '')}`;
  if (version.post !== null) text += `.post${version.post.replace(/^0+(?=\d)/, '')}`;
  if (version.dev !== null) text += `.dev${version.dev.replace(/^0+(?=\d)/, '')}`;
  if (version.local) text += `+${version.local.map((part) => (/^\d+$/.test(part) ? part.replace(/^0+(?=\d)/, '') : part)).join('.')}`;
  return text;
}

const PRE_ORDER: Readonly<Record<string, number>> = { a: 0, b: 1, rc: 2 };

/** Where a version stands against its release: dev-only release < pre-release < release (< post via `post`). */
function phase(version: Pep440Version): number {
  if (version.pre) return 1;
  if (version.post === null && version.dev !== null) return 0;
  return 2;
}

function compareRelease(a: readonly string[], b: readonly string[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const byNumber = compareDigits(a[i] ?? '0', b[i] ?? '0');
    if (byNumber !== 0) return byNumber;
  }
  return 0;
}

/** Absent sorts as given (`absent` = -1 below any number, 1 above). */
function compareOptional(a: string | null, b: string | null, absent: number): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? absent : -absent;
  return compareDigits(a, b);
}

function compareLocal(a: readonly string[] | null, b: readonly string[] | null): number {
  if (!a || !b) return a === b ? 0 : a ? 1 : -1;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const numericA = /^\d+$/.test(a[i]!);
    const numericB = /^\d+$/.test(b[i]!);
    const bySegment = numericA && numericB ? compareDigits(a[i]!, b[i]!) : numericA !== numericB ? (numericA ? 1 : -1) : compareText(a[i]!, b[i]!);
    if (bySegment !== 0) return bySegment;
  }
  return Math.sign(a.length - b.length);
}

export function compareParsedPep440(a: Pep440Version, b: Pep440Version): number {
  return (
    compareDigits(a.epoch, b.epoch) ||
    compareRelease(a.release, b.release) ||
    Math.sign(phase(a) - phase(b)) ||
    (a.pre && b.pre ? Math.sign(PRE_ORDER[a.pre.label]! - PRE_ORDER[b.pre.label]!) || compareDigits(a.pre.number, b.pre.number) : 0) ||
    compareOptional(a.post, b.post, -1) ||
    compareOptional(a.dev, b.dev, 1) ||
    compareLocal(a.local, b.local)
  );
}

/** Invalid versions sort below valid ones and among themselves as text, so an order always exists. */
export function comparePep440(a: string, b: string): number {
  const left = parsePep440(a);
  const right = parsePep440(b);
  if (left && right) return compareParsedPep440(left, right);
  if (left || right) return left ? 1 : -1;
  return compareText(a, b);
}
