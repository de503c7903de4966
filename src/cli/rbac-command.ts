import { isClusterScoped, parseResourceArgument } from '../rbac/authorize.js';
import { describeChain, describeScope, type Grant } from '../rbac/graph.js';
import { loadRbac } from '../rbac/load.js';
import { describeSubject, type PolicyRule } from '../rbac/model.js';
import type { InputError } from '../loader/source.js';
import { inputErrorText, terminalText } from '../report/terminal-text.js';
import { UsageError } from './usage-error.js';

export interface RbacOptions {
  namespace?: string;
  /** who-can: the object the request names (rules limited by resourceNames match only their names). */
  name?: string;
  format: 'table' | 'json';
}

const SUBJECT_KINDS = ['User', 'Group', 'ServiceAccount'] as const;

/** `kubeharden rbac who-can VERB RESOURCE [PATH...]`: every subject the manifests allow to do it. */
export async function runWhoCan(verb: string, resource: string, paths: string[], options: RbacOptions): Promise<number> {
  if (paths.length === 0) throw new UsageError('give the manifests to read RBAC from, e.g. kubeharden rbac who-can get secrets deploy/');
  const errors: InputError[] = [];
  const graph = await loadRbac(paths, errors);
  const namespace = options.namespace ?? null;
  if (options.name !== undefined && resource.startsWith('/')) throw new UsageError('--name applies to resources, not to non-resource URLs');
  const request = resource.startsWith('/') ? undefined : { verb, ...parseResourceArgument(resource), ...(options.name === undefined ? {} : { name: options.name }) };
  const grants = request ? graph.whoCan(request, namespace) : graph.whoCanNonResource(verb, resource);
  // Non-resource URLs and cluster-scoped resources have no namespace: their grants apply cluster-wide.
  const clusterScoped = request === undefined || isClusterScoped(request);
  const named = options.name === undefined ? '' : ` named ${options.name}`;
  const where = `${named}${clusterScoped ? '' : namespace === null ? ' in any namespace' : ` in namespace ${namespace}`}`;
  if (options.format === 'json') {
    write(JSON.stringify({ verb, resource, ...(options.name === undefined ? {} : { name: options.name }), namespace, grants: grants.map(grantJson), errors }, null, 2));
  } else {
    const lines = [`Who can ${verb} ${resource}${where}:`];
    if (grants.length === 0) lines.push('  nobody, in the scanned files');
    for (const grant of grants) lines.push(`  ${describeSubject(grant.subject)}  ${describeScope(grant, clusterScoped)}  via ${describeChain(grant)}`);
    write(`${lines.map((line) => terminalText(line)).join('\n')}${errorLines(errors)}`);
  }
  return errors.length > 0 ? 2 : 0;
}

/** `kubeharden rbac subject KIND NAME [PATH...]`: everything the manifests let one subject do. */
export async function runSubject(kind: string, name: string, paths: string[], options: RbacOptions): Promise<number> {
  const subjectKind = SUBJECT_KINDS.find((candidate) => candidate.toLowerCase() === kind.toLowerCase());
  if (!subjectKind) throw new UsageError(`subject kind must be User, Group or ServiceAccount, not "${kind}"`);
  if (paths.length === 0) throw new UsageError('give the manifests to read RBAC from, e.g. kubeharden rbac subject Group system:authenticated rbac/');
  let namespace = options.namespace ?? null;
  let subjectName = name;
  if (subjectKind === 'ServiceAccount' && name.includes(':')) [namespace, subjectName] = name.split(':', 2) as [string, string];
  if (subjectKind === 'ServiceAccount' && namespace === null) throw new UsageError('a ServiceAccount needs --namespace (or NAMESPACE:NAME)');
  const errors: InputError[] = [];
  const graph = await loadRbac(paths, errors);
  const grants = graph.grantsOf(subjectKind, subjectName, subjectKind === 'ServiceAccount' ? namespace : null);
  if (options.format === 'json') {
    write(JSON.stringify({ subject: { kind: subjectKind, name: subjectName, namespace }, grants: grants.map((grant) => ({ ...grantJson(grant), rules: grant.rules })), errors }, null, 2));
  } else {
    const lines = [`${subjectKind} ${subjectKind === 'ServiceAccount' ? `${namespace}/` : ''}${subjectName}:`];
    if (grants.length === 0) lines.push('  no bindings in the scanned files');
    for (const grant of grants) {
      lines.push(`  ${describeScope(grant)}, via ${describeChain(grant)}`);
      for (const rule of grant.rules) lines.push(`    ${describeRule(rule)}`);
    }
    write(`${lines.map((line) => terminalText(line)).join('\n')}${errorLines(errors)}`);
  }
  return errors.length > 0 ? 2 : 0;
}

function describeRule(rule: PolicyRule): string {
  if (rule.nonResourceURLs.length > 0) return `${rule.verbs.join(',')} on ${rule.nonResourceURLs.join(',')}`;
  const groups = rule.apiGroups.map((group) => (group === '' ? 'core' : group)).join(',');
  const names = rule.resourceNames.length > 0 ? ` named ${rule.resourceNames.join(',')}` : '';
  return `${rule.verbs.join(',')} on ${rule.resources.join(',')} (${groups})${names}`;
}

function grantJson(grant: Grant) {
  return {
    subject: grant.subject,
    scope: grant.clusterWide ? { clusterWide: true } : { clusterWide: false, namespace: grant.namespace },
    binding: { kind: grant.binding.kind, name: grant.binding.name, namespace: grant.binding.namespace },
    role: { kind: grant.binding.roleRef.kind, name: grant.binding.roleRef.name, found: grant.role !== undefined },
    aggregatedFrom: grant.aggregatedFrom,
  };
}

function errorLines(errors: readonly InputError[]): string {
  return errors.length === 0 ? '' : `\nInput errors (${errors.length}):\n${errors.map((e) => `  ${inputErrorText(e, '  ')}`).join('\n')}`;
}

function write(text: string): void {
  process.stdout.write(`${text}\n`);
}
