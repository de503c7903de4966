/** `kubeharden audit explain | lint | estimate | recommend`: the audit policy engine on the command line. */
import type { Command } from 'commander';
import { control as auditLogControl } from '../controls/control-plane/audit-log.js';
import { control as auditRetentionControl } from '../controls/control-plane/audit-log-retention.js';
import { evaluateComponent } from '../engine/component-evaluate.js';
import type { Finding } from '../vocabulary/finding.js';
import type { Described } from '../engine/scores.js';
import type { InputError } from '../loader/source.js';
import { NEWEST_KNOWN_MINOR } from '../kube/version.js';
import { parseResourceArgument } from '../rbac/authorize.js';
import { DEFAULT_DETECTION_SETTINGS, type DetectionRule, type DetectionSettings } from '../audit/detect/rule.js';
import { VolumeEstimator, type VolumeEstimate } from '../audit/estimate/estimate.js';
import { loadApiserverFlags } from '../audit/lint/apiserver-flags.js';
import { lintPolicy } from '../audit/lint/lint.js';
import { POLICY_LINT_RULES } from '../audit/lint/rules/index.js';
import { explainRequest } from '../audit/policy/explain.js';
import { loadAuditPolicies } from '../audit/policy/load.js';
import { RECOMMENDED_POLICY_YAML } from '../audit/policy/recommended.js';
import { describeRequest } from '../audit/policy/sample.js';
import type { AuditPolicy, AuditPolicyRule, AuditRequest } from '../audit/policy/types.js';
import { AuditFindings, auditReportInput } from '../audit/report/report-input.js';
import { detectInLogs } from '../audit/detect/detect.js';
import { catalogEntry, renderCatalogJson, renderCatalogTable } from '../report/catalog.js';
import { colorEnabled, palette } from '../report/color.js';
import { inputErrorText, terminalText } from '../report/terminal-text.js';
import { emitReports, prepareReportSession } from './scan-command.js';
import { splitList } from './scan-options.js';
import { UsageError } from './usage-error.js';
import { alignColumns } from '../util/columns.js';

export interface ExplainOptions {
  user?: string;
  group: string[];
  verb: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  path?: string;
  format: 'table' | 'json';
}

/** Reads the one policy a command works on; errors are usage errors (exit 2) naming the file and line. */
async function readOnePolicy(file: string): Promise<AuditPolicy> {
  const errors: InputError[] = [];
  const policies = await loadAuditPolicies(file, errors);
  if (errors.length > 0) {
    // A usage error is one line: the problems go before it, one line each.
    for (const error of errors.slice(0, -1)) process.stderr.write(`kubeharden: ${inputErrorText(error)}\n`);
    throw new UsageError(inputErrorText(errors[errors.length - 1] as InputError));
  }
  if (policies.length > 1) throw new UsageError(`${file} holds ${policies.length} audit policies; the API server reads one: give a file with one Policy`);
  return policies[0] as AuditPolicy;
}

export async function runAuditExplain(file: string, options: ExplainOptions): Promise<number> {
  const policy = await readOnePolicy(file);
  const request = explainedRequest(options);
  const explanation = explainRequest(policy, request);
  const { decision } = explanation;
  if (options.format === 'json') {
    write(JSON.stringify({
      request,
      level: decision.level,
      rule: decision.rule ? { index: decision.rule.index, number: decision.rule.index + 1, line: decision.rule.line } : null,
      stages: explanation.stages,
      omitManagedFields: decision.omitManagedFields,
      records: explanation.records,
      skipped: explanation.skipped.map(({ rule, reason }) => ({ number: rule.index + 1, line: rule.line, reason })),
    }, null, 2));
    return 0;
  }
  const who = request.user === null ? 'an unauthenticated request' : `${request.user.name}${request.user.groups.length ? ` (groups ${request.user.groups.join(', ')})` : ''}`;
  const lines = [`Request:  ${who}: ${describeRequest(request)}`];
  lines.push(decision.rule
    ? `Decided:  rule ${decision.rule.index + 1} (${file}:${decision.rule.line}): level ${decision.level}`
    : `Decided:  no rule matches: level None (nothing is logged)`);
  if (decision.level !== 'None') {
    lines.push(`Records:  ${explanation.records.join('; ')}`);
    lines.push(`Stages:   ${explanation.stages.written.join(', ')}${explanation.stages.omitted.length ? ` (omitted: ${explanation.stages.omitted.join(', ')})` : ''}`);
  }
  if (explanation.skipped.length > 0) {
    lines.push('Rules above it that did not match:');
    for (const { rule, reason } of explanation.skipped) lines.push(`  rule ${rule.index + 1} (line ${rule.line}, ${rule.level}): ${reason}`);
  }
  write(lines.map((line) => terminalText(line)).join('\n'));
  return 0;
}

