/**
 * The Kubernetes CVEs of a cluster's own components: the versions the API server (`/version` gitVersion) and the
 * kubelets (node status `kubeletVersion`, `kubeProxyVersion`) report, against the official Kubernetes CVE feed
 * in OSV form (kubernetes-sigs/cve-feed-osv: ecosystem `kubernetes`, one package per component, SEMVER ranges per
 * release branch). `vuln --cluster` calls `kubernetesCveFindings` with what it read from the cluster.
 */
import type { SeverityScore } from '../model.js';
import { cvss3BaseScore } from '../match/cvss.js';
import { loadOsv, type LoadedRecords } from '../osv/load.js';
import { evaluateAffected } from '../osv/ranges.js';
import type { OsvRecord } from '../osv/record.js';

export type KubernetesComponent = 'kube-apiserver' | 'kubelet' | 'kube-proxy' | 'kube-controller-manager' | 'kubectl';

/** The feed's package names for each component. `k8s.io/kubernetes` names the release as a whole: the API server's. */
const PACKAGES: Readonly<Record<KubernetesComponent, readonly string[]>> = {
  'kube-apiserver': ['k8s.io/apiserver', 'k8s.io/kubernetes'],
  kubelet: ['k8s.io/kubelet'],
  'kube-proxy': ['k8s.io/kube-proxy'],
  'kube-controller-manager': ['k8s.io/controller-manager'],
  kubectl: ['k8s.io/kubectl'],
};

export const KUBERNETES_COMPONENTS = Object.keys(PACKAGES) as KubernetesComponent[];

/** The feed's ecosystem name (not in the OSV schema's list). */
export const KUBERNETES_ECOSYSTEM = 'kubernetes';

export interface ComponentVersion {
  readonly component: KubernetesComponent;
  /** As the component reports it: `v1.27.1`, `v1.27.1-eks-2f008fe`, `v1.28.3+k3s1`, `v1.29.2-gke.1521000`. */
  readonly gitVersion: string;
  /** Where it runs, for findings on many nodes (`node/worker-1`); absent for the API server. */
  readonly where?: string;
}

export interface KubernetesCveFinding {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary: string | null;
  readonly component: KubernetesComponent;
  /** The feed package that matched (`k8s.io/kubelet`). */
  readonly package: string;
  readonly gitVersion: string;
  /** The release the ranges were evaluated at (`1.27.1`). */
  readonly version: string;
  /** The first fixed release on the component's branch, when there is one. */
  readonly fixedVersion: string | null;
  readonly severity: readonly SeverityScore[];
  /** Every place running this version of the component (node names), sorted. */
  readonly where: readonly string[];
}

/**
 * The upstream release a gitVersion stands for: without the `v`, and without a distribution's suffix (`-eks-…`,
 * `+k3s1`, `-gke.…`, `+rke2r1`); Kubernetes' own pre-releases (`-alpha.1`, `-beta.0`, `-rc.2`) are kept. Null when
 * the text holds no release.
 */
export function kubernetesRelease(gitVersion: string): string | null {
  const match = /^v?(\d+\.\d+\.\d+)(-(?:alpha|beta|rc)\.\d+)?/.exec(gitVersion.trim());
  return match ? `${match[1]}${match[2] ?? ''}` : null;
}

function severityOf(record: OsvRecord, affectedSeverity: readonly { type: string; score: string }[] | undefined): SeverityScore[] {
  return [...(record.severity ?? []), ...(affectedSeverity ?? [])].map((entry) => ({
    type: entry.type,
    vector: entry.score,
    score: entry.type === 'CVSS_V3' ? cvss3BaseScore(entry.score) : null,
  }));
}

/** The CVEs that affect the given component versions, one finding per (CVE, component, reported version). */
export function kubernetesCveFindings(components: readonly ComponentVersion[], records: readonly OsvRecord[]): KubernetesCveFinding[] {
  const findings = new Map<string, KubernetesCveFinding & { where: string[] }>();
  for (const { component, gitVersion, where } of components) {
    const version = kubernetesRelease(gitVersion);
    if (version === null) continue;
    for (const record of records) {
      if (record.withdrawn !== undefined) continue;
      for (const affected of record.affected ?? []) {
        const name = affected.package?.name;
        if (affected.package?.ecosystem !== KUBERNETES_ECOSYSTEM || !name || !PACKAGES[component].includes(name)) continue;
        const verdict = evaluateAffected(affected, KUBERNETES_ECOSYSTEM, version);
        if (!verdict.affected) continue;
        // By the reported gitVersion: nodes on `v1.27.1` and `v1.27.1-eks-…` are told apart in the findings.
        const key = `${record.id}\u0000${component}\u0000${gitVersion}`;
        const existing = findings.get(key);
        if (existing) {
          if (where && !existing.where.includes(where)) existing.where.push(where);
          continue;
        }
        findings.set(key, {
          id: record.id,
          aliases: record.aliases ?? [],
          summary: record.summary ?? null,
          component,
          package: name,
          gitVersion,
          version,
          fixedVersion: verdict.fixedVersion,
          severity: severityOf(record, affected.severity),
          where: where ? [where] : [],
        });
      }
    }
  }
  return [...findings.values()]
    .map((finding) => ({ ...finding, where: [...finding.where].sort() }))
    .sort((a, b) => a.component.localeCompare(b.component) || a.id.localeCompare(b.id, 'en', { numeric: true }) || a.gitVersion.localeCompare(b.gitVersion));
}

/**
 * Loads the feed's records (a directory or zip). Their ecosystem `kubernetes` is not in the OSV schema's list;
 * that one violation is accepted, any other makes a record invalid.
 */
export function loadKubernetesAdvisories(path: string): Promise<LoadedRecords> {
  return loadOsv(path, { tolerate: (problem, value) => isKubernetesEcosystemProblem(problem.path, value) });
}

/** Whether a schema violation is only the feed's `kubernetes` ecosystem name. */
export function isKubernetesEcosystemProblem(path: string, value: unknown): boolean {
  const match = /^\/affected\/(\d+)\/package(?:\/ecosystem)?$/.exec(path);
  if (!match) return false;
  const affected = (value as { affected?: { package?: { ecosystem?: unknown } }[] }).affected?.[Number(match[1])];
  return affected?.package?.ecosystem === KUBERNETES_ECOSYSTEM;
}
