import { array, record } from '../util/object.js';
import { selectsEverything } from './label-selector.js';

export type Direction = 'Ingress' | 'Egress';

/**
 * The policy types the API server defaults: as written, or else Ingress, plus Egress when `spec.egress` has at
 * least one rule (so an egress-only policy without policyTypes also denies all ingress).
 */
export function effectivePolicyTypes(spec: unknown): Set<Direction> {
  const policy = record(spec) ?? {};
  const written = array(policy.policyTypes).filter((type): type is Direction => type === 'Ingress' || type === 'Egress');
  if (written.length > 0) return new Set(written);
  const types = new Set<Direction>(['Ingress']);
  if (array(policy.egress).length > 0) types.add('Egress');
  return types;
}

/** `podSelector: {}`, the direction in its types, and no rules for it: nothing may pass that way. */
export function isDefaultDeny(spec: unknown, direction: Direction): boolean {
  const policy = record(spec);
  if (!policy || !selectsEverything(policy.podSelector)) return false;
  if (!effectivePolicyTypes(policy).has(direction)) return false;
  return array(policy[direction === 'Ingress' ? 'ingress' : 'egress']).length === 0;
}