function explainedRequest(options: ExplainOptions): AuditRequest {
  const user = options.user === undefined ? null : { name: options.user, groups: options.group.flatMap(splitList) };
  if (options.user === undefined && options.group.length > 0) throw new UsageError('--group needs --user (a request without a user has no groups)');
  if (options.path !== undefined) {
    if (options.resource !== undefined) throw new UsageError('give --resource (a resource request) or --path (a non-resource URL), not both');
    if (!options.path.startsWith('/')) throw new UsageError('--path must start with /, e.g. /healthz');
    return { user, verb: options.verb, resourceRequest: false, namespace: '', apiGroup: '', resource: '', subresource: '', name: '', path: options.path.split('?')[0] as string };
  }
  if (options.resource === undefined) throw new UsageError('give --resource (e.g. pods, deployments.apps, pods/exec) or --path for a non-resource URL');
  const parsed = parseResourceArgument(options.resource);
  if (parsed.subresource !== undefined && options.subresource !== undefined) throw new UsageError('give the subresource once: --resource pods/log or --subresource log');
  return {
    user,
    verb: options.verb,
    resourceRequest: true,
    namespace: options.namespace ?? '',
    apiGroup: parsed.group,
    resource: parsed.resource,
    subresource: parsed.subresource ?? options.subresource ?? '',
    name: options.name ?? '',
    path: '',
  };
}

/** `audit lint`'s own flag; the report flags come from the command (see `prepareReportSession`). */
export interface LintOptions {
  apiserverFlags?: string;
}

export async function runAuditLint(files: string[], options: LintOptions, command: Command, detections: readonly DetectionRule[]): Promise<number> {
  const session = prepareReportSession(command, files);
  const errors: InputError[] = [];
  const findings = new AuditFindings();
  let policies = 0;
  for (const file of files) {
    for (const policy of await loadAuditPolicies(file, errors)) {
      policies++;
      for (const finding of lintPolicy(policy, POLICY_LINT_RULES, detections)) findings.add(finding, finding.location.file);
    }
  }
  const rules: Described[] = [...POLICY_LINT_RULES];
  if (options.apiserverFlags !== undefined) {
    const component = await loadApiserverFlags(options.apiserverFlags, errors);
    if (component) {
      const evaluated = evaluateComponent(component, [auditLogControl, auditRetentionControl], { minor: NEWEST_KNOWN_MINOR });
      for (const finding of evaluated.findings) findings.add(finding, finding.location.file);
      rules.push(...evaluated.ran);
    }
  }
  const input = auditReportInput({ findings, errors, rules, assessed: policies, inputs: files.length + (options.apiserverFlags ? 1 : 0) });
  return emitReports(session, input, { target: { kind: 'audit-policy', name: [...files, ...(options.apiserverFlags ? [options.apiserverFlags] : [])].join(', ') } });
}

export interface EstimateOptions {
  policy: string[];
  format: 'table' | 'json';
}

export async function runAuditEstimate(logs: string[], options: EstimateOptions, readEvents: EventSource): Promise<number> {
  if (options.policy.length === 0) throw new UsageError('give at least one --policy FILE to estimate, e.g. --policy appendix-l.yaml --policy recommended.yaml');
  if (logs.length === 0) throw new UsageError('give the audit logs to replay (JSON lines, gzip, or - for standard input)');
  const policies = await Promise.all(options.policy.map(readOnePolicy));
  const estimator = new VolumeEstimator(policies);
  const errors: InputError[] = [];
  for (const log of logs) for await (const logged of readEvents(log, errors)) estimator.add(logged);
  const estimate = estimator.finish();
  write(options.format === 'json' ? JSON.stringify({ ...estimate, errors }, null, 2) : estimateTable(estimate, policies));
  for (const error of errors) process.stderr.write(`kubeharden: ${inputErrorText(error)}\n`);
  return errors.length > 0 ? 2 : 0;
}

export type EventSource = (source: string, errors: InputError[]) => AsyncIterable<import('../audit/event.js').LoggedEvent>;

