/**
 * What the selectors of a NetworkPolicy pick, as far as the input can tell. Manifests may hold only part of a
 * cluster, so "selects nothing" is said only when no object outside the input could change the answer:
 *
 * - The pods of a namespace are known when the scan read the whole namespace in a live cluster, or when the
 *   input holds at least one workload of that namespace (then it is taken to hold all of them) and no custom
 *   resource that may run pods there (an operator's `Prometheus` or `Alertmanager` runs pods that manifests do not
 *   show; see `mayRunPods` in engine/inventory.ts).
 * - The namespaces a namespaceSelector may pick are known when the scan read every namespace of a live cluster,
 *   or when the selector names them by `kubernetes.io/metadata.name` (matchLabels, or `In`) and the input shows
 *   each named namespace's labels: its Namespace object, or, when the selector asks for the name only, any
 *   object in it. A namespace missing from the input is never taken as missing from the cluster, which is why
 *   `--namespace-objects-elsewhere` changes no answer here.
 *
 * Matching itself is the network model's (the reachability engine's selector index): nothing is matched twice.
 */
import type { CiliumSelectorEntry, Inventory } from '../../engine/inventory.js';
import { ciliumSelects, ciliumSelectsWholeNamespace } from '../../kube/cilium-policy.js';
import { describeSelector, selectorMatches, selectsEverything } from '../../kube/label-selector.js';
import type { KubeVersion } from '../../kube/version.js';
import type { Reachability } from '../../netpol/engine.js';
import { NAMESPACE_NAME_LABEL } from '../../netpol/model.js';
import type { Peer, Policy, Selector } from '../../netpol/policy.js';
import { array, isRecord, record, str, stringOf } from '../../util/object.js';

export type SelectorVerdict =
  | { readonly kind: 'selects' }
  /** `field`: the selector that picks nothing (a peer's namespaceSelector or podSelector, or the policy's). */
  | { readonly kind: 'nothing'; readonly field: 'namespaceSelector' | 'podSelector'; readonly why: string }
  | { readonly kind: 'unknown'; readonly why: string };

type PodsPeer = Extract<Peer, { kind: 'pods' }>;

/** The namespace names a selector pins by `kubernetes.io/metadata.name`; undefined when it does not pin any. */
export function pinnedNamespaces(selector: Selector): readonly string[] | undefined {
  let names: Set<string> | undefined;
  const narrow = (values: readonly string[]) => {
    names = new Set(names === undefined ? values : values.filter((value) => names?.has(value)));
  };
  const matchLabels = record(selector.matchLabels) ?? {};
  if (Object.hasOwn(matchLabels, NAMESPACE_NAME_LABEL)) narrow([stringOf(matchLabels[NAMESPACE_NAME_LABEL])]);
  for (const requirement of array(selector.matchExpressions)) {
    if (isRecord(requirement) && requirement.key === NAMESPACE_NAME_LABEL && requirement.operator === 'In') narrow(array(requirement.values).map(stringOf));
  }
  return names === undefined ? undefined : [...names];
}

/** The Kubernetes minor from which every namespace carries `kubernetes.io/metadata.name`. */
export const NAME_LABEL_SINCE_MINOR = 21;

function mentionsName(selector: Selector): boolean {
  return Object.hasOwn(record(selector.matchLabels) ?? {}, NAMESPACE_NAME_LABEL) ||
    array(selector.matchExpressions).some((requirement) => record(requirement)?.key === NAMESPACE_NAME_LABEL);
}

/** Does the selector ask for the namespace's name and nothing else? */
function asksOnlyForName(selector: Selector): boolean {
  const keys = [...Object.keys(record(selector.matchLabels) ?? {}), ...array(selector.matchExpressions).map((requirement) => str(record(requirement)?.key))];
  return keys.every((key) => key === NAMESPACE_NAME_LABEL);
}

export class SelectorKnowledge {
  readonly reachability: Reachability;
  private readonly namespacesWithWorkloads = new Set<string>();

  constructor(
    private readonly inventory: Inventory,
    private readonly version: KubeVersion,
  ) {
    this.reachability = inventory.reachability();
    for (const group of this.reachability.endpoints.groups) this.namespacesWithWorkloads.add(group.namespace);
  }

  /** Are all the pods of this namespace in the input? */
  knowsPodsOf(namespace: string): boolean {
    if (this.inventory.readsWholeNamespace(namespace)) return true;
    return this.namespacesWithWorkloads.has(namespace) && !this.inventory.namespacesWithCustomResources.has(namespace);
  }

  private podsUnknown(namespace: string): string {
    return this.namespacesWithWorkloads.has(namespace)
      ? `a custom resource in namespace ${namespace} may run pods the input does not show`
      : `the input has no workload in namespace ${namespace}`;
  }

  /** Before 1.21 the API server does not label namespaces with their name; the network model always does. */
  private withoutNameLabel(selector: Selector | null): boolean {
    return selector !== null && this.version.minor < NAME_LABEL_SINCE_MINOR && mentionsName(selector);
  }

