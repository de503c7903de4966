import { relative, resolve, sep } from 'node:path';
import type { Finding, Suppression } from '../vocabulary/finding.js';
import { effectiveNamespace } from '../kube/scope.js';
import { globMatcher } from './glob.js';

/** An accepted risk from the configuration file: which controls, on which resources, why, and until when. */
export interface ExceptionRule {
  /** Control ids, or `*` for every control. */
  readonly controls: readonly string[];
  /** Globs; an absent list matches everything. Cluster-scoped resources have the namespace "". */
  readonly kinds?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly names?: readonly string[];
  /** Globs over the file path relative to the configuration file's folder, or over a Helm template path. */
  readonly files?: readonly string[];
  readonly reason: string;
  readonly owner?: string;
  /** YYYY-MM-DD: the last day the exception applies. */
  readonly expires?: string;
  /** `file:line` of the exception. */
  readonly source: string;
}

/** The `kubeharden.io/ignore` annotation of one resource, parsed. */
export interface InlineException {
  readonly controls: readonly string[];
  readonly reason: string;
  readonly source: string;
  readonly resource: string;
}

export interface ExceptionStatus {
  readonly kind: 'exception' | 'annotation';
  readonly source: string;
  readonly controls: readonly string[];
  /** What the exception matches: globs from the file, or the annotated resource. */
  readonly match: string;
  readonly reason: string;
  readonly owner?: string;
  readonly expires?: string;
  /** `applied`: it suppressed findings; `unused`: nothing matched; `expired`: past its date, findings count again. */
  readonly status: 'applied' | 'unused' | 'expired';
  /** Findings it suppressed, or for an expired exception, findings it would have suppressed. */
  readonly findings: number;
}

export const IGNORE_ANNOTATION = 'kubeharden.io/ignore';

interface CompiledRule {
  readonly rule: ExceptionRule;
  readonly controls: ReadonlySet<string> | 'all';
  readonly kind: (value: string) => boolean;
  readonly namespace: (value: string) => boolean;
  readonly name: (value: string) => boolean;
  readonly file: ((value: string) => boolean) | undefined;
  readonly expired: boolean;
  hits: number;
}

/** Applies exceptions to findings and remembers which exceptions were used, so unused ones can be reported. */
export class ExceptionSet {
  private readonly rules: CompiledRule[];
  /** Rules per control id, plus the `*` rules, in file order: a finding only meets the rules that name its control. */
  private readonly rulesByControl = new Map<string, CompiledRule[]>();
  private readonly wildcardRules: CompiledRule[];
  private readonly inline = new Map<InlineException, number>();
  private readonly relativePaths = new Map<string, string>();

  /**
   * @param baseDir file globs are relative to this folder (the configuration file's)
   * @param today YYYY-MM-DD; exceptions whose `expires` is before it no longer apply
   */
  constructor(rules: readonly ExceptionRule[], private readonly baseDir: string, today: string) {
    this.rules = rules.map((rule) => ({
      rule,
      controls: rule.controls.includes('*') ? 'all' : new Set(rule.controls),
      kind: globMatcher(rule.kinds),
      namespace: globMatcher(rule.namespaces),
      name: globMatcher(rule.names),
      file: rule.files?.length ? globMatcher(rule.files) : undefined,
      expired: rule.expires !== undefined && rule.expires < today,
      hits: 0,
    }));
    this.wildcardRules = this.rules.filter((compiled) => compiled.controls === 'all');
    // Each named control's list holds the `*` rules too, in file order, so a finding meets only its candidates.
    const named = new Set(this.rules.flatMap((compiled) => (compiled.controls === 'all' ? [] : [...compiled.controls])));
    for (const id of named) {
      this.rulesByControl.set(id, this.rules.filter((compiled) => compiled.controls === 'all' || compiled.controls.has(id)));
    }
  }

  static none(): ExceptionSet {
    return new ExceptionSet([], process.cwd(), '0000-00-00');
  }

  /** Remember an annotated resource, so the report can say whether its annotation was used. */
  register(inline: InlineException): void {
    if (!this.inline.has(inline)) this.inline.set(inline, 0);
  }

  /** The finding, with its suppression when an exception that has not expired accepts it. */
  apply(finding: Finding, inline: InlineException | undefined): Finding {
    if (inline && (inline.controls.includes('*') || inline.controls.includes(finding.controlId))) {
      this.inline.set(inline, (this.inline.get(inline) ?? 0) + 1);
      return withSuppression(finding, { kind: 'annotation', reason: inline.reason, source: inline.source });
    }
    if (this.rules.length === 0) return finding;
    const candidates = this.candidates(finding.controlId);
    let accepted: CompiledRule | undefined;
    for (const compiled of candidates) {
      if (!this.matches(compiled, finding)) continue;
      // Every matching exception counts the finding, so an overlapping one is not reported as unused.
      compiled.hits++;
      if (!compiled.expired) accepted ??= compiled;
    }
    if (!accepted) return finding;
    const { reason, owner, expires, source } = accepted.rule;
    return withSuppression(finding, {
      kind: 'exception',
      reason,
      source,
      ...(owner !== undefined ? { owner } : {}),
      ...(expires !== undefined ? { expires } : {}),
    });
  }

