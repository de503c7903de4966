/**
 * What reachability is computed over: namespaces with their labels, the endpoints that send and receive traffic
 * (pods grouped by their owning workload, and one representative per workload pod template for the workloads
 * whose pods are not in the input), and the NetworkPolicies.
 */
import { stringLabels } from '../kube/label-selector.js';
import { podTemplateOf, TemplatePaths, type PodTemplateRef } from '../kube/pod-templates.js';
import { array, isRecord, record, numberOf, str, type Json } from '../util/object.js';
import { SharedValues } from '../util/shared-values.js';
import { grown, StringIds } from '../util/string-ids.js';
import { isProtocol } from './connections.js';
import { EndpointTable, type Endpoint, type EndpointIps, type GroupShape, type Origin } from './endpoint-table.js';
import { parseIp, type IpFamily } from './ip.js';
import { parsePolicy, type NamedPort, type Policy } from './policy.js';

/** The label every namespace gets from the API server, immutable and equal to its name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export type { Endpoint, EndpointGroup, EndpointIps, Origin } from './endpoint-table.js';

/** `ns/name`, how commands and messages name an endpoint; `ns/name[Kind]` when the kind is wanted too. */
export function endpointName(endpoint: Endpoint, withKind = false): string {
  return `${endpoint.namespace}/${endpoint.name}${withKind ? `[${endpoint.kind}]` : ''}`;
}

export interface NetworkModel {
  /** Namespace name → labels, `kubernetes.io/metadata.name` included. */
  readonly namespaces: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Endpoints sorted by namespace, name and kind, grouped by what reachability depends on. */
  readonly endpoints: EndpointTable;
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

/** A workload's pod template as the builder keeps it (one per workload object: far fewer than pods). */
interface TemplateEndpoint {
  readonly namespace: string;
  readonly name: string;
  readonly kind: string;
  readonly group: number;
  readonly file: string;
  readonly ownership: Ownership | undefined;
}

function workloadKey(namespace: string, kind: string, name: string): string {
  return `${namespace}\u0000${kind}\u0000${name}`;
}

export interface ModelOptions {
  /**
   * false: every endpoint is a group of its own, made without the grouping key, so reachability computes each one
   * separately (the answers are the same, which is how the tests prove the grouping right; it costs memory and time
   * on large inputs).
   */
  readonly groupEndpoints?: boolean;
}

/**
 * Collects objects as they are read and builds the model. Objects without a namespace go to `default`, as
 * kubectl would put them.
 *
 * A List of 200,000 Pods gives as many pod endpoints, so they are kept as columns (about 60 bytes a pod instead of
 * an object of 200): a packed `namespace\0kind\0name` key whose id is the endpoint's row, its group (namespace,
 * labels, ports, host network, shared by all the replicas of a label set), kind and file as ids, and sparse maps
 * for what few pods have (an owner, IPs, an origin name other than the endpoint's).
 */
export class NetworkModelBuilder {
  private readonly namespaceLabels = new Map<string, Record<string, string>>();
  private readonly declared = new Set<string>();
  /** Pod endpoints by `namespace\0kind\0name` of their workload: the id is the pod endpoint's row. */
  private readonly podKeys = new StringIds();
  private podGroup = new Uint32Array(0);
  private podKind = new Uint32Array(0);
  private podFile = new Uint32Array(0);
  /** The first pod's name, where it is not the endpoint's (pods grouped under their owner). */
  private readonly podOriginName = new Map<number, string>();
  private readonly podOwnership = new Map<number, Ownership>();
  private podIps = new Map<number, EndpointIps>();
  /** A built model reads `podIps`: the next change to an existing pod's addresses copies it first. */
  private podIpsShared = false;
  private readonly kinds = new StringIds();
  private readonly files = new StringIds();
  /** Group shapes by a key of their parts, the id indexing `shapes`. */
  private readonly groupKeys = new StringIds();
  private readonly shapes: GroupShape[] = [];
  private readonly workloads = new Map<string, TemplateEndpoint>();
  private readonly policies: Policy[] = [];
  readonly problems: ModelProblem[] = [];
  /** Label sets, ports and names that many pods repeat, kept once (a List of 200,000 Pods has few distinct ones). */
  private readonly shared = new SharedValues();
  private readonly groupEndpoints: boolean;

