/**
 * Answers "which endpoints does this selector pick?" without testing every endpoint: the model's endpoint groups
 * (endpoints of a namespace with one label set, see endpoint-table.ts) are what is tested, each namespace keeps an
 * inverted index from `key=value` to its groups, and every distinct (namespace selector, pod selector, policy
 * namespace) question is answered once.
 */
import { selectorMatches } from '../kube/label-selector.js';
import { array, isRecord, stringOf } from '../util/object.js';
import type { EndpointGroup } from './endpoint-table.js';
import type { Selector } from './policy.js';

interface NamespaceIndex {
  /** Ids of the namespace's groups, ascending. */
  readonly groups: number[];
  /** `key\0value` → ids of the groups having that label. */
  readonly byLabel: Map<string, number[]>;
}

export class SelectorIndex {
  private readonly byNamespace = new Map<string, NamespaceIndex>();
  private readonly namespaceAnswers = new Map<string, string[]>();
  private readonly groupAnswers = new Map<string, readonly number[]>();
  private readonly podAnswers = new Map<string, readonly number[]>();

  constructor(
    private readonly groups: readonly EndpointGroup[],
    private readonly namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>,
  ) {
    groups.forEach((group, id) => {
      let namespace = this.byNamespace.get(group.namespace);
      if (!namespace) {
        namespace = { groups: [], byLabel: new Map() };
        this.byNamespace.set(group.namespace, namespace);
      }
      namespace.groups.push(id);
      for (const [label, value] of Object.entries(group.labels)) {
        const posting = `${label}\u0000${value}`;
        const list = namespace.byLabel.get(posting);
        if (list) list.push(id);
        else namespace.byLabel.set(posting, [id]);
      }
    });
  }

  /** Namespaces (with or without endpoints) whose labels match the selector. */
  namespaces(selector: Selector): readonly string[] {
    const key = selectorKey(selector);
    let answer = this.namespaceAnswers.get(key);
    if (!answer) {
      answer = [...this.namespaceLabels].filter(([, labels]) => selectorMatches(selector, labels)).map(([name]) => name);
      this.namespaceAnswers.set(key, answer);
    }
    return answer;
  }

  /** Groups of one namespace matched by a pod selector (null: all of them), ascending. */
  groupsIn(namespace: string, selector: Selector | null): readonly number[] {
    const key = `${namespace}\u0000${selector === null ? '*' : selectorKey(selector)}`;
    let answer = this.groupAnswers.get(key);
    if (!answer) {
      answer = this.match(namespace, selector);
      this.groupAnswers.set(key, answer);
    }
    return answer;
  }

  /** Endpoints in one namespace matched by a pod selector (null: all of them), in index order. */
  podsIn(namespace: string, selector: Selector | null): readonly number[] {
    const key = `${namespace}\u0000${selector === null ? '*' : selectorKey(selector)}`;
    let answer = this.podAnswers.get(key);
    if (!answer) {
      const members: number[] = [];
      for (const group of this.groupsIn(namespace, selector)) for (const member of (this.groups[group] as EndpointGroup).members) members.push(member);
      answer = members.sort((a, b) => a - b);
      this.podAnswers.set(key, answer);
    }
    return answer;
  }

  /** Endpoints a policy peer picks: pod selector within the namespaces its namespace selector picks. */
  peerPods(policyNamespace: string, namespaceSelector: Selector | null, podSelector: Selector | null): readonly number[] {
    if (namespaceSelector === null) return this.podsIn(policyNamespace, podSelector);
    const key = `*\u0000${selectorKey(namespaceSelector)}\u0000${podSelector === null ? '*' : selectorKey(podSelector)}`;
    let answer = this.podAnswers.get(key);
    if (!answer) {
      const found: number[] = [];
      for (const namespace of this.namespaces(namespaceSelector)) found.push(...this.podsIn(namespace, podSelector));
      answer = found.sort((a, b) => a - b);
      this.podAnswers.set(key, answer);
    }
    return answer;
  }

  private match(namespace: string, selector: Selector | null): number[] {
    const index = this.byNamespace.get(namespace);
    if (!index) return [];
    let candidates: readonly number[] = index.groups;
    // matchLabels narrows the search to the shortest posting list; the full selector then decides.
    if (selector !== null && isRecord(selector.matchLabels)) {
      for (const [label, value] of Object.entries(selector.matchLabels)) {
        const posting = index.byLabel.get(`${label}\u0000${stringOf(value)}`) ?? [];
        if (posting.length < candidates.length) candidates = posting;
      }
    }
    return candidates.filter((group) => selector === null || selectorMatches(selector, (this.groups[group] as EndpointGroup).labels));
  }
}

/** A canonical text for a selector: the same requirements in any order give the same key. */
export function selectorKey(selector: Selector): string {
  const matchLabels = isRecord(selector.matchLabels) ? Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${stringOf(v)}`).sort() : [];
  const expressions = array(selector.matchExpressions)
    .map((expression) => (isRecord(expression) ? `${stringOf(expression.key)} ${stringOf(expression.operator)} ${array(expression.values).map(stringOf).sort().join(',')}` : '?'))
    .sort();
  return `${matchLabels.join('&')}|${expressions.join('&')}`;
}
