/**
 * What the cross-resource controls need from a scan, collected while the objects stream by: per namespace, its
 * Namespace object, NetworkPolicies, LimitRanges, ResourceQuotas, ServiceAccounts and workloads. Only small
 * summaries are kept (labels, selectors, positions), never whole objects.
 */
import type { PodTemplateRef } from '../kube/pod-templates.js';
import { stringLabels } from '../kube/label-selector.js';
import { isDefaultDeny, type Direction } from '../kube/network-policy.js';
import { findAddons, type AddonContainer } from '../kube/addons.js';
import { ServiceExposure, serviceSummary, type ServiceSummary } from '../kube/service-exposure.js';
import { ciliumCovers, ciliumSelects, ciliumSelectsWholeNamespace, ciliumSpecs } from '../kube/cilium-policy.js';
import { selectorMatches } from '../kube/label-selector.js';
import { shipperTemplate, type ShipperTemplate } from '../kube/log-shippers.js';
import { nodeFacts, type NodeFacts } from '../kube/node-scheduling.js';
import { RbacGraph } from '../rbac/graph.js';
import { isRbacKind, parseBinding, parseRole, type BindingObject, type RoleObject } from '../rbac/model.js';
import type { LoadedResource } from '../loader/source.js';
import { Reachability } from '../netpol/engine.js';
import { NetworkModelBuilder, networkEssentials, type ShapeFacts } from '../netpol/model.js';
import type { Policy } from '../netpol/policy.js';
import {
  cniEncryptionOf,
  isPeerAuthentication,
  parsePeerAuthentication,
  podMeshOf,
  showsMesh,
  type CniEncryption,
  type NamespaceMesh,
  type PeerAuthentication,
  type PodMesh,
} from '../kube/transit-encryption.js';
import { array, detach, isRecord, record, str } from '../util/object.js';
import { formatFieldPath, type FieldPath } from '../vocabulary/field-path.js';
import { resourceRef } from '../kube/resource-ref.js';
import type { Subject } from '../vocabulary/finding.js';
import { SharedValues } from '../util/shared-values.js';
import { StringIds, grown } from '../util/string-ids.js';
import { subjectAt, WorkloadList, WorkloadTable, type FieldPlace, type ResourcePlace } from './workload-table.js';

export type { WorkloadEntry } from './workload-table.js';

/** What the network model reads from an object (netpol/model.ts `networkEssentials`). */
export type NetworkEssentials = ReturnType<typeof networkEssentials>;

/**
 * What `add` derives from an object alone, whatever else the inventory holds. A caller that adds one object to
 * many inventories (`serve` builds a namespace's after each change there, from objects that mostly did not change)
 * passes the same record each time, and each part is worked out on the first add only. The parts are copies
 * (never references into the object), and no inventory changes them, so inventories may share them.
 */
export interface KnownFacts {
  essentials?: NetworkEssentials;
  shape?: ShapeFacts;
  service?: ServiceFacts;
  transit?: TransitFacts;
  workload?: WorkloadFacts;
}

/** What `addTransitEvidence` takes from an object. */
interface TransitFacts {
  readonly peerAuthentication: PeerAuthentication | undefined;
  readonly cni: { readonly encryption: CniEncryption; readonly path: FieldPath } | undefined;
  readonly namespace: { readonly name: string; readonly mesh: NamespaceMesh; readonly shows: boolean } | undefined;
  /** A pod template's mesh under its key; `mesh` undefined when it shows none (the key's entry is then dropped). */
  readonly pod: { readonly key: string; readonly mesh: PodMesh | undefined; readonly shows: boolean } | undefined;
}

/** What a Service's entry and its exposure summary take from it. */
interface ServiceFacts {
  readonly entry: Omit<ServiceEntry, 'subject'>;
  readonly exposureNamespace: string | null;
  readonly exposure: ServiceSummary | undefined;
}

/** What a workload's row and its add-on containers take from its pod template. */
interface WorkloadFacts {
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccount: string;
  readonly serviceAccountField: 'serviceAccountName' | 'serviceAccount';
  readonly addons: readonly AddonContainer[];
}

/** A Dashboard or Tiller container, with what reaches its pods from outside. */
export interface AddonEntry extends Omit<AddonContainer, 'path'> {
  readonly subject: Subject;
  readonly namespace: string | null;
  readonly labels: Readonly<Record<string, string>>;
}

