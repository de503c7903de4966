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
import { formatFieldPath, type FieldPath } from '../vocabulary/field-path.js';
import { resourceRef } from '../kube/resource-ref.js';
import type { Subject } from '../vocabulary/finding.js';

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
  private current: { resource: LoadedResource; ref: ReturnType<typeof resourceRef>; templateSource: string | undefined } | undefined;

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
      const specPath = template.specPath;
      entry.workloads.push({
        subject: this.subject(resource, [...template.metadataPath, 'labels']),
        labels: copy(stringLabels(template.metadata.labels)),
        serviceAccount: detach(str(template.spec.serviceAccountName) || str(template.spec.serviceAccount) || 'default'),
        automount: template.spec.automountServiceAccountToken,
        automountSubject: this.subject(resource, [...specPath, 'automountServiceAccountToken']),
      });
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
    if (this.current?.resource !== resource) {
      const templateSource = resource.document.templateSource();
      this.current = { resource, ref: resourceRef(resource.object), templateSource: templateSource === undefined ? undefined : detach(templateSource) };
    }
    const { ref, templateSource } = this.current;
    const position = resource.document.position([...resource.prefix, ...path]);
    return {
      resource: ref,
      location: {
        file: resource.document.file,
        line: position.line,
        column: position.column,
        ...(templateSource ? { templateSource } : {}),
      },
      field: formatFieldPath(path),
    };
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
