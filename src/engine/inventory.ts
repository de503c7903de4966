/**
 * What the cross-resource controls need from a scan, collected while the objects stream by: per namespace, its
 * Namespace object, NetworkPolicies, LimitRanges, ResourceQuotas, ServiceAccounts and workloads. Only small
 * summaries are kept (labels, selectors, positions), never whole objects.
 */
import type { PodTemplateRef } from '../kube/pod-templates.js';
import { stringLabels } from '../kube/label-selector.js';
import { isDefaultDeny, type Direction } from '../kube/network-policy.js';
import { ciliumCovers, ciliumSelects, ciliumSelectsWholeNamespace, ciliumSpecs } from '../kube/cilium-policy.js';
import { selectorMatches } from '../kube/label-selector.js';
import { RbacGraph } from '../rbac/graph.js';
import { isRbacKind, parseBinding, parseRole, type BindingObject, type RoleObject } from '../rbac/model.js';
import type { LoadedResource } from '../loader/source.js';
import { Reachability } from '../netpol/engine.js';
import { NetworkModelBuilder, networkEssentials } from '../netpol/model.js';
import { detach, isRecord, record, str } from '../util/object.js';
import { formatFieldPath } from './field-path.js';
import { resourceRef } from './evaluate.js';
import type { FieldPath, Subject } from './types.js';
import type { ResourceRef } from './finding.js';
import { SharedValues } from '../util/shared-values.js';

export interface WorkloadEntry {
  readonly subject: Subject;
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccount: string;
  /** The pod's automountServiceAccountToken, and where it is (or would be) set. */
  readonly automount: unknown;
  readonly automountSubject: Subject;
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
  readonly workloads: WorkloadEntry[];
  readonly policies: PolicyEntry[];
  limitRanges: number;
  resourceQuotas: number;
  /** ServiceAccount name → its automountServiceAccountToken. */
  readonly serviceAccounts: Map<string, unknown>;
}

export function describeNamespace(entry: NamespaceEntry): string {
  return entry.name === null ? 'the objects without a namespace' : `namespace ${entry.name}`;
}

export class Inventory {
  /**
   * @param searched where missing objects were looked for, as findings say it: "among the scanned files" for
   *   manifests, "in the cluster" for a live cluster
   */
  constructor(readonly searched = 'among the scanned files') {}

  readonly namespaces = new Map<string | null, NamespaceEntry>();
  /** CiliumClusterwideNetworkPolicies: they apply to every namespace. */
  readonly clusterPolicies: PolicyEntry[] = [];
  /** Roles and bindings, resolved on demand into who can do what. */
  readonly rbac = new RbacGraph();
  /** Where each binding is, for findings about the rights it grants. */
  readonly bindingSubjects = new Map<BindingObject, Subject>();
  /** Where each wildcard rule of each role is: role → rule index → position. */
  readonly wildcardRules = new Map<RoleObject, Map<number, Subject>>();
  /** Namespaces, NetworkPolicies and pod templates, for the controls that ask who can reach whom. */
  readonly network = new NetworkModelBuilder();
  private computedReachability: Reachability | undefined;

