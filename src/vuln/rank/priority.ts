/**
 * The exposure priority of a vulnerable package in a workload: deterministic, 0 to 100, explained. Half comes from
 * the advisory (its highest CVSS base score × 5, or its severity's usual score when it has none), half from what
 * the workload exposes (the points below, capped at 50). The explanation lists the exposure in this fixed order.
 */
import type { Severity } from '../../vocabulary/severity.js';
import type { Exposure } from './exposure.js';

/** The points of each exposure fact, and its phrase. Documented in docs/vuln.md "Exposure ranking". */
export const EXPOSURE_POINTS = {
  internetReachable: 20,
  allNamespaces: 10,
  privileged: 10,
  hostNamespaces: 5,
  sensitiveHostPaths: 5,
  root: 5,
  secretsClusterWide: 15,
  secretsInNamespace: 5,
  createPods: 10,
  escalate: 15,
} as const;

export const MAX_EXPOSURE_POINTS = 50;

/** Without a CVSS score, the middle of the severity's CVSS band. */
const SEVERITY_SCORE: Record<Severity, number> = { critical: 9.5, high: 8, medium: 5.5, low: 3, info: 0 };

export interface Priority {
  readonly priority: number;
  /** Phrases, most telling first: `internet-reachable (Service web of type LoadBalancer)`, `runs as root`. */
  readonly explanation: readonly string[];
}

export function severityOfScore(score: number | null): Severity {
  if (score === null) return 'medium';
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return score > 0 ? 'low' : 'info';
}

export function exposurePhrases(exposure: Exposure): { points: number; phrase: string }[] {
  const parts: { points: number; phrase: string }[] = [];
  if (exposure.internetReachable) parts.push({ points: EXPOSURE_POINTS.internetReachable, phrase: `internet-reachable (${exposure.internetReachable})` });
  else if (exposure.allNamespaces) parts.push({ points: EXPOSURE_POINTS.allNamespaces, phrase: 'reachable from every namespace (no NetworkPolicy isolates it)' });
  if (exposure.privileged) parts.push({ points: EXPOSURE_POINTS.privileged, phrase: 'privileged' });
  if (exposure.hostNamespaces.length > 0) parts.push({ points: EXPOSURE_POINTS.hostNamespaces, phrase: `shares the host's namespaces (${exposure.hostNamespaces.join(', ')})` });
  if (exposure.sensitiveHostPaths.length > 0) parts.push({ points: EXPOSURE_POINTS.sensitiveHostPaths, phrase: `mounts sensitive host paths (${exposure.sensitiveHostPaths.join(', ')})` });
  if (exposure.root) parts.push({ points: EXPOSURE_POINTS.root, phrase: 'runs as root' });
  if (exposure.secretsClusterWide) parts.push({ points: EXPOSURE_POINTS.secretsClusterWide, phrase: 'token can read Secrets cluster-wide' });
  else if (exposure.secretsInNamespace) parts.push({ points: EXPOSURE_POINTS.secretsInNamespace, phrase: 'token can read Secrets in its namespace' });
  if (exposure.createPods) parts.push({ points: EXPOSURE_POINTS.createPods, phrase: 'token can create pods' });
  if (exposure.escalate) parts.push({ points: EXPOSURE_POINTS.escalate, phrase: 'token can escalate (escalate, bind or impersonate)' });
  return parts;
}

/** `cvss`: the advisory's highest base score, or null; `severity` stands in for it then. */
export function priorityOf(cvss: number | null, severity: Severity, exposure: Exposure | null): Priority {
  const base = Math.round((cvss ?? SEVERITY_SCORE[severity]) * 5);
  if (exposure === null) return { priority: base, explanation: ['no workload in the input runs it'] };
  const parts = exposurePhrases(exposure);
  const points = Math.min(MAX_EXPOSURE_POINTS, parts.reduce((sum, part) => sum + part.points, 0));
  return { priority: Math.min(100, base + points), explanation: parts.length > 0 ? parts.map((part) => part.phrase) : ['not exposed: no outside reachability, privileges or token rights found'] };
}

/** A cluster component's CVE: the advisory's part alone (no workload exposure applies), saying which component. */
export function componentPriority(cvss: number | null, severity: Severity, component: string): Priority {
  return { priority: Math.round((cvss ?? SEVERITY_SCORE[severity]) * 5), explanation: [`the cluster's own ${component}`] };
}