  /** The rules naming this control or `*`, in file order (the first one that matches is the one reported). */
  private candidates(controlId: string): readonly CompiledRule[] {
    return this.rulesByControl.get(controlId) ?? this.wildcardRules;
  }

  statuses(): ExceptionStatus[] {
    const fromFile = this.rules.map(({ rule, hits, expired }): ExceptionStatus => ({
      kind: 'exception',
      source: rule.source,
      controls: rule.controls,
      match: describeMatch(rule),
      reason: rule.reason,
      ...(rule.owner !== undefined ? { owner: rule.owner } : {}),
      ...(rule.expires !== undefined ? { expires: rule.expires } : {}),
      status: expired ? 'expired' : hits > 0 ? 'applied' : 'unused',
      findings: hits,
    }));
    const fromAnnotations = [...this.inline].map(([inline, hits]): ExceptionStatus => ({
      kind: 'annotation',
      source: inline.source,
      controls: inline.controls,
      match: inline.resource,
      reason: inline.reason,
      status: hits > 0 ? 'applied' : 'unused',
      findings: hits,
    }));
    return [...fromFile, ...fromAnnotations];
  }

  private matches(compiled: CompiledRule, finding: Finding): boolean {
    const { kind, namespace, name } = exceptionSubject(finding);
    if (!compiled.kind(kind) || !compiled.namespace(namespace) || !compiled.name(name)) return false;
    if (!compiled.file) return true;
    const { location } = finding;
    return compiled.file(this.relativePath(location.file)) || (location.templateSource !== undefined && compiled.file(location.templateSource));
  }

  private relativePath(file: string): string {
    let path = this.relativePaths.get(file);
    if (path === undefined) {
      path = relative(this.baseDir, resolve(file)).split(sep).join('/');
      this.relativePaths.set(file, path);
    }
    return path;
  }
}

/**
 * What an exception's kind, namespace and name are matched against. A finding about a namespace as a whole (no
 * default-deny policy in `shop`) is the Namespace `shop`, whichever object it was found at; `namespace: shop` matches
 * it too. A namespaced object written without a namespace lands in `default`, so that is its namespace here.
 */
function exceptionSubject(finding: Finding): { kind: string; namespace: string; name: string } {
  const namespaceName = finding.about?.startsWith('Namespace/') ? finding.about.slice('Namespace/'.length) : undefined;
  if (namespaceName !== undefined) return { kind: 'Namespace', namespace: namespaceName, name: namespaceName };
  const { apiVersion, kind, namespace, name } = finding.resource;
  return { kind, namespace: effectiveNamespace(apiVersion, kind, namespace ?? undefined), name: name ?? '' };
}

function withSuppression(finding: Finding, suppression: Suppression): Finding {
  return { ...finding, suppression };
}

function describeMatch(rule: ExceptionRule): string {
  const parts: string[] = [];
  if (rule.kinds?.length) parts.push(`kind ${rule.kinds.join('|')}`);
  if (rule.namespaces?.length) parts.push(`namespace ${rule.namespaces.join('|')}`);
  if (rule.names?.length) parts.push(`name ${rule.names.join('|')}`);
  if (rule.files?.length) parts.push(`file ${rule.files.join('|')}`);
  return parts.length > 0 ? parts.join(', ') : 'every resource';
}

/**
 * Parses `"POD-READONLY-ROOTFS,RES-CPU-LIMIT: reason"`. Returns an error message when the value has no reason or
 * names a control that does not exist: a typo must not silently ignore nothing.
 */
export function parseIgnoreAnnotation(value: unknown, knownControls: ReadonlySet<string>): { controls: string[]; reason: string } | string {
  if (typeof value !== 'string') return `${IGNORE_ANNOTATION} must be a string "CONTROL-ID,...: reason"`;
  const colon = value.indexOf(':');
  const reason = colon === -1 ? '' : value.slice(colon + 1).trim();
  if (reason === '') return `${IGNORE_ANNOTATION} needs a reason: "CONTROL-ID,...: reason"`;
  const controls = value.slice(0, colon).split(',').map((id) => id.trim()).filter((id) => id !== '');
  if (controls.length === 0) return `${IGNORE_ANNOTATION} names no control: "CONTROL-ID,...: reason"`;
  const unknown = controls.filter((id) => id !== '*' && !knownControls.has(id));
  if (unknown.length > 0) return `${IGNORE_ANNOTATION} names unknown control ${unknown.join(', ')}`;
  return { controls, reason };
}

export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
