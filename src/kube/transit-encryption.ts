/**
 * How pod-to-pod traffic gets encrypted, as Kubernetes objects show it: a service mesh (Istio's PeerAuthentication
 * modes and sidecar or ambient membership, Linkerd's proxy injection) or the CNI (Cilium's WireGuard or IPsec in
 * its `cilium-config` ConfigMap, Calico's WireGuard in the `default` FelixConfiguration).
 */
import { array, record, str, stringOf, type Json } from '../util/object.js';
import { stringLabels } from './label-selector.js';

/** Istio's namespace for mesh-wide configuration (meshConfig.rootNamespace), as every Istio install defaults it. */
export const ISTIO_ROOT_NAMESPACE = 'istio-system';

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

/** One PeerAuthentication: where it applies and what it asks for (undefined mode: UNSET, inherit from above). */
export interface PeerAuthentication {
  readonly namespace: string;
  readonly name: string;
  /** spec.selector.matchLabels; undefined: the whole namespace (or mesh, in the root namespace). */
  readonly selector: Readonly<Record<string, string>> | undefined;
  readonly mode: MtlsMode | undefined;
  /** Ports given a mode of their own (portLevelMtls) that accept plaintext. */
  readonly plaintextPorts: readonly string[];
}

export function isPeerAuthentication(apiVersion: string, kind: string): boolean {
  return kind === 'PeerAuthentication' && apiVersion.startsWith('security.istio.io/');
}

function mode(value: unknown): MtlsMode | undefined {
  return value === 'STRICT' || value === 'PERMISSIVE' || value === 'DISABLE' ? value : undefined;
}

export function parsePeerAuthentication(object: Json, defaultNamespace: string): PeerAuthentication {
  const metadata = record(object.metadata) ?? {};
  const spec = record(object.spec) ?? {};
  const matchLabels = record(record(spec.selector)?.matchLabels);
  const selector = matchLabels && Object.keys(matchLabels).length > 0 ? stringLabels(matchLabels) : undefined;
  const plaintextPorts = Object.entries(record(spec.portLevelMtls) ?? {})
    .filter(([, setting]) => {
      const portMode = mode(record(setting)?.mode);
      return portMode === 'PERMISSIVE' || portMode === 'DISABLE';
    })
    .map(([port]) => port);
  return {
    namespace: str(metadata.namespace) || defaultNamespace,
    name: str(metadata.name) ?? '(unnamed)',
    selector,
    mode: mode(record(spec.mtls)?.mode),
    plaintextPorts,
  };
}

/** The mTLS mode Istio applies to a workload's inbound traffic, and which PeerAuthentication decided it. */
export interface EffectiveMtls {
  readonly mode: MtlsMode;
  /** `shop/strict`, or "Istio's default" when no PeerAuthentication sets a mode. */
  readonly source: string;
  /** Ports a workload-level PeerAuthentication opens to plaintext. */
  readonly plaintextPorts: readonly string[];
}

