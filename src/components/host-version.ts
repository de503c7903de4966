/**
 * Which Kubernetes version a host runs, from what is readable under `--root` (the binaries themselves cannot be
 * run there): the image tags of the control-plane static pods (`registry.k8s.io/kube-apiserver:v1.22.17`, from any
 * registry or mirror, with or without a digest), the `kubernetesVersion` of a kubeadm ClusterConfiguration kept
 * in /etc/kubernetes, and the kubelet package recorded in dpkg's database. The kubelet binary's embedded version
 * is not read: finding it means scanning 50–120 MB for a string the linker placed nowhere in particular.
 */
import { parseImageReference } from '../kube/image-reference.js';
import { formatVersion, parseKubeVersion, type KubeVersion } from '../kube/version.js';
import { loadResources, type LoadedResource } from '../loader/source.js';
import { str, stringOf } from '../util/object.js';
import type { HostReader } from './component-config.js';
import { controlPlaneComponentOf } from './static-pod.js';

/** One place that told a version: what it is, where it was read, and the version as written there. */
export interface VersionEvidence {
  readonly what: string;
  readonly file: string;
  readonly version: string;
  readonly minor: number;
}

export interface HostVersion {
  readonly version: KubeVersion;
  readonly evidence: readonly VersionEvidence[];
  /** Why this version, in one sentence for stderr and the report. */
  readonly reason: string;
}

/** Where kubeadm's configuration is commonly kept on a control-plane host (`kubeadm init --config`). */
const KUBEADM_CONFIG_FILES = ['/etc/kubernetes/kubeadm-config.yaml', '/etc/kubernetes/kubeadm.yaml', '/etc/kubernetes/kubeadm/kubeadm-config.yaml'];
const DPKG_STATUS = '/var/lib/dpkg/status';
/** Components whose version is Kubernetes' own (etcd has its own numbering). */
const VERSIONED_COMPONENTS = new Set(['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']);

/**
 * The version to judge a host by: the oldest the evidence shows (a control plane mid-upgrade is as weak as its
 * oldest part, and a kubelet may be up to three minors older than the API server), or undefined without evidence.
 */
export function hostVersion(host: HostReader, staticPods: readonly LoadedResource[]): HostVersion | undefined {
  const evidence = [...staticPodEvidence(staticPods), ...kubeadmEvidence(host), ...dpkgEvidence(host)];
  if (evidence.length === 0) return undefined;
  const oldest = evidence.reduce((low, item) => (item.minor < low.minor ? item : low));
  const minors = new Set(evidence.map((item) => item.minor));
  const describe = (item: VersionEvidence) => `${item.what} ${item.version} (${item.file})`;
  const reason =
    minors.size === 1
      ? `${describe(oldest)}${evidence.length > 1 ? ` and ${evidence.length - 1} more agreeing` : ''}`
      : `the oldest of disagreeing versions: ${evidence.map(describe).join(', ')}`;
  return { version: { minor: oldest.minor }, evidence, reason };
}

function staticPodEvidence(staticPods: readonly LoadedResource[]): VersionEvidence[] {
  const evidence: VersionEvidence[] = [];
  for (const resource of staticPods) {
    const found = controlPlaneComponentOf(resource.object);
    if (!found || !VERSIONED_COMPONENTS.has(found.component)) continue;
    const containers = (resource.object['spec'] as Record<string, unknown>)['containers'] as unknown[];
    const image = str((containers[found.containerIndex] as Record<string, unknown>)['image']);
    const tag = image === undefined ? undefined : parseImageReference(image).tag;
    const minor = tag === undefined ? undefined : minorOf(tag);
    if (minor !== undefined) evidence.push({ what: `${found.component} image`, file: resource.document.file, version: tag as string, minor });
  }
  return evidence;
}

function kubeadmEvidence(host: HostReader): VersionEvidence[] {
  const evidence: VersionEvidence[] = [];
  for (const file of KUBEADM_CONFIG_FILES) {
    const read = host.read(file);
    if (!('text' in read)) continue;
    for (const resource of loadResources(file, Buffer.from(read.text), [], false)) {
      const { kind, apiVersion, kubernetesVersion } = resource.object;
      if (kind !== 'ClusterConfiguration' || !stringOf(apiVersion).startsWith('kubeadm.k8s.io/')) continue;
      const version = str(kubernetesVersion);
      const minor = version === undefined ? undefined : minorOf(version);
      if (minor !== undefined) evidence.push({ what: 'kubeadm ClusterConfiguration kubernetesVersion', file, version: version as string, minor });
    }
  }
  return evidence;
}

/** The kubelet package as dpkg installed it (`Version: 1.22.17-00`, `1.29.3-1.1`): Debian and Ubuntu nodes. */
function dpkgEvidence(host: HostReader): VersionEvidence[] {
  const read = host.read(DPKG_STATUS);
  if (!('text' in read)) return [];
  for (const stanza of read.text.split(/\n\s*\n/)) {
    if (!/^Package: kubelet$/m.test(stanza) || !/^Status: install ok installed$/m.test(stanza)) continue;
    const version = /^Version: (?:\d+:)?(\S+)$/m.exec(stanza)?.[1];
    const minor = version === undefined ? undefined : minorOf(version);
    if (minor !== undefined) return [{ what: 'kubelet package', file: DPKG_STATUS, version: version as string, minor }];
  }
  return [];
}

/** The minor of a version tag (`v1.22.17`, `1.22.17-00`, `v1.29.3-eks-1-29`), or undefined for anything else. */
function minorOf(text: string): number | undefined {
  const match = /^v?(1\.\d{1,3}(?:\.\d+)?)(?:[-+~_][0-9A-Za-z.+~_-]*)?$/.exec(text.trim());
  if (!match) return undefined;
  return parseKubeVersion(match[1] as string).minor;
}

/** The stderr line and report detail for the version a node scan uses. */
export function describeHostVersion(found: HostVersion | undefined, version: KubeVersion, fromFlag: boolean): string {
  if (fromFlag) return `Kubernetes ${formatVersion(version)} (--k8s-version${found ? `; the host shows ${found.reason}` : ''})`;
  if (found) return `Kubernetes ${formatVersion(version)}, from ${found.reason}`;
  return `Kubernetes ${formatVersion(version)}, the newest known: no version found under the root (static pod images, kubeadm configuration, kubelet package); give --k8s-version`;
}