function estimateTable(estimate: VolumeEstimate, policies: readonly AuditPolicy[]): string {
  const span = estimate.spanSeconds === null ? 'unknown' : formatDuration(estimate.spanSeconds);
  const lines = [
    `Replayed ${estimate.requests} requests (${estimate.recordedEvents} recorded events, ${formatBytes(estimate.recordedBytes)}) spanning ${span}.`,
    'Requests the recording policy did not log at all cannot be replayed; bodies it did not keep are estimated from similar requests.',
    '',
  ];
  const header = ['POLICY', 'EVENTS', 'BYTES', 'EVENTS/DAY', 'BYTES/DAY', 'EST. BODIES'];
  const rows = estimate.policies.map((volume) => [
    volume.file,
    String(volume.events),
    formatBytes(volume.bytes),
    volume.eventsPerDay === null ? '-' : String(volume.eventsPerDay),
    volume.bytesPerDay === null ? '-' : formatBytes(volume.bytesPerDay),
    String(volume.estimatedBodies),
  ]);
  lines.push(...alignColumns([header, ...rows]));
  for (const [index, volume] of estimate.policies.entries()) {
    const policy = policies[index] as AuditPolicy;
    lines.push('', `${volume.file}, per rule (largest first):`);
    const ruleRows = volume.rules.map((entry) => [
      entry.index === -1 ? 'no match' : `rule ${entry.index + 1} (line ${entry.line})`,
      entry.level,
      String(entry.requests),
      String(entry.events),
      formatBytes(entry.bytes),
      entry.index === -1 ? '' : summarizeRule(policy.rules[entry.index] as AuditPolicyRule),
    ]);
    lines.push(...alignColumns([['RULE', 'LEVEL', 'REQUESTS', 'EVENTS', 'BYTES', 'MATCHES'], ...ruleRows], '  '));
  }
  return lines.map((line) => terminalText(line)).join('\n');
}

function summarizeRule(rule: AuditPolicyRule): string {
  const parts: string[] = [];
  if (rule.users.length) parts.push(`users ${rule.users.join(',')}`);
  if (rule.userGroups.length) parts.push(`groups ${rule.userGroups.join(',')}`);
  if (rule.verbs.length) parts.push(`verbs ${rule.verbs.join(',')}`);
  if (rule.resources.length) parts.push(`resources ${rule.resources.map((entry) => `${entry.group === '' ? 'core' : entry.group}:${entry.resources.length ? entry.resources.join(',') : '*'}`).join(' ')}`);
  if (rule.namespaces.length) parts.push(`namespaces ${rule.namespaces.map((n) => JSON.stringify(n)).join(',')}`);
  if (rule.nonResourceURLs.length) parts.push(`urls ${rule.nonResourceURLs.join(',')}`);
  return parts.length ? parts.join('; ') : 'everything';
}

export interface DetectOptions {
  trustedUser: string[];
  trustedImage: string[];
  burstThreshold: string;
  burstWindow: string;
}

export async function runAuditDetect(logs: string[], options: DetectOptions, command: Command, rules: readonly DetectionRule[]): Promise<number> {
  if (logs.length === 0) throw new UsageError('give the audit logs to read (JSON lines, gzip, or - for standard input)');
  if (logs.filter((log) => log === '-').length > 1) throw new UsageError('standard input (-) can be given only once');
  const session = prepareReportSession(command, logs);
  const settings = detectionSettings(options);
  const errors: InputError[] = [];
  const run = await detectInLogs(logs, rules, settings, errors);
  const input = auditReportInput({
    findings: run.findings,
    errors,
    rules,
    assessed: run.events,
    inputs: logs.length,
  });
  return emitReports(session, input, { target: { kind: 'audit-log', name: logs.join(', ') } });
}

/** The detection flags `audit detect` and `audit serve` share. */
export function detectionSettings(options: DetectOptions): DetectionSettings {
  return {
    trustedUsers: options.trustedUser.flatMap(splitList),
    trustedImages: [...DEFAULT_DETECTION_SETTINGS.trustedImages, ...options.trustedImage.flatMap(splitList)],
    burstThreshold: positiveInteger('--burst-threshold', options.burstThreshold),
    burstWindowSeconds: positiveInteger('--burst-window', options.burstWindow),
  };
}

export function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} must be a whole number of at least 1, not "${text}"`);
  return value;
}

/** `audit rules`: the lint and detection rules, as `kubeharden controls` lists the controls. */
export function runAuditRules(options: { format: 'table' | 'json'; color?: boolean }, detections: readonly DetectionRule[]): number {
  const entries = [...POLICY_LINT_RULES, ...detections].map((rule) => catalogEntry(rule.meta));
  if (options.format === 'json') {
    const needs = new Map(detections.map((rule) => [rule.meta.id, { needs: rule.meta.needs, covers: rule.meta.covers, attack: rule.meta.attack }]));
    process.stdout.write(renderCatalogJson(entries.map((entry) => ({ ...entry, ...(needs.get(entry.id) ?? {}) }))));
  } else {
    process.stdout.write(renderCatalogTable(entries, palette(colorEnabled(process.stdout, options.color, process.env))));
  }
  return 0;
}

export function runAuditRecommend(): number {
  process.stdout.write(RECOMMENDED_POLICY_YAML);
  return 0;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

function formatDuration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

function write(text: string): void {
  process.stdout.write(`${text}\n`);
}
