/**
 * What reachability is computed over: namespaces with their labels, the endpoints that send and receive traffic
 * (pods grouped by their owning workload, and one representative per workload pod template for the workloads
 * whose pods are not in the input), and the NetworkPolicies.
 */
import { stringLabels } from '../kube/label-selector.js';
import { podTemplateOf, TemplatePaths, type PodTemplateRef } from '../kube/pod-templates.js';
import { array, isRecord, record, str, type Json } from '../util/object.js';
import { SharedValues } from '../util/shared-values.js';
import { StringIds } from '../util/string-ids.js';
import { isProtocol } from './connections.js';
import { parseIp, type IpFamily } from './ip.js';
import { parsePolicy, type NamedPort, type Policy } from './policy.js';

/** The label every namespace gets from the API server, immutable and equal to its name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Where an endpoint or policy came from, for messages and findings. */
export interface Origin {
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

/** One endpoint of traffic: a pod, the pods of one workload, or a workload's pod template. */
export interface Endpoint {
  readonly namespace: string;
  /** The workload's name (the pod's own name for a bare pod). */
  readonly name: string;
  /** Deployment, StatefulSet, ReplicaSet, DaemonSet, Job, CronJob, ReplicationController, Pod... */
  readonly kind: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Container ports, for named ports in policies. */
  readonly ports: readonly NamedPort[];
  readonly hostNetwork: boolean;
  /** Pod IPs when the input has them (live pods); ipBlock peers may match them. */
  readonly ips: readonly { readonly family: IpFamily; readonly value: bigint }[];
  readonly origin: Origin | undefined;
}

/** `ns/name`, how commands and messages name an endpoint; `ns/name[Kind]` when the kind is wanted too. */
export function endpointName(endpoint: Endpoint, withKind = false): string {
  return `${endpoint.namespace}/${endpoint.name}${withKind ? `[${endpoint.kind}]` : ''}`;
}

export interface NetworkModel {
  /** Namespace name → labels, `kubernetes.io/metadata.name` included. */
  readonly namespaces: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly endpoints: readonly Endpoint[];
  readonly policies: readonly Policy[];
  /** Namespaces declared by a Namespace object (the others were only referred to). */
  readonly declaredNamespaces: ReadonlySet<string>;
}

export interface ModelProblem {
  readonly file: string;
  readonly message: string;
}

const POD_KIND = 'Pod';

/** The label a Deployment puts on its ReplicaSet's pods; the ReplicaSet is named `<deployment>-<hash>`. */
const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** The workload that controls an endpoint's objects, to tell which workloads the input has pods of. */
interface Ownership {
  readonly owner: { kind: string; name: string };
  /** A pod's `pod-template-hash` label: names its Deployment when its ReplicaSet is not in the input. */
  readonly templateHash: string | undefined;
}

/**
 * An endpoint as the builder keeps it, one object per pod or workload (a List of 200,000 Pods has as many): the
 * origin's parts are fields (its namespace is the endpoint's) and the `Origin` object is made when read; the owner
 * is the builder's business only.
 */
class ModelEndpoint implements Endpoint {
  constructor(
    readonly namespace: string,
    readonly name: string,
    readonly kind: string,
    readonly labels: Readonly<Record<string, string>>,
    readonly ports: readonly NamedPort[],
    readonly hostNetwork: boolean,
    readonly ips: Endpoint['ips'],
    private readonly originFile: string,
    private readonly originKind: string,
    private readonly originName: string,
    readonly ownership: Ownership | undefined,
  ) {}

  get origin(): Origin {
    return { file: this.originFile, kind: this.originKind, name: this.originName, namespace: this.namespace };
  }

  /** The same endpoint with more pod addresses (a new object: a model already built keeps what it had). */
  withIps(ips: Endpoint['ips']): ModelEndpoint {
    return new ModelEndpoint(this.namespace, this.name, this.kind, this.labels, this.ports, this.hostNetwork, [...this.ips, ...ips], this.originFile, this.originKind, this.originName, this.ownership);
  }
}

function workloadKey(namespace: string, kind: string, name: string): string {
  return `${namespace}\u0000${kind}\u0000${name}`;
}

/**
 * Collects objects as they are read and builds the model. Objects without a namespace go to `default`, as
 * kubectl would put them.
 */
export class NetworkModelBuilder {
  private readonly namespaceLabels = new Map<string, Record<string, string>>();
  private readonly declared = new Set<string>();
  /** Pod endpoints by `namespace\0kind\0name` of their workload (packed keys: one per Pod of a large List). */
  private readonly podKeys = new StringIds();
  private readonly pods: ModelEndpoint[] = [];
  private readonly workloads = new Map<string, ModelEndpoint>();
  private readonly policies: Policy[] = [];
  readonly problems: ModelProblem[] = [];
  /** Label sets, ports and names that many pods repeat, kept once (a List of 200,000 Pods has few distinct ones). */
  private readonly shared = new SharedValues();