  constructor(
    private readonly templatePaths: TemplatePaths = new TemplatePaths(),
    private readonly defaultNamespace = 'default',
    options: ModelOptions = {},
  ) {
    this.groupEndpoints = options.groupEndpoints ?? true;
  }

  /**
   * Takes one Kubernetes object; kinds the model does not need are ignored. `template` is the object's pod
   * template when the caller already found it (the scan's inventory does). Returns the policy when the object
   * was a valid NetworkPolicy, so the caller can tell where in its file each part of it is.
   */
  add(object: Json, file: string, template?: PodTemplateRef, known?: { shape?: ShapeFacts }): Policy | undefined {
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
    if (kind === POD_KIND) {
      const endpointKind = owner?.kind ?? POD_KIND;
      const endpointNameText = owner?.name ?? name;
      const { id, added } = this.podKeys.intern(workloadKey(namespace, endpointKind, endpointNameText));
      const ips = podIps(object);
      if (!added) {
        // More pods of the same workload: one endpoint with all their addresses.
        if (ips.length > 0) this.addPodIps(id, ips);
        return undefined;
      }
      if (id === this.podGroup.length) {
        this.podGroup = grown(this.podGroup);
        this.podKind = grown(this.podKind);
        this.podFile = grown(this.podFile);
      }
      this.podGroup[id] = this.groupOf(namespace, known ? (known.shape ??= shapeFacts(template)) : shapeFacts(template));
      this.podKind[id] = this.kinds.intern(endpointKind).id;
      this.podFile[id] = this.files.intern(file).id;
      if (name !== endpointNameText) this.podOriginName.set(id, this.shared.text(name));
      if (owner) this.podOwnership.set(id, { owner, templateHash: stringLabels(template.metadata.labels)[POD_TEMPLATE_HASH_LABEL] });
      if (ips.length > 0) this.addPodIps(id, ips);
      return undefined;
    }
    this.workloads.set(workloadKey(namespace, kind, name), {
      namespace: this.shared.text(namespace),
      name,
      kind: this.shared.text(kind),
      group: this.groupOf(namespace, known ? (known.shape ??= shapeFacts(template)) : shapeFacts(template)),
      file,
      ownership: owner && { owner, templateHash: undefined },
    });
    return undefined;
  }

  /** The group of a pod template's endpoint: the same id for every template with the same shape. */
  private groupOf(namespace: string, { labelsJson, portsJson, hostNetwork }: ShapeFacts): number {
    const labels = this.shared.valueOf<Readonly<Record<string, string>>>(labelsJson);
    const ports = this.shared.valueOf<NamedPort[]>(portsJson);
    const shape = { namespace: this.shared.text(namespace), labels, ports, hostNetwork };
    if (!this.groupEndpoints) return this.shapes.push(shape) - 1;
    const { id, added } = this.groupKeys.intern(`${namespace}\u0000${labelsJson}\u0000${portsJson}\u0000${hostNetwork ? 1 : 0}`);
    if (added) this.shapes.push(shape);
    return id;
  }

