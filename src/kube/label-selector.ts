import { array, isRecord, record, str, stringOf } from '../util/object.js';

/**
 * Kubernetes label-selector semantics: every matchLabels pair and every matchExpressions requirement must hold;
 * an empty selector matches everything. An unknown operator matches nothing (the API server would reject it).
 */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isRecord(selector)) return false;
  if (isRecord(selector.matchLabels)) {
    for (const [key, value] of Object.entries(selector.matchLabels)) {
      if (labels[key] !== stringOf(value)) return false;
    }
  }
  for (const requirement of array(selector.matchExpressions)) {
    if (!isRecord(requirement)) return false;
    const key = str(requirement.key) ?? '';
    const values = array(requirement.values).map(stringOf);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (requirement.operator) {
      case 'In':
        if (!has || !values.includes(labels[key] as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key] as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A selector with no requirements at all (`{}`), which selects every pod of the namespace. */
export function selectsEverything(selector: unknown): boolean {
  if (!isRecord(selector)) return false;
  const matchLabels = isRecord(selector.matchLabels) ? Object.keys(selector.matchLabels).length : 0;
  return matchLabels === 0 && array(selector.matchExpressions).length === 0;
}

export function stringLabels(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const labels: Record<string, string> = {};
  for (const [key, label] of Object.entries(value)) labels[key] = stringOf(label);
  return labels;
}

/** A selector as kubectl writes one (`app=web,tier in (a,b),!legacy`); `{}` for the empty selector. */
export function describeSelector(selector: unknown): string {
  if (!isRecord(selector)) return '(none)';
  const parts = Object.entries(record(selector.matchLabels) ?? {}).map(([key, value]) => `${key}=${stringOf(value)}`);
  for (const requirement of array(selector.matchExpressions)) {
    const key = str(record(requirement)?.key) ?? '?';
    const values = array(record(requirement)?.values).map(stringOf).join(',');
    const operator = record(requirement)?.operator;
    parts.push(operator === 'Exists' ? key : operator === 'DoesNotExist' ? `!${key}` : `${key} ${stringOf(operator).toLowerCase()} (${values})`);
  }
  return parts.length === 0 ? '{}' : parts.join(',');
}