export interface PolicyEntry {
  readonly name: string;
  readonly kind: 'NetworkPolicy' | 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy';
  /** Does the policy select pods with these labels in this namespace? */
  selects(labels: Readonly<Record<string, string>>, namespace: string | null): boolean;
  /** Does it put every pod of the namespace into default-deny for the direction? */
  deniesByDefault(direction: Direction, namespace: string | null): boolean;
}

export interface NamespaceEntry {
  /** null for objects without metadata.namespace (they get one when applied). */
  readonly name: string | null;
  declared: (Subject & { readonly labels: Readonly<Record<string, string>> }) | undefined;
  /** The first object seen in the namespace: where namespace-level findings attach when no Namespace is declared. */
  firstUse: Subject | undefined;
  /** Rows of the inventory's workload table, read as entries (made when read, never kept). */
  readonly workloads: WorkloadList;
  readonly policies: PolicyEntry[];
  limitRanges: number;
  resourceQuotas: number;
  /** ServiceAccount name → its automountServiceAccountToken. */
  readonly serviceAccounts: Map<string, unknown>;
}

/** A DaemonSet that runs a log shipper, for the logging controls. */
export interface ShipperEntry extends ShipperTemplate {
  /** `namespace/name`. */
  readonly name: string;
}

/** A Node of a live cluster: its name, labels and taints, and where its findings attach. */
export interface NodeEntry {
  readonly subject: Subject;
  readonly facts: NodeFacts;
}

/** What a live cluster scan read in full; manifests have none, as they may hold only part of a cluster. */
export interface ClusterView {
  /** `--namespace`: only this namespace was read. */
  readonly namespace?: string | undefined;
  /** `--exclude-namespace`: namespaces left out of the scan. */
  readonly excluded: readonly string[];
}

/** Where the parts of a NetworkPolicy are, for findings about them. */
export interface PolicyPositions {
  readonly podSelector: Subject;
  /** `Ingress/<rule>/<peer>/namespaceSelector` (or `podSelector`) → the selector's position. */
  readonly peerSelectors: ReadonlyMap<string, Subject>;
}

export function peerSelectorKey(direction: Direction, rule: number, peer: number, field: 'namespaceSelector' | 'podSelector'): string {
  return `${direction}/${rule}/${peer}/${field}`;
}

export interface CiliumSelectorEntry {
  readonly kind: 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy';
  /** null: cluster-wide. */
  readonly namespace: string | null;
  readonly name: string;
  /** `{ endpointSelector }`, as kube/cilium-policy.ts reads a spec. */
  readonly spec: Record<string, unknown>;
  readonly subject: Subject;
}

export interface ServiceEntry {
  /** The namespace the network model puts it in (`default` when the object names none). */
  readonly namespace: string;
  readonly name: string;
  /** spec.selector; undefined for Services without one (ExternalName, endpoints managed by hand). */
  readonly selector: Readonly<Record<string, string>> | undefined;
  readonly subject: Subject;
}

/** What the input shows about encryption of pod-to-pod traffic (see kube/transit-encryption.ts). */
export interface TransitEvidence {
  readonly peerAuthentications: PeerAuthentication[];
  /** Namespace name → its mesh labels and annotations, for namespaces declared in the input. */
  readonly namespaces: Map<string, NamespaceMesh>;
  /**
   * `namespace\0kind\0name` of a workload or pod (as the network model's endpoint origins) → the mesh labels,
   * annotations and proxy containers of its pod template, only for those that have some: most pods have none, and
   * an entry each would cost 300 bytes a Pod (`podMeshOf` gives the others `NO_POD_MESH`).
   */
  readonly pods: Map<string, PodMesh>;
  readonly cni: (CniEncryption & { readonly subject: Subject })[];
  /** Some object showed a mesh (a PeerAuthentication, an injection label or annotation) or a CNI. */
  shown: boolean;
}

/** The key of `TransitEvidence.pods`, from an endpoint's origin. */
export function podMeshKey(namespace: string, kind: string, name: string): string {
  return `${namespace}\u0000${kind}\u0000${name}`;
}

/** The mesh of a pod template without mesh labels, annotations or proxy containers. */
export const NO_POD_MESH: PodMesh = Object.freeze({ labels: Object.freeze({}), annotations: Object.freeze({}), containers: Object.freeze([]) });