  constructor(
    private readonly templatePaths: TemplatePaths = new TemplatePaths(),
    private readonly defaultNamespace = 'default',
  ) {}

  /**
   * Takes one Kubernetes object; kinds the model does not need are ignored. `template` is the object's pod
   * template when the caller already found it (the scan's inventory does). Returns the policy when the object
   * was a valid NetworkPolicy, so the caller can tell where in its file each part of it is.
   */
  add(object: Json, file: string, template?: PodTemplateRef): Policy | undefined {
    const kind = str(object.kind) ?? '';
    const apiVersion = str(object.apiVersion) ?? '';
    const metadata = record(object.metadata) ?? {};
    const namespace = str(metadata.namespace) || this.defaultNamespace;
    const name = str(metadata.name) || str(metadata.generateName) || '(unnamed)';
    if (kind === 'Namespace' && !apiVersion.includes('/')) {
      const labels = stringLabels(metadata.labels);
      this.namespaceLabels.set(name, { ...labels, [NAMESPACE_NAME_LABEL]: name });
      this.declared.add(name);
      return undefined;
    }
    if (kind === 'NetworkPolicy' && apiVersion.startsWith('networking.k8s.io/')) {
      const parsed = parsePolicy(object, this.defaultNamespace);
      if (parsed.ok) {
        this.policies.push(parsed.policy);
        this.referNamespace(parsed.policy.namespace);
        return parsed.policy;
      }
      this.problems.push({ file, message: parsed.message });
      return undefined;
    }
    if (!template) {
      const path = this.templatePaths.pathFor(apiVersion, kind);
      template = path === undefined ? undefined : podTemplateOf(object, path);
    }
    if (!template) return undefined;
    this.referNamespace(namespace);
    const owner = controllerOf(metadata);
    const origin = { file, kind: this.shared.text(kind), name, namespace: this.shared.text(namespace) };
    if (kind === POD_KIND) {
      const endpointKind = owner?.kind ?? POD_KIND;
      const endpointNameText = owner?.name ?? name;
      const { id, added } = this.podKeys.intern(workloadKey(namespace, endpointKind, endpointNameText));
      const ips = podIps(object);
      if (!added) {
        // More pods of the same workload: one endpoint with all their addresses.
        this.pods[id] = (this.pods[id] as ModelEndpoint).withIps(ips);
        return undefined;
      }
      const ownership = owner && { owner, templateHash: stringLabels(template.metadata.labels)[POD_TEMPLATE_HASH_LABEL] };
      this.pods.push(this.endpointOf(origin, endpointNameText, endpointKind, template, ips.length === 0 ? NO_IPS : ips, ownership));
      return undefined;
    }
    this.workloads.set(workloadKey(namespace, kind, name), this.endpointOf(origin, name, origin.kind, template, NO_IPS, owner && { owner, templateHash: undefined }));
    return undefined;
  }

  private endpointOf(origin: Origin, name: string, kind: string, template: PodTemplateRef, ips: Endpoint['ips'], ownership: Ownership | undefined): ModelEndpoint {
    const { metadata, spec } = template;
    return new ModelEndpoint(origin.namespace, name, this.shared.text(kind), this.shared.labels(stringLabels(metadata.labels)), this.shared.value(containerPorts(spec)), spec.hostNetwork === true, ips, origin.file, origin.kind, origin.name, ownership);
  }

  private referNamespace(name: string): void {
    if (!this.namespaceLabels.has(name)) this.namespaceLabels.set(name, { [NAMESPACE_NAME_LABEL]: name });
  }

  /**
   * Pods and workload templates together: a workload stands for its pods only when none of them is in the input,
   * so one bare debug pod among manifests does not hide every Deployment, and a live cluster's scaled-to-zero
   * Deployment or idle CronJob still counts.
   */
  build(): NetworkModel {
    const withPods = this.workloadsWithPods();
    // A workload whose owner is in the input (a Deployment's old ReplicaSets, a CronJob's finished Jobs) is the
    // owner's business: its template is a past revision, and the owner's pods or template stand for what runs.
    const ownedHere = ({ namespace, ownership }: ModelEndpoint) => ownership !== undefined && this.workloads.has(workloadKey(namespace, ownership.owner.kind, ownership.owner.name));
    const templates = [...this.workloads.entries()].filter(([key, endpoint]) => !withPods.has(key) && !ownedHere(endpoint)).map(([, endpoint]) => endpoint);
    const endpoints: Endpoint[] = [...this.pods, ...templates].sort(
      (a, b) => compare(a.namespace, b.namespace) || compare(a.name, b.name) || compare(a.kind, b.kind),
    );
    return { namespaces: this.namespaceLabels, endpoints, policies: this.policies, declaredNamespaces: this.declared };
  }

