/**
 * Whether a pod template can be placed on a node, as the scheduler's hard rules decide it: spec.nodeName,
 * nodeSelector, required node affinity, and NoSchedule/NoExecute taints left untolerated. Preferences
 * (preferred affinity, PreferNoSchedule) never keep a pod off a node, so they are ignored.
 */
import { array, isRecord, numberOf, record, str, stringOf, type Json } from '../util/object.js';
import { selectorMatches, stringLabels } from './label-selector.js';

export interface Taint {
  readonly key: string;
  readonly value: string;
  readonly effect: string;
}

/** What the scheduler needs to know of a node. */
export interface NodeFacts {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
}

export function nodeFacts(node: Json): NodeFacts {
  const metadata = record(node.metadata) ?? {};
  const taints = array(record(node.spec)?.taints)
    .filter(isRecord)
    .map((taint) => ({ key: str(taint.key) ?? '', value: str(taint.value) ?? '', effect: str(taint.effect) ?? '' }));
  return { name: str(metadata.name) ?? '', labels: stringLabels(metadata.labels), taints };
}

/**
 * Taints the DaemonSet controller tolerates on every pod it makes (node conditions and cordoning), so they never
 * keep a DaemonSet off a node.
 */
const DAEMONSET_TOLERATED = new Set([
  'node.kubernetes.io/not-ready',
  'node.kubernetes.io/unreachable',
  'node.kubernetes.io/disk-pressure',
  'node.kubernetes.io/memory-pressure',
  'node.kubernetes.io/pid-pressure',
  'node.kubernetes.io/unschedulable',
  'node.kubernetes.io/network-unavailable',
]);

/** Why a DaemonSet's pod template runs no pod on the node, or undefined when it does. */
export function whyNotOnNode(spec: Json, node: NodeFacts): string | undefined {
  const nodeName = str(spec.nodeName);
  if (nodeName !== undefined && nodeName !== '' && nodeName !== node.name) return `spec.nodeName is ${nodeName}`;
  if (isRecord(spec.nodeSelector)) {
    for (const [key, value] of Object.entries(spec.nodeSelector)) {
      if (node.labels[key] !== stringOf(value)) return `its nodeSelector ${key}=${stringOf(value)} does not match the node's labels`;
    }
  }
  const required = record(record(record(spec.affinity)?.nodeAffinity)?.requiredDuringSchedulingIgnoredDuringExecution);
  if (required && !array(required.nodeSelectorTerms).some((term) => termMatches(term, node))) {
    return 'its required node affinity does not match the node';
  }
  const tolerations = array(spec.tolerations).filter(isRecord);
  for (const taint of node.taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (DAEMONSET_TOLERATED.has(taint.key)) continue;
    if (!tolerations.some((toleration) => tolerates(toleration, taint))) {
      return `it does not tolerate the taint ${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;
    }
  }
  return undefined;
}

/** One nodeSelectorTerm: every expression and field requirement holds; a term with none matches nothing. */
function termMatches(term: unknown, node: NodeFacts): boolean {
  if (!isRecord(term)) return false;
  const expressions = array(term.matchExpressions);
  const fields = array(term.matchFields);
  if (expressions.length === 0 && fields.length === 0) return false;
  return expressions.every((requirement) => requirementHolds(requirement, node.labels)) && fields.every((requirement) => requirementHolds(requirement, { 'metadata.name': node.name }));
}

function requirementHolds(requirement: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isRecord(requirement)) return false;
  if (requirement.operator === 'Gt' || requirement.operator === 'Lt') {
    const actual = labels[str(requirement.key) ?? ''];
    const bound = numberOf(array(requirement.values)[0]);
    if (actual === undefined || !/^-?\d+$/.test(actual) || !Number.isInteger(bound)) return false;
    return requirement.operator === 'Gt' ? Number(actual) > bound : Number(actual) < bound;
  }
  return selectorMatches({ matchExpressions: [requirement] }, labels);
}

/** The scheduler's toleration rule: an empty key with Exists tolerates every taint; an empty effect, every effect. */
function tolerates(toleration: Json, taint: Taint): boolean {
  const effect = str(toleration.effect) ?? '';
  if (effect !== '' && effect !== taint.effect) return false;
  const key = str(toleration.key) ?? '';
  const operator = str(toleration.operator) ?? 'Equal';
  if (key === '') return operator === 'Exists';
  if (key !== taint.key) return false;
  return operator === 'Exists' || (operator === 'Equal' && (str(toleration.value) ?? '') === taint.value);
}