  private addPodIps(id: number, ips: EndpointIps): void {
    if (this.podIpsShared) {
      this.podIps = new Map(this.podIps);
      this.podIpsShared = false;
    }
    const known = this.podIps.get(id);
    this.podIps.set(id, known ? [...known, ...ips] : ips);
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
    const ownedHere = ({ namespace, ownership }: TemplateEndpoint) => ownership !== undefined && this.workloads.has(workloadKey(namespace, ownership.owner.kind, ownership.owner.name));
    const templates = [...this.workloads.entries()].filter(([key, endpoint]) => !withPods.has(key) && !ownedHere(endpoint)).map(([, endpoint]) => endpoint);
    // Rows 0 … pods-1 are pod endpoints (by id), the others templates; sorted by namespace, name and kind.
    const pods = this.podKeys.size;
    const { podKeys, podGroup, podKind, podFile, podOriginName, podIps, kinds, files, shapes } = this;
    this.podIpsShared = true;
    const groupOfRow = (row: number) => (row < pods ? (podGroup[row] as number) : (templates[row - pods] as TemplateEndpoint).group);
    const namespaceOfRow = (row: number) => (shapes[groupOfRow(row)] as GroupShape).namespace;
    const kindOfRow = (row: number) => (row < pods ? kinds.text(podKind[row] as number) : (templates[row - pods] as TemplateEndpoint).kind);
    // The key is namespace\0kind\0name: the name is what follows the known namespace and kind.
    const nameOfRow = (row: number) => (row < pods ? podKeys.text(row).slice(namespaceOfRow(row).length + kindOfRow(row).length + 2) : (templates[row - pods] as TemplateEndpoint).name);
    const order = new Uint32Array(pods + templates.length).map((_, row) => row);
    {
      // Names decoded once for the sort, and dropped after it.
      const names = Array.from(order, nameOfRow);
      order.sort((a, b) => compare(namespaceOfRow(a), namespaceOfRow(b)) || compare(names[a] as string, names[b] as string) || compare(kindOfRow(a), kindOfRow(b)) || a - b);
    }
    const rowOf = (index: number) => order[index] as number;
    const rows = {
      name: (index: number) => nameOfRow(rowOf(index)),
      kind: (index: number) => kindOfRow(rowOf(index)),
      ips: (index: number) => podIps.get(rowOf(index)) ?? NO_IPS,
      origin: (index: number): Origin => {
        const row = rowOf(index);
        const namespace = namespaceOfRow(row);
        if (row >= pods) {
          const template = templates[row - pods] as TemplateEndpoint;
          return { file: template.file, kind: template.kind, name: template.name, namespace };
        }
        return { file: files.text(podFile[row] as number), kind: POD_KIND, name: podOriginName.get(row) ?? nameOfRow(row), namespace };
      },
    };
    // Groups numbered in the order of their first endpoint, and only those with endpoints (the templates of
    // workloads whose pods are in the input have none).
    const groupIds = order.map(groupOfRow);
    const renumbered = new Int32Array(shapes.length).fill(-1);
    const kept: GroupShape[] = [];
    groupIds.forEach((group, index) => {
      if (renumbered[group] === -1) {
        renumbered[group] = kept.length;
        kept.push(shapes[group] as GroupShape);
      }
      groupIds[index] = renumbered[group] as number;
    });
    const endpoints = new EndpointTable(kept, groupIds, rows);
    return { namespaces: this.namespaceLabels, endpoints, policies: this.policies, declaredNamespaces: this.declared };
  }

  /**
   * Keys of the workloads some pod of the input belongs to, following owners up (Pod → ReplicaSet → Deployment,
   * Pod → Job → CronJob). A ReplicaSet missing from the input is traced to its Deployment by the pods'
   * `pod-template-hash`, as the Deployment controller names it `<deployment>-<hash>`.
   */
  private workloadsWithPods(): Set<string> {
    const found = new Set<string>();
    for (const [id, { owner, templateHash }] of this.podOwnership) {
      const namespace = (this.shapes[this.podGroup[id] as number] as GroupShape).namespace;
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

/**
 * What a pod template's endpoint group takes from it, as JSON (the shared values' keys): derived from the object
 * alone, so a caller adding one object to many models passes the same record and it is worked out once.
 */
export interface ShapeFacts {
  readonly labelsJson: string;
  readonly portsJson: string;
  readonly hostNetwork: boolean;
}

function shapeFacts({ metadata, spec }: PodTemplateRef): ShapeFacts {
  return { labelsJson: JSON.stringify(stringLabels(metadata.labels)), portsJson: JSON.stringify(containerPorts(spec)), hostNetwork: spec.hostNetwork === true };
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

const NO_IPS: EndpointIps = Object.freeze([]);

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
      const number = numberOf(port?.containerPort);
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
