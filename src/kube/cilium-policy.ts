/**
 * CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy, the two policy kinds most clusters use beside
 * NetworkPolicy. A policy has one `spec` or a list of `specs`, each with an `endpointSelector`. An endpoint that a
 * rule section selects (ingress/ingressDeny, egress/egressDeny) is in default-deny for that direction.
 */
import { array, isRecord, record, stringOf } from '../util/object.js';
import { selectorMatches, selectsEverything } from './label-selector.js';
import type { Direction } from './network-policy.js';

/** The namespace label Cilium gives every endpoint, which cluster-wide policies select on. */
const NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';

export function ciliumSpecs(object: Record<string, unknown>): Record<string, unknown>[] {
  const specs = array(object.specs).filter(isRecord);
  return isRecord(object.spec) ? [object.spec, ...specs] : specs;
}

/** Cilium selector keys may carry a source prefix (`k8s:app`, `any:app`); labels of pods have none. */
function withoutSources(selector: unknown): unknown {
  const value = record(selector);
  if (!value) return selector;
  const strip = (key: string) => key.replace(/^(?:k8s|any):/, '');
  return {
    matchLabels: Object.fromEntries(Object.entries(record(value.matchLabels) ?? {}).map(([key, label]) => [strip(key), label])),
    matchExpressions: array(value.matchExpressions).map((requirement) =>
      isRecord(requirement) ? { ...requirement, key: strip(stringOf(requirement.key ?? '')) } : requirement,
    ),
  };
}

export function ciliumSelects(spec: Record<string, unknown>, labels: Readonly<Record<string, string>>, namespace: string | null): boolean {
  const selector = withoutSources(spec.endpointSelector);
  return selectorMatches(selector, namespace === null ? labels : { ...labels, [NAMESPACE_LABEL]: namespace });
}

/** Does the spec select every endpoint of the namespace (or, cluster-wide, of every namespace it names)? */
export function ciliumSelectsWholeNamespace(spec: Record<string, unknown>, namespace: string | null): boolean {
  const selector = withoutSources(spec.endpointSelector);
  if (selectsEverything(selector)) return true;
  // A cluster-wide policy may select a namespace by its label and nothing else.
  const matchLabels = record(record(selector)?.matchLabels) ?? {};
  const keys = Object.keys(matchLabels);
  return namespace !== null && keys.length === 1 && keys[0] === NAMESPACE_LABEL && array(record(selector)?.matchExpressions).length === 0 &&
    matchLabels[NAMESPACE_LABEL] === namespace;
}

export function ciliumCovers(spec: Record<string, unknown>, direction: Direction): boolean {
  const sections = direction === 'Ingress' ? ['ingress', 'ingressDeny'] : ['egress', 'egressDeny'];
  return sections.some((section) => Array.isArray(spec[section]));
}