  /** The namespaces a namespaceSelector picks, and whether a namespace outside the input could be one more. */
  namespacesOf(selector: Selector): { names: readonly string[]; complete: boolean; why: string } {
    if (this.withoutNameLabel(selector)) return this.namespacesBeforeNameLabel(selector);
    const names = this.reachability.index.namespaces(selector);
    if (this.inventory.readsEveryNamespace()) return { names, complete: true, why: '' };
    const pinned = pinnedNamespaces(selector);
    if (pinned === undefined) {
      return { names, complete: false, why: 'the namespaceSelector picks namespaces by labels, and namespaces outside the input may carry them' };
    }
    const model = this.reachability.model;
    for (const name of pinned) {
      if (this.inventory.readsWholeNamespace(name) || model.declaredNamespaces.has(name)) continue;
      if (model.namespaces.has(name) && asksOnlyForName(selector)) continue;
      return {
        names,
        complete: false,
        why: model.namespaces.has(name) ? `the input has no Namespace object for ${name}, so its labels are unknown` : `namespace ${name} is not in the input`,
      };
    }
    return { names, complete: true, why: '' };
  }

  /**
   * Before 1.21 only the labels a Namespace object writes count: `kubernetes.io/metadata.name` matches where it was
   * set by hand, and a namespace known only by name has labels nobody knows.
   */
  private namespacesBeforeNameLabel(selector: Selector): { names: readonly string[]; complete: boolean; why: string } {
    const names: string[] = [];
    for (const entry of this.inventory.namespaces.values()) {
      if (entry.name !== null && entry.declared && selectorMatches(selector, entry.declared.labels)) names.push(entry.name);
    }
    const model = this.reachability.model;
    const pinned = pinnedNamespaces(selector);
    const shown = (name: string) => model.declaredNamespaces.has(name) || (this.inventory.readsWholeNamespace(name) && !model.namespaces.has(name));
    const complete = this.inventory.readsEveryNamespace() || (pinned !== undefined && pinned.every(shown));
    return { names, complete, why: complete ? '' : 'before Kubernetes 1.21 only a Namespace object shows whether it carries kubernetes.io/metadata.name' };
  }

  /** What a policy's own podSelector picks in its namespace. */
  policyTargets(policy: Policy): SelectorVerdict {
    if (selectsEverything(policy.podSelector)) return { kind: 'selects' };
    if (this.reachability.index.groupsIn(policy.namespace, policy.podSelector).length > 0) return { kind: 'selects' };
    if (!this.knowsPodsOf(policy.namespace)) return { kind: 'unknown', why: this.podsUnknown(policy.namespace) };
    return {
      kind: 'nothing',
      field: 'podSelector',
      why: `no workload in namespace ${policy.namespace} ${this.inventory.searched} has labels ${describeSelector(policy.podSelector)}`,
    };
  }

  /**
   * What a Cilium policy's endpointSelector picks, with Cilium's own matching (kube/cilium-policy.ts): a
   * CiliumNetworkPolicy within its namespace, a cluster-wide one anywhere (judged only when every namespace was read).
   */
  ciliumTargets(entry: CiliumSelectorEntry): SelectorVerdict {
    if (ciliumSelectsWholeNamespace(entry.spec, entry.namespace)) return { kind: 'selects' };
    // Endpoint groups: the endpoints of one share their namespace and labels, all that Cilium's selection reads.
    const candidates = this.reachability.endpoints.groups.filter((group) => entry.namespace === null || group.namespace === entry.namespace);
    if (candidates.some((group) => ciliumSelects(entry.spec, group.labels, group.namespace))) return { kind: 'selects' };
    const selector = describeSelector(entry.spec.endpointSelector);
    if (entry.namespace === null) {
      return this.inventory.readsEveryNamespace()
        ? { kind: 'nothing', field: 'podSelector', why: `no workload ${this.inventory.searched} has labels ${selector}` }
        : { kind: 'unknown', why: 'a cluster-wide policy may select pods of any namespace' };
    }
    if (!this.knowsPodsOf(entry.namespace)) return { kind: 'unknown', why: this.podsUnknown(entry.namespace) };
    return { kind: 'nothing', field: 'podSelector', why: `no workload in namespace ${entry.namespace} ${this.inventory.searched} has labels ${selector}` };
  }

  /** What one podSelector/namespaceSelector peer of a policy's rule picks. */
  peerTargets(policy: Policy, peer: PodsPeer): SelectorVerdict {
    const namespaces = peer.namespaceSelector === null ? { names: [policy.namespace], complete: true, why: '' } : this.namespacesOf(peer.namespaceSelector);
    const noNamespace = (): SelectorVerdict => ({
      kind: 'nothing',
      field: 'namespaceSelector',
      why:
        `no namespace ${this.inventory.searched} has labels ${describeSelector(peer.namespaceSelector)}` +
        (this.withoutNameLabel(peer.namespaceSelector) ? ` (before Kubernetes 1.${NAME_LABEL_SINCE_MINOR} the API server does not set ${NAMESPACE_NAME_LABEL})` : ''),
    });
    if (peer.podSelector === null || selectsEverything(peer.podSelector)) {
      if (namespaces.names.length > 0) return { kind: 'selects' };
      return namespaces.complete ? noNamespace() : { kind: 'unknown', why: namespaces.why };
    }
    const podSelector = peer.podSelector;
    if (namespaces.names.some((name) => this.reachability.index.groupsIn(name, podSelector).length > 0)) return { kind: 'selects' };
    if (!namespaces.complete) return { kind: 'unknown', why: namespaces.why };
    if (namespaces.names.length === 0) return noNamespace();
    const unseen = namespaces.names.find((name) => !this.knowsPodsOf(name));
    if (unseen !== undefined) return { kind: 'unknown', why: this.podsUnknown(unseen) };
    const where = namespaces.names.length === 1 ? `namespace ${namespaces.names[0] as string}` : `namespaces ${namespaces.names.join(', ')}`;
    return { kind: 'nothing', field: 'podSelector', why: `no workload in ${where} ${this.inventory.searched} has labels ${describeSelector(peer.podSelector)}` };
  }
}
