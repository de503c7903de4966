/**
 * Exceptions from `.kubeharden.yaml` at admission. A policy holds one or more controls: an exception that covers
 * every control of the policy becomes a matchCondition (a request it covers is not judged by that policy at all),
 * one that covers only some of them becomes a variable `exempt_<control>` each of those controls' validations
 * ORs in, so one control can still be excepted alone inside a combined policy. Kinds, namespaces and names are globs
 * (the scanner's syntax), written as RE2 regular expressions for CEL's `matches`. Expired exceptions are not
 * exported, and those that select by file cannot be: a request does not say which file it came from.
 */
import { celString } from '../../engine/admission-cel.js';
import type { ExceptionRule } from '../../exceptions/exception-set.js';

export interface MatchCondition {
  readonly name: string;
  readonly expression: string;
}

export interface SkippedException {
  /** `file:line` of the exception. */
  readonly source: string;
  readonly reason: string;
}

/** An exception that can be exported: CEL that is true for a request it covers. */
interface ExportableException {
  readonly name: string;
  readonly covers: string;
}

export interface PolicyExceptions {
  /** The policy's matchConditions (each false for a request an exception covers). */
  readonly conditions: readonly MatchCondition[];
  /** control id → the name of the variable that is true when an exception excepts the request from that control. */
  readonly exemptVariables: ReadonlyMap<string, { readonly name: string; readonly expression: string }>;
  /** Exceptions that name one of the policy's controls but cannot be exported. */
  readonly skipped: readonly SkippedException[];
}

/** The exceptions of a policy holding the controls `controlIds`, placed as matchConditions or exempt variables. */
export function policyExceptions(controlIds: readonly string[], rules: readonly ExceptionRule[], today: string): PolicyExceptions {
  const conditions: MatchCondition[] = [];
  const perControl = new Map<string, string[]>();
  const skipped: SkippedException[] = [];
  const names = (rule: { readonly controls: readonly string[] }, id: string) => rule.controls.includes('*') || rule.controls.includes(id);
  rules.forEach((rule, index) => {
    if (!controlIds.some((id) => names(rule, id))) return;
    const exportable = exportableException(rule, index, today);
    if ('reason' in exportable) {
      skipped.push(exportable);
      return;
    }
    if (controlIds.every((id) => names(rule, id))) {
      // A policy that judges nothing when the exception covers every object.
      conditions.push({ name: exportable.name, expression: exportable.covers === 'true' ? 'false' : `!(${exportable.covers})` });
      return;
    }
    for (const id of controlIds.filter((id) => names(rule, id))) perControl.set(id, [...(perControl.get(id) ?? []), exportable.covers]);
  });
  const exemptVariables = new Map([...perControl].map(([id, covers]) => [id, { name: exemptVariableName(id), expression: covers.map((c) => `(${c})`).join(' || ') }]));
  return { conditions, exemptVariables, skipped };
}

/** A CEL identifier per control: `POD-NO-PRIVILEGED` → `exempt_pod_no_privileged`. */
export function exemptVariableName(controlId: string): string {
  return `exempt_${controlId.toLowerCase().replace(/[^a-z0-9]/g, '_')}`;
}

function exportableException(rule: ExceptionRule, index: number, today: string): ExportableException | SkippedException {
  if (rule.expires !== undefined && rule.expires < today) return { source: rule.source, reason: `expired on ${rule.expires}` };
  if (rule.files?.length) return { source: rule.source, reason: 'it selects files, which an admission request does not name' };
  const parts = [
    anyOf('request.kind.kind', rule.kinds),
    anyOf('request.namespace', rule.namespaces),
    rule.names?.length ? namesMatch(rule.names) : undefined,
  ].filter((part): part is string => part !== undefined);
  // An exception with no kind, namespace or name covers every object.
  return { name: `kubeharden-exception-${index + 1}`, covers: parts.length === 0 ? 'true' : parts.join(' && ') };
}

function anyOf(field: string, globs: readonly string[] | undefined): string | undefined {
  if (!globs?.length) return undefined;
  return `(${globs.map((glob) => `${field}.matches(${celString(`^${globRegex(glob)}$`)})`).join(' || ')})`;
}

/**
 * Names: the object's own, or, for an object a controller made (it has an owner), the excepted name with the
 * suffixes controllers add (`web` covers ReplicaSet `web-5d8f7` and Pod `web-5d8f7-x2k9q`), so an excepted
 * Deployment's Pods are admitted too.
 */
function namesMatch(globs: readonly string[]): string {
  const name = 'object.metadata.name';
  const own = globs.map((glob) => `${name}.matches(${celString(`^${globRegex(glob)}$`)})`);
  const owned = globs.map((glob) => `${name}.matches(${celString(`^${globRegex(glob)}(-[a-z0-9]+){1,2}$`)})`);
  return `(has(${name}) && (${own.join(' || ')} || (has(object.metadata.ownerReferences) && (${owned.join(' || ')}))))`;
}

/** The scanner's glob (`src/exceptions/glob.ts`) as an RE2 expression without anchors. */
export function globRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === '\\' && i + 1 < glob.length) {
      out += escape(glob[++i] as string);
    } else if (char === '*') {
      if (glob[i + 1] === '*') {
        i++;
        out += '.*';
      } else out += '[^/]*';
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '[' && glob.indexOf(']', i + 2) !== -1) {
      const end = glob.indexOf(']', i + 2);
      let body = glob.slice(i + 1, end);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      out += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, (c) => `\\${c}`)}]`;
      i = end;
    } else {
      out += escape(char);
    }
  }
  return out;
}

function escape(char: string): string {
  return /[.*+?^${}()|[\]\\]/.test(char) ? `\\${char}` : char;
}