/** What the pod template of a workload or pod (named as an endpoint's origin) shows of a mesh. */
export function podMeshIn(transit: TransitEvidence, namespace: string, kind: string, name: string): PodMesh {
  return transit.pods.get(podMeshKey(namespace, kind, name)) ?? NO_POD_MESH;
}

/** Only the labels and annotations the meshes read: a pod's other annotations can be large (last-applied). */
function meshKeys(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => /^(sidecar\.istio\.io|istio\.io|linkerd\.io|config\.linkerd\.io)\//.test(key) || key === 'istio-injection'));
}

export function describeNamespace(entry: NamespaceEntry): string {
  return entry.name === null ? 'the objects without a namespace' : `namespace ${entry.name}`;
}

/**
 * The part of the inventory that one group of namespace-local controls reads (src/serve/inventory-scope.ts).
 * `kubeharden serve` builds a namespace's inventory once per part, so a change that moves only one part runs only
 * that part's controls again: turning token mounting off rebuilds no network model.
 * - `network`: the network model, NetworkPolicies and Cilium policies with their selectors, and the workloads'
 *   labels and places. It leaves out service accounts, token mounting, add-ons, ServiceAccounts' automount, and
 *   Service and Ingress exposure.
 * - `workloads`: the workloads' service accounts, token mounting and add-ons, ServiceAccounts, LimitRange and
 *   ResourceQuota counts, and Service and Ingress exposure. It leaves out the network model and the policies.
 * Both keep every namespace entry and its first object; the transit evidence, log shippers and Service list of the
 * cluster-wide controls are in neither. A part's controls must read nothing it leaves out:
 * test/serve/inventory-facets.test.ts compares each over its part and over a whole inventory of the corpus.
 */
export type InventoryFacet = 'network' | 'workloads';

export class Inventory {
  /** What this inventory keeps: the network part, the workloads part, and the cluster-wide controls' own parts. */
  private readonly keeps: { readonly network: boolean; readonly workloads: boolean; readonly whole: boolean };

  /**
   * @param searched where missing objects were looked for, as findings say it: "among the scanned files" for
   *   manifests, "in the cluster" for a live cluster
   * @param facet only the part one group of controls reads; undefined: everything
   */
  constructor(
    readonly searched = 'among the scanned files',
    readonly clusterView?: ClusterView,
    facet?: InventoryFacet,
  ) {
    this.keeps = { network: facet !== 'workloads', workloads: facet !== 'network', whole: facet === undefined };
  }

  /** Did the scan read everything in this namespace (a cluster scan that did not leave it out)? */
  readsWholeNamespace(name: string): boolean {
    const view = this.clusterView;
    return view !== undefined && (view.namespace === undefined || view.namespace === name) && !view.excluded.includes(name);
  }

  /** Did the scan read every namespace of the cluster? */
  readsEveryNamespace(): boolean {
    return this.clusterView !== undefined && this.clusterView.namespace === undefined && this.clusterView.excluded.length === 0;
  }

  /** Where each valid NetworkPolicy's selectors are (the network model's policy objects are the keys). */
  readonly policyPositions = new Map<Policy, PolicyPositions>();
  readonly services: ServiceEntry[] = [];
  /** The endpointSelectors of Cilium policies, for NET-POLICY-SELECTS-NOTHING. */
  readonly ciliumSelectors: CiliumSelectorEntry[] = [];
  /**
   * Namespaces holding a custom resource (a kind outside Kubernetes' own API groups): its operator may run pods
   * that manifests do not show (a Prometheus Operator's `Prometheus` becomes a StatefulSet only in the cluster).
   */
  readonly namespacesWithCustomResources = new Set<string>();
  readonly transit: TransitEvidence = { peerAuthentications: [], namespaces: new Map(), pods: new Map(), cni: [], shown: false };

