/**
 * The CVSS v3.0/v3.1 base score from a vector (`CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H` → 9.8), by the
 * formula of the CVSS v3.1 specification, section 7.1, with its Roundup of appendix A (which avoids floating-point
 * surprises such as 4.000000000000001 rounding up to 4.1). Temporal and environmental metrics in the vector are
 * allowed and ignored: the base score is what advisories publish.
 */

const WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

/** Privileges required weigh more when the scope changes. */
const PRIVILEGES = {
  unchanged: { N: 0.85, L: 0.62, H: 0.27 },
  changed: { N: 0.85, L: 0.68, H: 0.5 },
} as const;

const BASE_METRICS = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'] as const;

/** The smallest number with one decimal that is at least `value` (CVSS v3.1 appendix A). */
export function roundUp(value: number): number {
  const scaled = Math.round(value * 100000);
  return scaled % 10000 === 0 ? scaled / 100000 : (Math.floor(scaled / 10000) + 1) / 10;
}

function pick<T extends Record<string, number>>(table: T, key: string | undefined): number | null {
  return key !== undefined && Object.hasOwn(table, key) ? table[key as keyof T]! : null;
}

/** The base score, or null when the text is not a complete CVSS v3 vector. */
export function cvss3BaseScore(vector: string): number | null {
  const parts = vector.trim().split('/');
  if (!/^CVSS:3\.[01]$/.test(parts[0] ?? '')) return null;
  const metrics = new Map<string, string>();
  for (const part of parts.slice(1)) {
    const [name, value, extra] = part.split(':');
    if (name === undefined || value === undefined || extra !== undefined || metrics.has(name)) return null;
    metrics.set(name, value);
  }
  if (!BASE_METRICS.every((name) => metrics.has(name))) return null;
  const scope = metrics.get('S');
  if (scope !== 'U' && scope !== 'C') return null;
  const changed = scope === 'C';
  const av = pick(WEIGHTS.AV, metrics.get('AV'));
  const ac = pick(WEIGHTS.AC, metrics.get('AC'));
  const pr = pick(changed ? PRIVILEGES.changed : PRIVILEGES.unchanged, metrics.get('PR'));
  const ui = pick(WEIGHTS.UI, metrics.get('UI'));
  const c = pick(WEIGHTS.CIA, metrics.get('C'));
  const i = pick(WEIGHTS.CIA, metrics.get('I'));
  const a = pick(WEIGHTS.CIA, metrics.get('A'));
  if (av === null || ac === null || pr === null || ui === null || c === null || i === null || a === null) return null;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  return roundUp(Math.min(changed ? 1.08 * (impact + exploitability) : impact + exploitability, 10));
}