  /** Reachability over everything added (built once, when a control first asks). */
  reachability(): Reachability {
    this.computedReachability ??= new Reachability(this.network.build());
    return this.computedReachability;
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

  /** Records one object; `template` is its pod template as the evaluation found it (no second lookup). */
  add(resource: LoadedResource, template: PodTemplateRef | undefined): void {
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
    if (kind === 'CiliumClusterwideNetworkPolicy' && apiVersion.startsWith('cilium.io/')) {
      this.clusterPolicies.push(ciliumPolicy(object, 'CiliumClusterwideNetworkPolicy'));
      return;
    }
    const networkPolicy = kind === 'NetworkPolicy' && apiVersion.startsWith('networking.k8s.io/');
    if (template || networkPolicy || (kind === 'Namespace' && core)) {
      const essentials = networkEssentials(object, template);
      this.network.add(essentials.object, resource.document.file, essentials.template);
    }
    if (kind === 'Namespace' && core) {
      const name = str(metadata.name);
      if (name === undefined) return;
      this.entry(detach(name)).declared = { ...this.subject(resource, ['metadata', 'name']), labels: copy(stringLabels(metadata.labels)) };
      return;
    }
    const namespace = str(metadata.namespace);
    const entry = this.entry(namespace === undefined ? null : detach(namespace));
    const ciliumNetworkPolicy = kind === 'CiliumNetworkPolicy' && apiVersion.startsWith('cilium.io/');
    const relevant = template !== undefined || (core && ['ServiceAccount', 'LimitRange', 'ResourceQuota'].includes(kind)) ||
      networkPolicy || ciliumNetworkPolicy;
    if (!relevant) return;
    entry.firstUse ??= this.subject(resource, ['metadata', 'namespace']);

    if (template) {
      const labels = this.place(resource, [...template.metadataPath, 'labels']);
      const automount = this.place(resource, [...template.specPath, 'automountServiceAccountToken']);
      entry.workloads.push(
        new Workload(
          this.currentPlace(resource),
          labels,
          automount,
          this.shared.labels(stringLabels(template.metadata.labels)),
          this.shared.text(str(template.spec.serviceAccountName) || str(template.spec.serviceAccount) || 'default'),
          template.spec.automountServiceAccountToken,
        ),
      );
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
    } else if (kind === 'LimitRange') entry.limitRanges++;
    else if (kind === 'ResourceQuota') entry.resourceQuotas++;
    else if (kind === 'ServiceAccount') entry.serviceAccounts.set(detach(str(metadata.name) ?? ''), object.automountServiceAccountToken);
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
      entry = { name, declared: undefined, firstUse: undefined, workloads: [], policies: [], limitRanges: 0, resourceQuotas: 0, serviceAccounts: new Map() };
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
      const place: ResourcePlace = {
        resource: { apiVersion: this.shared.text(ref.apiVersion), kind: this.shared.text(ref.kind), namespace: ref.namespace === null ? null : this.shared.text(ref.namespace), name: ref.name },
        file: resource.document.file,
        ...(templateSource === undefined ? {} : { templateSource: this.shared.text(templateSource) }),
      };
      this.current = { resource, place };
    }
    return this.current.place;
  }

  /** A field's position and name, as numbers and a shared string. */
  private place(resource: LoadedResource, path: FieldPath): FieldPlace {
    const position = resource.document.position([...resource.prefix, ...path]);
    return { line: position.line, column: position.column, field: this.shared.text(formatFieldPath(path)) };
  }
}

/** Where a resource is, shared by every subject on it. */
interface ResourcePlace {
  readonly resource: ResourceRef;
  readonly file: string;
  readonly templateSource?: string;
}

interface FieldPlace {
  readonly line: number;
  readonly column: number;
  readonly field: string;
}

function subjectAt(place: ResourcePlace, at: FieldPlace): Subject {
  const { templateSource } = place;
  return {
    resource: place.resource,
    location: { file: place.file, line: at.line, column: at.column, ...(templateSource ? { templateSource } : {}) },
    field: at.field,
  };
}

/**
 * A workload as the inventory keeps it: positions as numbers, labels and names shared with other workloads, and
 * its subjects built only when a control asks for them (a few hundred bytes a workload instead of a kilobyte).
 */
class Workload implements WorkloadEntry {
  // Flat fields rather than nested objects: 200,000 workloads, each a few objects fewer.
  readonly resource: ResourceRef;
  readonly file: string;
  readonly templateSource?: string;
  private readonly labelsLine: number;
  private readonly labelsColumn: number;
  private readonly labelsField: string;
  private readonly automountLine: number;
  private readonly automountColumn: number;
  private readonly automountField: string;

  constructor(
    place: ResourcePlace,
    labelsAt: FieldPlace,
    automountAt: FieldPlace,
    readonly labels: Readonly<Record<string, string>>,
    readonly serviceAccount: string,
    readonly automount: unknown,
  ) {
    this.resource = place.resource;
    this.file = place.file;
    if (place.templateSource !== undefined) this.templateSource = place.templateSource;
    this.labelsLine = labelsAt.line;
    this.labelsColumn = labelsAt.column;
    this.labelsField = labelsAt.field;
    this.automountLine = automountAt.line;
    this.automountColumn = automountAt.column;
    this.automountField = automountAt.field;
  }

  get subject(): Subject {
    return subjectAt(this, { line: this.labelsLine, column: this.labelsColumn, field: this.labelsField });
  }

  get automountSubject(): Subject {
    return subjectAt(this, { line: this.automountLine, column: this.automountColumn, field: this.automountField });
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

/** A deep copy through JSON: small selectors and labels stop pointing into the document's text. */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