  readonly namespaces = new Map<string | null, NamespaceEntry>();
  /** CiliumClusterwideNetworkPolicies: they apply to every namespace. */
  readonly clusterPolicies: PolicyEntry[] = [];
  /** Roles and bindings, resolved on demand into who can do what. */
  readonly rbac = new RbacGraph();
  /** Where each binding is, for findings about the rights it grants. */
  readonly bindingSubjects = new Map<BindingObject, Subject>();
  /** Where each wildcard rule of each role is: role → rule index → position. */
  readonly wildcardRules = new Map<RoleObject, Map<number, Subject>>();
  /** Services and Ingresses, for the controls that ask what is reachable from outside the cluster. */
  readonly exposure = new ServiceExposure();
  /** Dashboard and Tiller containers found by their image. */
  readonly addons: AddonEntry[] = [];
  /** Nodes (listed only from a live cluster) and the DaemonSets that ship their logs. */
  readonly nodes: NodeEntry[] = [];
  readonly shippers: ShipperEntry[] = [];
  /** Namespaces, NetworkPolicies and pod templates, for the controls that ask who can reach whom. */
  readonly network = new NetworkModelBuilder();
  private computedReachability: Reachability | undefined;

  /** Reachability over everything added (built once, when a control first asks). */
  reachability(): Reachability {
    this.computedReachability ??= new Reachability(this.network.build());
    return this.computedReachability;
  }

  /** `namespace\0kind\0name` of the workloads → the first row of each, built when first asked. */
  private workloadIndex: { readonly keys: StringIds; readonly rows: Uint32Array } | undefined;

  /**
   * Where a finding about the workload of this namespace, kind and name attaches (at its pod template's labels):
   * the first one in namespace order (namespaces as first seen, workloads as added). Objects without a namespace
   * answer to `default`, where the network model puts them.
   */
  workloadSubject(namespace: string, kind: string, name: string): Subject | undefined {
    this.workloadIndex ??= this.indexWorkloads();
    const id = this.workloadIndex.keys.find(`${namespace}\u0000${kind}\u0000${name}`);
    return id < 0 ? undefined : this.workloads.subject(this.workloadIndex.rows[id] as number, 0);
  }

  private indexWorkloads(): { keys: StringIds; rows: Uint32Array } {
    const keys = new StringIds();
    let rows = new Uint32Array(0);
    for (const entry of this.namespaces.values()) {
      for (let index = 0; index < entry.workloads.length; index++) {
        const row = entry.workloads.rowAt(index);
        const { resource } = this.workloads.resourcePlace(row);
        const { id, added } = keys.intern(`${entry.name ?? 'default'}\u0000${resource.kind}\u0000${resource.name ?? ''}`);
        if (!added) continue;
        if (id === rows.length) rows = grown(rows);
        rows[id] = row;
      }
    }
    return { keys, rows };
  }

  /** The policies that apply to pods of a namespace: its own and the cluster-wide ones. */
  policiesFor(entry: NamespaceEntry): readonly PolicyEntry[] {
    return this.clusterPolicies.length === 0 ? entry.policies : [...entry.policies, ...this.clusterPolicies];
  }

  /** The resource being added, with its reference and template name computed once for all its subjects. */
  private current: { resource: LoadedResource; place: ResourcePlace } | undefined;

  /**
   * What many workloads share, kept once: label sets, field names, service account names, kinds and namespaces
   * (200,000 Pods of a List have a few hundred label sets). Bounded, so distinct values cost no more than before.
   */
  private readonly shared = new SharedValues();
  /** Every workload of every namespace, as columns (see workload-table.ts). */
  private readonly workloads = new WorkloadTable();

