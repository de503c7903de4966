/**
 * The Pod Security Admission levels and namespace labels, read as the PSA plugin reads them
 * (k8s.io/pod-security-admission/api: ParseLevel, ParseVersion, PolicyToEvaluate).
 */
import { clampVersion, type KubeVersion } from '../../kube/version.js';

/** Least strict first: a pod that passes a level passes every level before it. */
export const PSA_LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type PsaLevel = (typeof PSA_LEVELS)[number];

export const LABEL_PREFIX = 'pod-security.kubernetes.io/';

export function levelRank(level: PsaLevel): number {
  return PSA_LEVELS.indexOf(level);
}

/** The next stricter level; restricted is the strictest, so it is its own next step. */
export function stricterLevel(level: PsaLevel): PsaLevel {
  return PSA_LEVELS[Math.min(levelRank(level) + 1, PSA_LEVELS.length - 1)] as PsaLevel;
}

function isPsaLevel(text: string): text is PsaLevel {
  return (PSA_LEVELS as readonly string[]).includes(text);
}

/** `v1.29`: how a version is written in an `*-version` label. */
export function versionLabel(version: KubeVersion): string {
  return `v1.${version.minor}`;
}

/** A namespace's `enforce` policy as PSA evaluates it, and whether its labels were valid. */
export interface EnforcePolicy {
  readonly level: PsaLevel;
  /** undefined: `latest` (the server's own version). */
  readonly version: KubeVersion | undefined;
  /** Labels PSA could not parse: it then enforces restricted at latest for a bad level, latest for a bad version. */
  readonly invalid: readonly string[];
}

/**
 * The enforce policy of labels, or undefined when there is no enforce label (the cluster's default applies:
 * privileged unless an AdmissionConfiguration says otherwise). As PSA: a level it cannot parse counts as
 * restricted, a version it cannot parse as latest.
 */
export function enforcePolicy(labels: Readonly<Record<string, string>>): EnforcePolicy | undefined {
  const level = labels[`${LABEL_PREFIX}enforce`];
  if (level === undefined) return undefined;
  const invalid: string[] = [];
  if (!isPsaLevel(level)) invalid.push(`${LABEL_PREFIX}enforce=${level}`);
  const versionText = labels[`${LABEL_PREFIX}enforce-version`];
  let version: KubeVersion | undefined;
  if (versionText !== undefined && versionText !== 'latest') {
    const match = /^v1\.(0|[1-9][0-9]*)$/.exec(versionText);
    if (match) version = clampVersion({ minor: Number(match[1]) });
    else invalid.push(`${LABEL_PREFIX}enforce-version=${versionText}`);
  }
  return { level: isPsaLevel(level) ? level : 'restricted', version, invalid };
}
