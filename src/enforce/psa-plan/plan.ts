import type { TemplatePaths } from '../../kube/pod-templates.js';
import type { KubeVersion } from '../../kube/version.js';
import type { LoadedResource } from '../../loader/source.js';
import { enforcePolicy, LABEL_PREFIX, levelRank, PSA_LEVELS, stricterLevel, versionLabel, type PsaLevel } from './levels.js';
import { workloadLevel, type LevelViolation, type WorkloadLevel } from './workload-level.js';

/** An object with a pod template, in the namespace it runs in. */
export interface PlanWorkload {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** The manifest file, or the object's API path in a cluster. */
  readonly file: string;
  readonly resource: LoadedResource;
}

export interface PlanInput {
  readonly workloads: readonly PlanWorkload[];
  /** Each Namespace object read, with its labels. A namespace with workloads but no object here has unknown labels. */
  readonly namespaces: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

/**
 * How a namespace's current `enforce` label compares with the level its workloads pass at the target version:
 * `missing` (no enforce label, or no Namespace object in the input), `weaker` (a less strict level: room to
 * tighten), `stronger` (a stricter level than passes at the target version, or one that rejects a workload at the
 * version it pins: rollouts of those workloads are, or after an upgrade will be, refused), `matches`.
 */
export const LABEL_STATUSES = ['missing', 'weaker', 'stronger', 'matches'] as const;
export type LabelStatus = (typeof LABEL_STATUSES)[number];

export interface WorkloadRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly file: string;
}

export interface WorkloadVerdict extends WorkloadRef {
  /** The strictest level it passes at the target version. */
  readonly passes: PsaLevel;
}

export interface BlockingWorkload extends WorkloadRef {
  /** Why it fails the namespace's next level. */
  readonly violations: readonly LevelViolation[];
}

export interface NamespacePlan {
  readonly name: string;
  /** Whether a Namespace object was read (in manifests it may live elsewhere, so its labels are unknown). */
  readonly namespaceObject: boolean;
  readonly workloads: readonly WorkloadVerdict[];
  /** The strictest level every workload passes at the target version. */
  readonly passes: PsaLevel;
  /** The next stricter level, or null when the namespace passes restricted. */
  readonly next: PsaLevel | null;
  /** The workloads that fail `next`, and why. */
  readonly blocking: readonly BlockingWorkload[];
  /** The labels to set. */
  readonly labels: Readonly<Record<string, string>>;
  /** The namespace's current `pod-security.kubernetes.io/*` labels. */
  readonly current: Readonly<Record<string, string>>;
  readonly status: LabelStatus;
  /** Workloads the current enforce label rejects at the version it pins (latest: the target version). */
  readonly rejectedByCurrent: readonly WorkloadRef[];
  /** Current labels PSA cannot parse (it then enforces restricted, or the latest version). */
  readonly invalidLabels: readonly string[];
  /** The recommended labels whose current value differs (absent ones included). */
  readonly changes: Readonly<Record<string, string>>;
}

export interface PsaPlan {
  readonly version: KubeVersion;
  readonly namespaces: readonly NamespacePlan[];
}

/** The labels that roll a namespace out at `level`: enforce it, warn and audit what the next step would break. */
export function recommendedLabels(level: PsaLevel, version: KubeVersion): Record<string, string> {
  const pinned = versionLabel(version);
  const next = stricterLevel(level);
  return {
    [`${LABEL_PREFIX}enforce`]: level,
    [`${LABEL_PREFIX}enforce-version`]: pinned,
    // warn and audit are pinned too: unpinned they judge by the server's latest, not the version enforce uses.
    [`${LABEL_PREFIX}warn`]: next,
    [`${LABEL_PREFIX}warn-version`]: pinned,
    [`${LABEL_PREFIX}audit`]: next,
    [`${LABEL_PREFIX}audit-version`]: pinned,
  };
}

/** The strictest level every one of the levels passes: restricted for a namespace with no workloads. */
export function strictestPassing(levels: readonly PsaLevel[]): PsaLevel {
  return levels.reduce<PsaLevel>((lowest, level) => (levelRank(level) < levelRank(lowest) ? level : lowest), 'restricted');
}

/**
 * The status of the current labels: `rejecting` is whether the current enforce policy refuses a workload at the
 * version it pins.
 */