  /**
   * Records one object; `template` is its pod template as the evaluation found it (no second lookup). `known`
   * keeps the object's network essentials for the next inventory it joins (`serve` builds one per namespace
   * after each change there, from objects that mostly did not change).
   */
  add(resource: LoadedResource, template: PodTemplateRef | undefined, known?: KnownFacts): void {
    this.current = undefined;
    const { object } = resource;
    const kind = String(object.kind);
    const apiVersion = String(object.apiVersion);
    const metadata = record(object.metadata) ?? {};
    const core = !apiVersion.includes('/');

    if (isRbacKind(apiVersion, kind)) {
      this.addRbac(resource, kind);
      return;
    }
    if (kind === 'Node' && core) {
      this.nodes.push({ subject: this.subject(resource, ['metadata', 'name']), facts: copy(nodeFacts(object)) });
      return;
    }
    const keeps = this.keeps;
    const shipper = keeps.whole && kind === 'DaemonSet' && template ? shipperTemplate(template.spec) : undefined;
    if (shipper) this.shippers.push({ ...shipper, name: detach(`${str(metadata.namespace) ?? 'default'}/${str(metadata.name) ?? ''}`) });
    if (kind === 'CiliumClusterwideNetworkPolicy' && apiVersion.startsWith('cilium.io/')) {
      this.clusterPolicies.push(ciliumPolicy(object, 'CiliumClusterwideNetworkPolicy'));
      this.addCiliumSelectors(resource, 'CiliumClusterwideNetworkPolicy');
      return;
    }
    const networkPolicy = kind === 'NetworkPolicy' && apiVersion.startsWith('networking.k8s.io/');
    if (keeps.network && (template || networkPolicy || (kind === 'Namespace' && core))) {
      const essentials = known ? (known.essentials ??= networkEssentials(object, template)) : networkEssentials(object, template);
      const policy = this.network.add(essentials.object, resource.document.file, essentials.template, known);
      if (policy) this.policyPositions.set(policy, this.positionsOf(resource, policy));
    }
    if (keeps.whole) this.addTransitEvidence(resource, known ? (known.transit ??= transitFacts(object, template)) : transitFacts(object, template));
    if (!template && mayRunPods(apiVersion, kind) && str(metadata.namespace)) this.namespacesWithCustomResources.add(detach(str(metadata.namespace) as string));
    if (kind === 'Service' && core) {
      // Services only describe reachability and exposure: they make no namespace entry and are no namespace's first use.
      if (!keeps.workloads) return;
      const facts = known ? (known.service ??= serviceFacts(object)) : serviceFacts(object);
      if (keeps.whole) this.services.push({ ...facts.entry, subject: this.subject(resource, ['metadata', 'name']) });
      this.exposure.addSummary(facts.exposureNamespace, facts.exposure);
      return;
    }
    if (kind === 'Namespace' && core) {
      const name = str(metadata.name);
      if (name === undefined) return;
      // Only the network part matches selectors against a namespace's labels.
      this.entry(detach(name)).declared = { ...this.subject(resource, ['metadata', 'name']), labels: keeps.network ? copy(stringLabels(metadata.labels)) : {} };
      return;
    }
    const namespace = str(metadata.namespace);
    const namespaceName = namespace === undefined ? null : detach(namespace);
    // Ingresses only describe exposure: they make no namespace entry and are no namespace's first use.
    if (kind === 'Ingress' && (apiVersion.startsWith('networking.k8s.io/') || apiVersion.startsWith('extensions/'))) {
      if (keeps.workloads) this.exposure.addIngress(namespaceName, object);
      return;
    }
    const entry = this.entry(namespaceName);
    const ciliumNetworkPolicy = kind === 'CiliumNetworkPolicy' && apiVersion.startsWith('cilium.io/');
    const relevant = template !== undefined || (core && ['ServiceAccount', 'LimitRange', 'ResourceQuota'].includes(kind)) ||
      networkPolicy || ciliumNetworkPolicy;
    if (!relevant) return;
    entry.firstUse ??= this.subject(resource, ['metadata', 'namespace']);

    if (template) {
      this.workloadIndex = undefined;
      const labels = this.place(resource, [...template.metadataPath, 'labels']);
      const automount = this.place(resource, [...template.specPath, 'automountServiceAccountToken']);
      // The network part takes the labels alone: its controls never ask for a service account or an add-on. The
      // workloads part takes them only for an add-on (does a Service expose it?): the pod labels of any other
      // workload are the network part's, so changing them leaves the workloads part's results standing.
      const facts = !keeps.workloads ? labelsOnly(known?.workload?.labels ?? stringLabels(template.metadata.labels)) : known ? (known.workload ??= workloadFacts(template, true)) : workloadFacts(template, keeps.network);
      const sharedLabels = this.shared.labels(keeps.network || facts.addons.length > 0 ? facts.labels : NO_LABELS);
      const serviceAccount = this.shared.text(facts.serviceAccount);
      const { serviceAccountField } = facts;
      entry.workloads.push(
        this.workloads.add({
          place: this.currentPlace(resource),
          labelsAt: labels,
          automountAt: automount,
          serviceAccountAt: serviceAccount === 'default' ? undefined : this.place(resource, [...template.specPath, serviceAccountField]),
          labels: sharedLabels,
          serviceAccount,
          automount: keeps.workloads ? template.spec.automountServiceAccountToken : undefined,
        }),
      );
      for (const { path, ...addon } of facts.addons) this.addons.push({ ...addon, subject: this.subject(resource, path), namespace: namespaceName, labels: sharedLabels });
    } else if (!keeps.network && (networkPolicy || ciliumNetworkPolicy)) {
      // The workloads part takes a policy as the namespace's first object, and reads nothing else of it.
    } else if (networkPolicy) {
      const spec = record(object.spec) ?? {};
      const podSelector: unknown = isRecord(spec.podSelector) ? copy(spec.podSelector) : undefined;
      const denies = new Set((['Ingress', 'Egress'] as const).filter((direction) => isDefaultDeny(spec, direction)));
      entry.policies.push({
        name: detach(str(metadata.name) ?? '(unnamed)'),
        kind: 'NetworkPolicy',
        selects: (labels) => selectorMatches(podSelector, labels),
        deniesByDefault: (direction) => denies.has(direction),
      });
    } else if (ciliumNetworkPolicy) {
      entry.policies.push(ciliumPolicy(object, 'CiliumNetworkPolicy'));
      this.addCiliumSelectors(resource, 'CiliumNetworkPolicy');
    } else if (kind === 'LimitRange') entry.limitRanges++;
    else if (kind === 'ResourceQuota') entry.resourceQuotas++;
    else if (kind === 'ServiceAccount') entry.serviceAccounts.set(detach(str(metadata.name) ?? ''), keeps.workloads ? object.automountServiceAccountToken : undefined);
  }

