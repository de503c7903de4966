/**
 * Answers "which endpoints does this selector pick?" without testing every endpoint: endpoints are grouped by
 * namespace and identical label set, each namespace keeps an inverted index from `key=value` to label groups, and
 * every distinct (namespace selector, pod selector, policy namespace) question is answered once.
 */
import { selectorMatches } from '../kube/label-selector.js';
import { array, isRecord } from '../util/object.js';
import type { Endpoint } from './model.js';
import type { Selector } from './policy.js';

interface LabelGroup {
  readonly labels: Readonly<Record<string, string>>;
  readonly members: number[];
}

interface NamespaceIndex {
  readonly groups: LabelGroup[];
  /** `key\0value` → groups having that label. */
  readonly byLabel: Map<string, LabelGroup[]>;
}

export class SelectorIndex {
  private readonly byNamespace = new Map<string, NamespaceIndex>();
  private readonly namespaceAnswers = new Map<string, string[]>();
  private readonly podAnswers = new Map<string, readonly number[]>();

  constructor(
    endpoints: readonly Endpoint[],
    private readonly namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>,
  ) {
    const groupKeys = new Map<string, LabelGroup>();
    endpoints.forEach((endpoint, index) => {
      let namespace = this.byNamespace.get(endpoint.namespace);
      if (!namespace) {
        namespace = { groups: [], byLabel: new Map() };
        this.byNamespace.set(endpoint.namespace, namespace);
      }
      const key = `${endpoint.namespace}\u0000${labelKey(endpoint.labels)}`;
      let group = groupKeys.get(key);
      if (!group) {
        group = { labels: endpoint.labels, members: [] };
        groupKeys.set(key, group);
        namespace.groups.push(group);
        for (const [label, value] of Object.entries(endpoint.labels)) {
          const posting = `${label}\u0000${value}`;
          const list = namespace.byLabel.get(posting);
          if (list) list.push(group);
          else namespace.byLabel.set(posting, [group]);
        }
      }
      group.members.push(index);
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

  /** Endpoints in one namespace matched by a pod selector (null: all of them), in index order. */
  podsIn(namespace: string, selector: Selector | null): readonly number[] {
    const key = `${namespace}\u0000${selector === null ? '*' : selectorKey(selector)}`;
    let answer = this.podAnswers.get(key);
    if (!answer) {
      answer = this.match(namespace, selector);
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
    let candidates: readonly LabelGroup[] = index.groups;
    // matchLabels narrows the search to the shortest posting list; the full selector then decides.
    if (selector !== null && isRecord(selector.matchLabels)) {
      for (const [label, value] of Object.entries(selector.matchLabels)) {
        const posting = index.byLabel.get(`${label}\u0000${String(value)}`) ?? [];
        if (posting.length < candidates.length) candidates = posting;
      }
    }
    const members: number[] = [];
    for (const group of candidates) {
      if (selector === null || selectorMatches(selector, group.labels)) members.push(...group.members);
    }
    return members.sort((a, b) => a - b);
  }
}

function labelKey(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .sort()
    .map((key) => `${key}\u0001${labels[key]}`)
    .join('\u0002');
}

/** A canonical text for a selector: the same requirements in any order give the same key. */
export function selectorKey(selector: Selector): string {
  const matchLabels = isRecord(selector.matchLabels) ? Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${String(v)}`).sort() : [];
  const expressions = array(selector.matchExpressions)
    .map((expression) => (isRecord(expression) ? `${String(expression.key)} ${String(expression.operator)} ${array(expression.values).map(String).sort().join(',')}` : '?'))
    .sort();
  return `${matchLabels.join('&')}|${expressions.join('&')}`;
}