  /**
   * Keys of the workloads some pod of the input belongs to, following owners up (Pod → ReplicaSet → Deployment,
   * Pod → Job → CronJob). A ReplicaSet missing from the input is traced to its Deployment by the pods'
   * `pod-template-hash`, as the Deployment controller names it `<deployment>-<hash>`.
   */
  private workloadsWithPods(): Set<string> {
    const found = new Set<string>();
    for (const { namespace, ownership } of this.pods) {
      if (!ownership) continue;
      const { owner, templateHash } = ownership;
      let key: string | undefined = workloadKey(namespace, owner.kind, owner.name);
      if (!this.workloads.has(key) && owner.kind === 'ReplicaSet' && templateHash && owner.name.endsWith(`-${templateHash}`)) {
        key = workloadKey(namespace, 'Deployment', owner.name.slice(0, -templateHash.length - 1));
      }
      while (key !== undefined && !found.has(key)) {
        const workload = this.workloads.get(key);
        if (!workload) break;
        found.add(key);
        key = workload.ownership ? workloadKey(namespace, workload.ownership.owner.kind, workload.ownership.owner.name) : undefined;
      }
    }
    return found;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The workload a pod belongs to, named as the netpol-analyzer names it: its controller (a ReplicaSet keeps its
 * hashed name). A static pod's owner is its Node, which is no workload: such a pod stands for itself. An owner
 * reference without a kind groups the pods under the owner's name as a Pod.
 */
function controllerOf(metadata: Json): { kind: string; name: string } | undefined {
  const owners = array(metadata.ownerReferences).filter(isRecord);
  const owner = owners.find((candidate) => candidate.controller === true) ?? owners[0];
  const kind = str(owner?.kind) || POD_KIND;
  const name = str(owner?.name);
  if (!name || kind === 'Node') return undefined;
  return { kind, name };
}

function podIps(pod: Json): { family: IpFamily; value: bigint }[] {
  const status = record(pod.status) ?? {};
  const texts = new Set<string>();
  if (typeof status.podIP === 'string') texts.add(status.podIP);
  for (const entry of array(status.podIPs)) if (typeof record(entry)?.ip === 'string') texts.add(record(entry)?.ip as string);
  return [...texts].flatMap((text) => {
    const ip = parseIp(text);
    return ip ? [ip] : [];
  });
}

const NO_IPS: Endpoint['ips'] = Object.freeze([]);

/** Ports of the containers, and of sidecars (init containers that keep running), with TCP as the default protocol. */
export function containerPorts(spec: Json): NamedPort[] {
  const containers = [
    ...array(spec.containers),
    ...array(spec.initContainers).filter((container) => record(container)?.restartPolicy === 'Always'),
  ];
  const ports: NamedPort[] = [];
  for (const container of containers) {
    for (const entry of array(record(container)?.ports)) {
      const port = record(entry);
      const number = Number(port?.containerPort);
      const protocol = port?.protocol ?? 'TCP';
      if (!port || !Number.isInteger(number) || number < 1 || number > 65535 || !isProtocol(protocol)) continue;
      ports.push({ name: str(port.name) ?? '', port: number, protocol });
    }
  }
  return ports;
}

/**
 * The parts of an object the model reads, copied so that nothing points into the parsed document (its strings
 * are slices of the whole file's text): names, labels and owners; a NetworkPolicy's spec; a workload's container
 * ports, hostNetwork and pod IPs, with the pod template returned beside the copy.
 */
export function networkEssentials(object: Json, template: PodTemplateRef | undefined): { object: Json; template: PodTemplateRef | undefined } {
  const metadata = record(object.metadata) ?? {};
  const copy: Json = {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: { name: metadata.name, generateName: metadata.generateName, namespace: metadata.namespace, labels: metadata.labels, ownerReferences: metadata.ownerReferences },
  };
  if (object.kind === 'NetworkPolicy') copy.spec = object.spec;
  if (template) {
    const containers = (key: 'containers' | 'initContainers') =>
      array(template.spec[key]).map((container) => ({ restartPolicy: record(container)?.restartPolicy, ports: record(container)?.ports }));
    copy.template = {
      metadata: { labels: template.metadata.labels },
      spec: { hostNetwork: template.spec.hostNetwork, containers: containers('containers'), initContainers: containers('initContainers') },
    };
    copy.status = { podIP: record(object.status)?.podIP, podIPs: record(object.status)?.podIPs };
  }
  const detached = JSON.parse(JSON.stringify(copy)) as Json;
  const copiedTemplate = record(detached.template);
  return {
    object: detached,
    template: copiedTemplate
      ? { spec: record(copiedTemplate.spec) ?? {}, metadata: record(copiedTemplate.metadata) ?? {}, specPath: ['template', 'spec'], metadataPath: ['template', 'metadata'] }
      : undefined,
  };
}