export function labelStatus(current: PsaLevel | undefined, passes: PsaLevel, rejecting: boolean): LabelStatus {
  if (current === undefined) return 'missing';
  if (rejecting || levelRank(current) > levelRank(passes)) return 'stronger';
  return levelRank(current) < levelRank(passes) ? 'weaker' : 'matches';
}

function podSecurityLabels(labels: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(labels ?? {}).filter(([key]) => key.startsWith(LABEL_PREFIX)).sort(([a], [b]) => a.localeCompare(b)));
}

const refOf = (workload: PlanWorkload): WorkloadRef => ({ apiVersion: workload.apiVersion, kind: workload.kind, name: workload.name, file: workload.file });

export interface PlanOptions {
  /** The target version: workloads are judged by it, and every `*-version` label pins it. */
  readonly version: KubeVersion;
  /** What a current `enforce-version: latest` (or none) means: the server's version; default the target. */
  readonly latest?: KubeVersion;
  readonly templatePaths: TemplatePaths;
}

/** Per namespace (every namespace with workloads, and every Namespace object read), sorted by name. */
export function planNamespaces(input: PlanInput, options: PlanOptions): PsaPlan {
  const { version, templatePaths } = options;
  const judged = new Map<PlanWorkload, Map<number, WorkloadLevel>>();
  const levelAt = (workload: PlanWorkload, at: KubeVersion): WorkloadLevel => {
    let byVersion = judged.get(workload);
    if (!byVersion) judged.set(workload, (byVersion = new Map()));
    let level = byVersion.get(at.minor);
    if (!level) byVersion.set(at.minor, (level = workloadLevel(workload.resource, at, templatePaths)));
    return level;
  };
  const byNamespace = new Map<string, PlanWorkload[]>();
  for (const name of input.namespaces.keys()) byNamespace.set(name, []);
  for (const workload of input.workloads) {
    const list = byNamespace.get(workload.namespace);
    if (list) list.push(workload);
    else byNamespace.set(workload.namespace, [workload]);
  }
  const namespaces = [...byNamespace].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, workloads]): NamespacePlan => {
    const levels = workloads.map((workload) => levelAt(workload, version));
    const passes = strictestPassing(levels.map((level) => level.passes));
    const next = passes === 'restricted' ? null : stricterLevel(passes);
    const blocking = next === null ? [] : workloads.flatMap((workload, index) => {
      const level = levels[index] as WorkloadLevel;
      const violations = next === 'baseline' ? level.baseline : level.restricted;
      return violations.length === 0 ? [] : [{ ...refOf(workload), violations }];
    });
    const labels = recommendedLabels(passes, version);
    const objectLabels = input.namespaces.get(name);
    const current = podSecurityLabels(objectLabels);
    const policy = enforcePolicy(current);
    const rejectedByCurrent = policy === undefined || policy.level === 'privileged'
      ? []
      : workloads.filter((workload) => levelRank(levelAt(workload, policy.version ?? options.latest ?? version).passes) < levelRank(policy.level)).map(refOf);
    const changes = Object.fromEntries(Object.entries(labels).filter(([key, value]) => current[key] !== value));
    return {
      name,
      namespaceObject: objectLabels !== undefined,
      workloads: workloads.map((workload, index) => ({ ...refOf(workload), passes: (levels[index] as WorkloadLevel).passes })),
      passes,
      next,
      blocking,
      labels,
      current,
      status: labelStatus(policy?.level, passes, rejectedByCurrent.length > 0),
      rejectedByCurrent,
      invalidLabels: policy?.invalid ?? [],
      changes,
    };
  });
  return { version, namespaces };
}

/** How many namespaces pass each level and have each status. */
export function planCounts(plan: PsaPlan): { readonly passes: Record<PsaLevel, number>; readonly status: Record<LabelStatus, number> } {
  const passes = Object.fromEntries(PSA_LEVELS.map((level) => [level, 0])) as Record<PsaLevel, number>;
  const status = Object.fromEntries(LABEL_STATUSES.map((value) => [value, 0])) as Record<LabelStatus, number>;
  for (const namespace of plan.namespaces) {
    passes[namespace.passes]++;
    status[namespace.status]++;
  }
  return { passes, status };
}