  /** The positions of a NetworkPolicy's pod selector and of each selector in its rules' peers. */
  private positionsOf(resource: LoadedResource, policy: Policy): PolicyPositions {
    const peerSelectors = new Map<string, Subject>();
    for (const direction of ['Ingress', 'Egress'] as const) {
      const [rulesField, peersField] = direction === 'Ingress' ? ['ingress', 'from'] : ['egress', 'to'];
      for (const rule of direction === 'Ingress' ? policy.ingress : policy.egress) {
        rule.peers?.forEach((peer, index) => {
          if (peer.kind !== 'pods') return;
          for (const field of ['namespaceSelector', 'podSelector'] as const) {
            if (peer[field] === null) continue;
            peerSelectors.set(peerSelectorKey(direction, rule.index, index, field), this.subject(resource, ['spec', rulesField, rule.index, peersField, index, field]));
          }
        });
      }
    }
    return { podSelector: this.subject(resource, ['spec', 'podSelector']), peerSelectors };
  }

  /** Each endpointSelector of a Cilium policy (`spec`, then each of `specs`), with its position. */
  private addCiliumSelectors(resource: LoadedResource, kind: CiliumSelectorEntry['kind']): void {
    const { object } = resource;
    const metadata = record(object.metadata) ?? {};
    const located: [unknown, FieldPath][] = [
      [object.spec, ['spec']],
      ...array(object.specs).map((spec, index): [unknown, FieldPath] => [spec, ['specs', index]]),
    ];
    for (const [spec, path] of located) {
      const selector = record(spec)?.endpointSelector;
      // A spec without endpointSelector selects nodes (nodeSelector, host policies): no pods to match.
      if (!isRecord(selector)) continue;
      this.ciliumSelectors.push({
        kind,
        namespace: kind === 'CiliumNetworkPolicy' ? detach(str(metadata.namespace) || 'default') : null,
        name: detach(str(metadata.name) ?? '(unnamed)'),
        spec: copy({ endpointSelector: selector }),
        subject: this.subject(resource, [...path, 'endpointSelector']),
      });
    }
  }

  /** Mesh and CNI objects, namespaces' and pod templates' mesh labels: what encrypts pod-to-pod traffic. */
  private addTransitEvidence(resource: LoadedResource, facts: TransitFacts): void {
    const transit = this.transit;
    if (facts.peerAuthentication) {
      transit.peerAuthentications.push(facts.peerAuthentication);
      transit.shown = true;
      return;
    }
    if (facts.cni) {
      transit.cni.push({ ...facts.cni.encryption, subject: this.subject(resource, facts.cni.path) });
      transit.shown = true;
    }
    if (facts.namespace) {
      transit.namespaces.set(facts.namespace.name, facts.namespace.mesh);
      transit.shown ||= facts.namespace.shows;
      return;
    }
    if (!facts.pod) return;
    // The last object of a name wins, as in the network model: a later one without a mesh replaces an earlier one's.
    if (facts.pod.mesh === undefined) transit.pods.delete(facts.pod.key);
    else transit.pods.set(facts.pod.key, facts.pod.mesh);
    transit.shown ||= facts.pod.shows;
  }