function matchesAll(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/**
 * Istio's precedence: a workload-level policy (selector matching the pod) over the namespace's policy over the
 * root namespace's mesh-wide policy; UNSET inherits from the next level; PERMISSIVE when nothing sets a mode.
 * Istio picks the oldest of several policies at one level; manifests carry no creation time, so when they
 * disagree the weakest mode is taken.
 */
export function effectiveMtls(policies: readonly PeerAuthentication[], namespace: string, labels: Readonly<Record<string, string>>): EffectiveMtls {
  const levels = [
    policies.filter((policy) => policy.namespace === namespace && policy.selector !== undefined && matchesAll(policy.selector, labels)),
    policies.filter((policy) => policy.namespace === namespace && policy.selector === undefined),
    namespace === ISTIO_ROOT_NAMESPACE ? [] : policies.filter((policy) => policy.namespace === ISTIO_ROOT_NAMESPACE && policy.selector === undefined),
  ];
  const plaintextPorts = [...new Set((levels[0] ?? []).flatMap((policy) => policy.plaintextPorts))];
  for (const level of levels) {
    const decided = level.filter((policy) => policy.mode !== undefined);
    if (decided.length === 0) continue;
    const weakest = decided.reduce((a, b) => (MODE_STRENGTH[b.mode as MtlsMode] < MODE_STRENGTH[a.mode as MtlsMode] ? b : a));
    return { mode: weakest.mode as MtlsMode, source: `PeerAuthentication ${weakest.namespace}/${weakest.name}`, plaintextPorts };
  }
  return { mode: 'PERMISSIVE', source: "Istio's default (no PeerAuthentication sets a mode)", plaintextPorts };
}

const MODE_STRENGTH: Record<MtlsMode, number> = { DISABLE: 0, PERMISSIVE: 1, STRICT: 2 };

/** What a namespace's labels and annotations say about mesh membership. */
export interface NamespaceMesh {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** What a pod template says about mesh membership: its labels, annotations and container names. */
export interface PodMesh {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly containers: readonly string[];
}

export function podMeshOf(metadata: Json, spec: Json): PodMesh {
  const names = (key: 'containers' | 'initContainers') => array(spec[key]).map((container) => str(record(container)?.name) ?? '');
  return { labels: stringLabels(metadata.labels), annotations: stringLabels(metadata.annotations), containers: [...names('containers'), ...names('initContainers')] };
}

export type Mesh = 'istio' | 'istio-ambient' | 'linkerd';

/**
 * The mesh a pod is in, as the injectors decide it. Istio: an `istio-proxy` container (already injected), the
 * pod's `sidecar.istio.io/inject` label or annotation, else the namespace's `istio-injection` or `istio.io/rev`
 * label; ambient mode by `istio.io/dataplane-mode: ambient` on the namespace or pod (`none` on the pod opts out).
 * Linkerd: a `linkerd-proxy` container, or `linkerd.io/inject: enabled` (or `ingress`) on the pod, else on the
 * namespace (`disabled` on the pod opts out).
 */
export function meshOf(pod: PodMesh, namespace: NamespaceMesh | undefined): Mesh | undefined {
  const nsLabels = namespace?.labels ?? {};
  if (pod.containers.includes('istio-proxy')) return 'istio';
  if (pod.containers.includes('linkerd-proxy')) return 'linkerd';
  const podInject = pod.labels['sidecar.istio.io/inject'] ?? pod.annotations['sidecar.istio.io/inject'];
  const istioSidecar = podInject !== undefined ? podInject === 'true' : nsLabels['istio-injection'] === 'enabled' || (nsLabels['istio-injection'] === undefined && nsLabels['istio.io/rev'] !== undefined);
  if (istioSidecar) return 'istio';
  const podDataplane = pod.labels['istio.io/dataplane-mode'];
  if (podDataplane === 'ambient' || (podDataplane === undefined && nsLabels['istio.io/dataplane-mode'] === 'ambient')) return 'istio-ambient';
  const linkerd = pod.annotations['linkerd.io/inject'] ?? namespace?.annotations['linkerd.io/inject'];
  if (linkerd === 'enabled' || linkerd === 'ingress') return 'linkerd';
  return undefined;
}

/** Does the pod template or namespace show that a mesh is in use at all (injection asked for or refused)? */
export function showsMesh(labels: Readonly<Record<string, string>>, annotations: Readonly<Record<string, string>>): boolean {
  return ['istio-injection', 'istio.io/rev', 'sidecar.istio.io/inject', 'istio.io/dataplane-mode'].some((key) => key in labels || key in annotations) ||
    'linkerd.io/inject' in annotations;
}

/** CNI encryption a cluster-wide object turns on, off (undefined: the object says nothing about it). */
export interface CniEncryption {
  /** `Cilium (ConfigMap kube-system/cilium-config)`. */
  readonly cni: string;
  /** `WireGuard`, `IPsec`, or undefined when the object shows the CNI without encryption. */
  readonly encryption: string | undefined;
}

/**
 * Cilium's agent reads `enable-wireguard` and `enable-ipsec` from the `cilium-config` ConfigMap (string values);
 * Calico's Felix reads `wireguardEnabled` / `wireguardEnabledV6` from the FelixConfiguration named `default`
 * (per-node FelixConfigurations, `node.<name>`, are not read). A DaemonSet named `cilium` or `calico-node`
 * shows the CNI with its default, no encryption.
 */
export function cniEncryptionOf(object: Json): CniEncryption | undefined {
  const apiVersion = str(object.apiVersion) ?? '';
  const kind = str(object.kind) ?? '';
  const metadata = record(object.metadata) ?? {};
  const name = str(metadata.name) ?? '';
  const where = `${kind} ${str(metadata.namespace) ? `${str(metadata.namespace)}/` : ''}${name}`;
  if (kind === 'ConfigMap' && !apiVersion.includes('/') && name === 'cilium-config') {
    const data = record(object.data) ?? {};
    const on = (key: string) => stringOf(data[key]).toLowerCase() === 'true';
    return { cni: `Cilium (${where})`, encryption: on('enable-wireguard') ? 'WireGuard' : on('enable-ipsec') ? 'IPsec' : undefined };
  }
  if (kind === 'FelixConfiguration' && /^(crd\.)?projectcalico\.org\//.test(apiVersion) && name === 'default') {
    const spec = record(object.spec) ?? {};
    return { cni: `Calico (${where})`, encryption: spec.wireguardEnabled === true || spec.wireguardEnabledV6 === true ? 'WireGuard' : undefined };
  }
  if (kind === 'DaemonSet' && apiVersion.startsWith('apps/') && (name === 'cilium' || name === 'calico-node')) {
    return { cni: `${name === 'cilium' ? 'Cilium' : 'Calico'} (${where})`, encryption: undefined };
  }
  return undefined;
}
