/**
 * Exceptions from `.kubeharden.yaml` as matchConditions of a control's policy: a request an exception covers is
 * not judged by that policy. Kinds, namespaces and names are globs (the scanner's syntax), written as RE2 regular
 * expressions for CEL's `matches`. Expired exceptions are not exported, and those that select by file cannot be:
 * a request does not say which file it came from.
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

export function exceptionConditions(controlId: string, rules: readonly ExceptionRule[], today: string): { conditions: MatchCondition[]; skipped: SkippedException[] } {
  const conditions: MatchCondition[] = [];
  const skipped: SkippedException[] = [];
  rules.forEach((rule, index) => {
    if (!rule.controls.includes('*') && !rule.controls.includes(controlId)) return;
    if (rule.expires !== undefined && rule.expires < today) {
      skipped.push({ source: rule.source, reason: `expired on ${rule.expires}` });
      return;
    }
    if (rule.files?.length) {
      skipped.push({ source: rule.source, reason: 'it selects files, which an admission request does not name' });
      return;
    }
    const parts = [
      anyOf('request.kind.kind', rule.kinds),
      anyOf('request.namespace', rule.namespaces),
      rule.names?.length ? namesMatch(rule.names) : undefined,
    ].filter((part): part is string => part !== undefined);
    // An exception with no kind, namespace or name covers every object: the policy would judge nothing.
    conditions.push({ name: `kubeharden-exception-${index + 1}`, expression: parts.length === 0 ? 'false' : `!(${parts.join(' && ')})` });
  });
  return { conditions, skipped };
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