  private addRbac(resource: LoadedResource, kind: string): void {
    if (kind === 'Role' || kind === 'ClusterRole') {
      const role = parseRole(resource.object);
      this.rbac.addRole(role);
      const positions = new Map<number, Subject>();
      role.rules.forEach((rule, index) => {
        if (rule.verbs.includes('*') || rule.resources.includes('*')) positions.set(index, this.subject(resource, ['rules', index]));
      });
      if (positions.size > 0) this.wildcardRules.set(role, positions);
    } else {
      const binding = parseBinding(resource.object);
      this.rbac.addBinding(binding);
      this.bindingSubjects.set(binding, this.subject(resource, ['roleRef']));
    }
  }

  private entry(name: string | null): NamespaceEntry {
    let entry = this.namespaces.get(name);
    if (!entry) {
      entry = { name, declared: undefined, firstUse: undefined, workloads: new WorkloadList(this.workloads), policies: [], limitRanges: 0, resourceQuotas: 0, serviceAccounts: new Map() };
      this.namespaces.set(name, entry);
    }
    return entry;
  }

  private subject(resource: LoadedResource, path: FieldPath): Subject {
    return subjectAt(this.currentPlace(resource), this.place(resource, path));
  }

  /** The resource's reference, file and chart template, built once per resource and shared by its subjects. */
  private currentPlace(resource: LoadedResource): ResourcePlace {
    if (this.current?.resource !== resource) {
      const ref = resourceRef(resource.object);
      const templateSource = resource.document.templateSource();
      const renderedFrom = resource.document.renderedFrom?.();
      const place: ResourcePlace = {
        resource: { apiVersion: this.shared.text(ref.apiVersion), kind: this.shared.text(ref.kind), namespace: ref.namespace === null ? null : this.shared.text(ref.namespace), name: ref.name },
        file: resource.document.file,
        ...(templateSource === undefined ? {} : { templateSource: this.shared.text(templateSource) }),
        ...(renderedFrom === undefined ? {} : { renderedFrom: this.shared.text(renderedFrom) }),
      };
      this.current = { resource, place };
    }
    return this.current.place;
  }

  /** A field's position and name, as numbers and a shared string. */
  private place(resource: LoadedResource, path: FieldPath): FieldPlace {
    const position = resource.document.position([...resource.prefix, ...path]);
    const place: FieldPlace = { line: position.line, column: position.column, field: this.shared.text(formatFieldPath(path)) };
    return position.file === undefined ? place : { ...place, file: this.shared.text(position.file) };
  }
}

function ciliumPolicy(object: Record<string, unknown>, kind: 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy'): PolicyEntry {
  const specs = copy(ciliumSpecs(object));
  return {
    name: detach(str(record(object.metadata)?.name) ?? '(unnamed)'),
    kind,
    selects: (labels, namespace) => specs.some((spec) => ciliumSelects(spec, labels, namespace)),
    deniesByDefault: (direction, namespace) =>
      specs.some((spec) => ciliumSelectsWholeNamespace(spec, namespace) && ciliumCovers(spec, direction)),
  };
}

/** Custom resource groups that only configure traffic, certificates or monitoring: their controllers run no pods. */
const CONFIGURATION_GROUPS = new Set(['cilium.io', 'security.istio.io', 'networking.istio.io', 'telemetry.istio.io', 'policy.linkerd.io', 'cert-manager.io']);
const CONFIGURATION_KINDS = new Set(['ServiceMonitor', 'PodMonitor', 'PrometheusRule', 'Probe', 'ScrapeConfig']);

/**
 * May an object of this kind make its operator run pods the manifests do not show? Not Kubernetes' own kinds (the
 * core group, the unsuffixed groups, `*.k8s.io` but not `*.x-k8s.io`) nor the configuration-only ones above.
 */
function mayRunPods(apiVersion: string, kind: string): boolean {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return false;
  const group = apiVersion.slice(0, slash);
  if (['apps', 'batch', 'policy', 'autoscaling', 'extensions'].includes(group) || /(^|\.)k8s\.io$/.test(group)) return false;
  return !CONFIGURATION_GROUPS.has(group) && !CONFIGURATION_KINDS.has(kind);
}

