/**
 * Reads audit.k8s.io Policy files and validates them the way kube-apiserver does when it starts (research note
 * A.3): a policy the API server would refuse is reported with its file and line, never half-evaluated.
 */
import { describeReadError, readInputFile } from '../../loader/safe-read.js';
import { loadResources, type InputError, type ResourceDocument } from '../../loader/source.js';
import { formatFieldPath, type FieldPath } from '../../vocabulary/field-path.js';
import { isRecord, stringOf } from '../../util/object.js';
import { AUDIT_LEVELS, AUDIT_STAGES, isAuditLevel, isAuditStage, type AuditStage } from '../event.js';
import type { AuditPolicy, AuditPolicyRule, GroupResources } from './types.js';

const POLICY_API_VERSIONS = new Set(['audit.k8s.io/v1', 'audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1']);
/** A lower-case RFC 1123 subdomain, as API group names must be. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Every Policy in the file; problems go to `errors` (file, line, what is wrong) and an invalid policy is left out. */
export async function loadAuditPolicies(file: string, errors: InputError[]): Promise<AuditPolicy[]> {
  let bytes: Uint8Array;
  try {
    bytes = readInputFile(file, 'policy', { allowPipe: true });
  } catch (error) {
    errors.push({ file, line: null, column: null, message: describeReadError(error) });
    return [];
  }
  return parseAuditPolicies(file, bytes, errors);
}

export function parseAuditPolicies(file: string, bytes: Uint8Array, errors: InputError[]): AuditPolicy[] {
  const policies: AuditPolicy[] = [];
  let seen = 0;
  for (const { object, document } of loadResources(file, bytes, errors, false)) {
    if (object.kind !== 'Policy' || !POLICY_API_VERSIONS.has(String(object.apiVersion))) continue;
    seen++;
    const policy = readPolicy(object, document, errors);
    if (policy) policies.push(policy);
  }
  if (seen === 0 && !errors.some((error) => error.file === file)) {
    errors.push({ file, line: null, column: null, message: 'no audit.k8s.io/v1 Policy in this file (kind: Policy, apiVersion: audit.k8s.io/v1)' });
  }
  return policies;
}

function readPolicy(object: Record<string, unknown>, document: ResourceDocument, errors: InputError[]): AuditPolicy | undefined {
  const problems: Problem[] = [];
  const rulesValue = object.rules;
  if (rulesValue !== undefined && rulesValue !== null && !Array.isArray(rulesValue)) problems.push({ path: ['rules'], message: 'rules must be a list' });
  const rules: AuditPolicyRule[] = [];
  for (const [index, value] of (Array.isArray(rulesValue) ? rulesValue : []).entries()) {
    const rule = readRule(value, index, document, problems);
    if (rule) rules.push(rule);
  }
  const omitStages = readStages(object.omitStages, ['omitStages'], problems);
  const omitManagedFields = readBoolean(object.omitManagedFields, ['omitManagedFields'], problems) ?? false;
  for (const problem of problems) {
    const at = document.position(problem.path);
    errors.push({ file: document.file, line: at.line, column: at.column, message: `${formatFieldPath(problem.path)}: ${problem.message}` });
  }
  if (problems.length > 0) return undefined;
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  return {
    file: document.file,
    ...(typeof metadata.name === 'string' ? { name: metadata.name } : {}),
    omitStages,
    omitManagedFields,
    rules,
    line: document.position(['rules']).line,
  };
}

interface Problem {
  readonly path: FieldPath;
  readonly message: string;
}