/** What `addTransitEvidence` takes from an object: a PeerAuthentication, a CNI's encryption, a namespace's or pod template's mesh. */
function transitFacts(object: Record<string, unknown>, template: PodTemplateRef | undefined): TransitFacts {
  const kind = String(object.kind);
  const apiVersion = String(object.apiVersion);
  const metadata = record(object.metadata) ?? {};
  const none: TransitFacts = { peerAuthentication: undefined, cni: undefined, namespace: undefined, pod: undefined };
  if (isPeerAuthentication(apiVersion, kind)) return { ...none, peerAuthentication: copy(parsePeerAuthentication(object, 'default')) };
  const encryption = cniEncryptionOf(object);
  const cni = encryption && { encryption: copy(encryption), path: kind === 'DaemonSet' ? ['metadata', 'name'] : kind === 'ConfigMap' ? ['data'] : ['spec'] };
  if (kind === 'Namespace' && !apiVersion.includes('/')) {
    const mesh = { labels: copy(meshKeys(stringLabels(metadata.labels))), annotations: copy(meshKeys(stringLabels(metadata.annotations))) };
    return { ...none, cni, namespace: { name: detach(str(metadata.name) ?? ''), mesh, shows: showsMesh(mesh.labels, mesh.annotations) } };
  }
  if (!template) return { ...none, cni };
  const pod = podMeshOf(template.metadata, template.spec);
  const mesh = { labels: copy(meshKeys(pod.labels)), annotations: copy(meshKeys(pod.annotations)), containers: copy(pod.containers.filter((name) => name === 'istio-proxy' || name === 'linkerd-proxy')) };
  const name = str(metadata.name) || str(metadata.generateName) || '(unnamed)';
  const key = detach(podMeshKey(str(metadata.namespace) || 'default', kind, name));
  const empty = Object.keys(mesh.labels).length === 0 && Object.keys(mesh.annotations).length === 0 && mesh.containers.length === 0;
  return { ...none, cni, pod: { key, mesh: empty ? undefined : mesh, shows: showsMesh(mesh.labels, mesh.annotations) || mesh.containers.length > 0 } };
}

function serviceFacts(object: Record<string, unknown>): ServiceFacts {
  const metadata = record(object.metadata) ?? {};
  const selector = record(record(object.spec)?.selector);
  return {
    entry: {
      namespace: detach(str(metadata.namespace) || 'default'),
      name: detach(str(metadata.name) ?? '(unnamed)'),
      selector: selector && Object.keys(selector).length > 0 ? copy(stringLabels(selector)) : undefined,
    },
    exposureNamespace: str(metadata.namespace) === undefined ? null : detach(str(metadata.namespace) as string),
    exposure: serviceSummary(object),
  };
}

/** A workload's facts as the network part keeps them: its labels, no service account and no add-on. */
function labelsOnly(labels: Readonly<Record<string, string>>): WorkloadFacts {
  return { labels, serviceAccount: 'default', serviceAccountField: 'serviceAccountName', addons: [] };
}

/** No pod labels: what the workloads part keeps of a workload that runs no add-on. */
const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * What a workload's row and add-on containers take from its pod template (strings detached from the document). The
 * labels are read only when `labels` asks for them or the workload runs an add-on.
 */
function workloadFacts(template: PodTemplateRef, labels: boolean): WorkloadFacts {
  const addons = findAddons(template.spec, template.specPath).map((addon) => ({ ...addon, image: detach(addon.image), container: detach(addon.container), version: addon.version === undefined ? undefined : detach(addon.version), riskyArgs: addon.riskyArgs.map(detach) }));
  return {
    labels: labels || addons.length > 0 ? stringLabels(template.metadata.labels) : NO_LABELS,
    // serviceAccount is the deprecated spelling; the API server copies it into serviceAccountName.
    serviceAccount: str(template.spec.serviceAccountName) || str(template.spec.serviceAccount) || 'default',
    serviceAccountField: str(template.spec.serviceAccountName) ? 'serviceAccountName' : 'serviceAccount',
    addons,
  };
}

/** A deep copy through JSON: small selectors and labels stop pointing into the document's text. */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