function readRule(value: unknown, index: number, document: ResourceDocument, problems: Problem[]): AuditPolicyRule | undefined {
  const at: FieldPath = ['rules', index];
  if (!isRecord(value)) {
    problems.push({ path: at, message: 'a rule must be a mapping' });
    return undefined;
  }
  const before = problems.length;
  if (value.level === undefined || value.level === '') problems.push({ path: [...at, 'level'], message: `level is required (one of ${AUDIT_LEVELS.join(', ')})` });
  else if (!isAuditLevel(value.level)) problems.push({ path: [...at, 'level'], message: `level "${stringOf(value.level)}" is not one of ${AUDIT_LEVELS.join(', ')}` });
  const users = readStrings(value.users, [...at, 'users'], problems);
  const userGroups = readStrings(value.userGroups, [...at, 'userGroups'], problems);
  const verbs = readStrings(value.verbs, [...at, 'verbs'], problems);
  const namespaces = readStrings(value.namespaces, [...at, 'namespaces'], problems);
  const nonResourceURLs = readStrings(value.nonResourceURLs, [...at, 'nonResourceURLs'], problems);
  const resources = readGroupResources(value.resources, [...at, 'resources'], problems);
  const omitStages = readStages(value.omitStages, [...at, 'omitStages'], problems);
  const omitManagedFields = readBoolean(value.omitManagedFields, [...at, 'omitManagedFields'], problems);

  nonResourceURLs.forEach((url, position) => {
    if (url !== '*' && !url.startsWith('/')) problems.push({ path: [...at, 'nonResourceURLs', position], message: `"${url}" must be "*" or start with "/"` });
    else if (url.slice(0, -1).includes('*')) problems.push({ path: [...at, 'nonResourceURLs', position], message: `"${url}": "*" is allowed only as the last character` });
  });
  if (nonResourceURLs.length > 0 && (resources.length > 0 || namespaces.length > 0)) {
    problems.push({ path: [...at, 'nonResourceURLs'], message: 'a rule cannot combine nonResourceURLs with resources or namespaces' });
  }
  if (problems.length > before) return undefined;
  const start = document.position(at);
  return {
    index,
    level: value.level as AuditPolicyRule['level'],
    users,
    userGroups,
    verbs,
    resources,
    namespaces,
    nonResourceURLs,
    omitStages,
    ...(omitManagedFields !== undefined ? { omitManagedFields } : {}),
    line: start.line,
    column: start.column,
  };
}

function readGroupResources(value: unknown, at: FieldPath, problems: Problem[]): GroupResources[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({ path: at, message: 'must be a list of {group, resources, resourceNames}' });
    return [];
  }
  return value.flatMap((entry, index): GroupResources[] => {
    const path = [...at, index];
    if (!isRecord(entry)) {
      problems.push({ path, message: 'must be a mapping with group, resources and resourceNames' });
      return [];
    }
    const group = entry.group === undefined || entry.group === null ? '' : entry.group;
    if (typeof group !== 'string') {
      problems.push({ path: [...path, 'group'], message: 'group must be a string' });
      return [];
    }
    if (group !== '' && !DNS_SUBDOMAIN.test(group)) {
      const hint = group.includes('/') ? ' (name the group only, without its version)' : group === '*' ? ' (there is no group wildcard)' : '';
      problems.push({ path: [...path, 'group'], message: `group "${group}" is not a valid API group name${hint}` });
    }
    const resources = readStrings(entry.resources, [...path, 'resources'], problems);
    const resourceNames = readStrings(entry.resourceNames, [...path, 'resourceNames'], problems);
    if (resourceNames.length > 0 && resources.length === 0) {
      problems.push({ path: [...path, 'resourceNames'], message: 'resourceNames requires at least one entry in resources' });
    }
    return [{ group, resources, resourceNames }];
  });
}

function readStrings(value: unknown, at: FieldPath, problems: Problem[]): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({ path: at, message: 'must be a list of strings' });
    return [];
  }
  const strings: string[] = [];
  value.forEach((item, index) => {
    if (typeof item === 'string') strings.push(item);
    else problems.push({ path: [...at, index], message: `must be a string, not ${item === null ? 'null' : typeof item}` });
  });
  return strings;
}

function readStages(value: unknown, at: FieldPath, problems: Problem[]): AuditStage[] {
  const stages: AuditStage[] = [];
  readStrings(value, at, problems).forEach((stage, index) => {
    if (isAuditStage(stage)) stages.push(stage);
    else problems.push({ path: [...at, index], message: `"${stage}" is not a stage (${AUDIT_STAGES.join(', ')})` });
  });
  return stages;
}

function readBoolean(value: unknown, at: FieldPath, problems: Problem[]): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  problems.push({ path: at, message: 'must be true or false' });
  return undefined;
}
