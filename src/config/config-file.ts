import { existsSync, lstatSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { FieldPath } from '../vocabulary/field-path.js';
import { FRAMEWORKS, type FrameworkId } from '../engine/types.js';
import { SEVERITIES, type Severity } from '../vocabulary/severity.js';
import type { ExceptionRule } from '../exceptions/exception-set.js';
import { compileGlob, GlobError } from '../exceptions/glob.js';
import { excludePatternProblem } from '../loader/exclude.js';
import { LineIndex } from '../loader/line-index.js';
import { parseYaml } from '../loader/parse-document.js';
import { describeReadError, readInputFile } from '../loader/safe-read.js';
import { SourceDocument } from '../loader/source.js';
import { isRecord, ownEntry } from '../util/object.js';
import { POLICY_REPORT_APIS } from '../report/format-ids.js';

export const CONFIG_FILE_NAMES = ['.kubeharden.yaml', '.kubeharden.yml'] as const;

/** Scan defaults from `.kubeharden.yaml`; every key mirrors a `scan` flag, plus `exceptions`. */
export interface ConfigFile {
  readonly path: string;
  /** Relative paths in the file are relative to this folder. */
  readonly dir: string;
  readonly values: ConfigValues;
  readonly exceptions: readonly ExceptionRule[];
}

export interface ConfigValues {
  k8sVersion?: string;
  framework?: FrameworkId;
  failOn?: Severity | 'none';
  severity?: string[];
  format?: string[];
  output?: string;
  outputDir?: string;
  baseline?: string;
  policyreportApi?: string;
  podTemplatePath?: string[];
  allowedRegistry?: string[];
  dangerousCapability?: string[];
  namespaceObjectsElsewhere?: boolean;
  color?: boolean;
  /** Paths to leave out before reading, gitignore-style, relative to the file's folder (added to `--exclude`). */
  exclude?: string[];
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly column: number | null,
    readonly reason: string,
  ) {
    super(`${file}${line === null ? '' : `:${line}:${column}`}: ${reason}`);
  }
}

/**
 * The nearest `.kubeharden.yaml` (or `.yml`) from `start` upward, stopping at the repository root (the first folder
 * with `.git`), so a file in an unrelated parent folder never changes a repository's scan.
 */
export function findConfigFile(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      // Anything by that name counts (a link to /dev/zero, a FIFO): reading it says why it is not a configuration.
      if (lstatExists(candidate)) return candidate;
    }
    if (existsSync(join(dir, '.git'))) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

type KeyReader = (value: unknown, at: FieldPath, context: ReadContext) => unknown;

interface ReadContext {
  readonly fail: (path: FieldPath, message: string) => never;
  readonly knownControls: ReadonlySet<string>;
  /** The value as written in the file, for hints that must quote it exactly. */
  readonly sourceText: (path: FieldPath) => string;
}

const KEYS: Record<keyof ConfigValues, KeyReader> = {
  k8sVersion: (value, at, { fail, sourceText }) => {
    // YAML reads 1.30 as the number 1.3: refuse numbers rather than judge by the wrong version.
    if (typeof value === 'number') fail(at, `write the version as a string, k8sVersion: "${sourceText(at)}" (YAML reads ${sourceText(at)} as the number ${String(value)})`);
    return text(value, at, fail);
  },
  framework: (value, at, { fail }) => oneOf(value, FRAMEWORKS, at, fail),
  failOn: (value, at, { fail }) => oneOf(value, [...SEVERITIES, 'none'] as const, at, fail),
  severity: (value, at, { fail }) => stringList(value, at, fail).map((item, index) => oneOf(item, SEVERITIES, [...at, index], fail)),
  format: (value, at, { fail }) => stringList(value, at, fail),
  output: (value, at, { fail }) => text(value, at, fail),
  outputDir: (value, at, { fail }) => text(value, at, fail),
  baseline: (value, at, { fail }) => text(value, at, fail),
  policyreportApi: (value, at, { fail }) => oneOf(value, POLICY_REPORT_APIS, at, fail),
  podTemplatePath: (value, at, { fail }) => {
    // A mapping reads best (`Rollout: spec.template`); a list of KIND=PATH mirrors the flag.
    if (isRecord(value)) return Object.entries(value).map(([kind, path]) => `${kind}=${text(path, [...at, kind], fail)}`);
    return stringList(value, at, fail);
  },
  allowedRegistry: (value, at, { fail }) => stringList(value, at, fail),
  dangerousCapability: (value, at, { fail }) => stringList(value, at, fail),
  namespaceObjectsElsewhere: (value, at, { fail }) => bool(value, at, fail),
  color: (value, at, { fail }) => bool(value, at, fail),
  exclude: (value, at, { fail }) => {
    if (!Array.isArray(value) && typeof value !== 'string') fail(at, `expected a list of gitignore-style patterns, got ${describe(value)}`);
    const patterns = Array.isArray(value) ? value.map((item, index) => text(item, [...at, index], fail)) : [value as string];
    patterns.forEach((pattern, index) => {
      const problem = excludePatternProblem(pattern);
      if (problem) fail(Array.isArray(value) ? [...at, index] : at, problem);
    });
    return patterns;
  },
};

const EXCEPTION_KEYS = ['controls', 'kind', 'namespace', 'name', 'file', 'reason', 'owner', 'expires'] as const;

export function loadConfigFile(path: string, knownControls: ReadonlySet<string>): ConfigFile {
  let text: string;
  try {
    // Never a pipe: a .kubeharden.yaml found by walking up could be a FIFO nobody writes to.
    text = readInputFile(path, 'config').toString('utf8');
  } catch (error) {
    throw new ConfigError(path, null, null, `cannot read configuration: ${describeReadError(error)}`);
  }
  const lines = new LineIndex(text);
  const parsed = parseYaml(text);
  if (!parsed.ok) {
    const at = parsed.offset === undefined ? null : lines.position(parsed.offset);
    throw new ConfigError(path, at?.line ?? null, at?.column ?? null, parsed.message);
  }
  const document = new SourceDocument(path, text, lines, 0, text.length);
  const fail = (at: FieldPath, message: string): never => {
    const position = document.position(at);
    throw new ConfigError(path, position.line, position.column, message);
  };
  const sourceText = (at: FieldPath): string => {
    const { line, column } = document.position(at);
    const lineText = text.split('\n')[line - 1] ?? '';
    let rest = lineText.slice(column - 1);
    // The position may be the key's: skip `key:` to reach the value.
    const key = /^["']?[\w.-]+["']?\s*:\s+/.exec(rest);
    if (key) rest = rest.slice(key[0].length);
    return /^[^\s#,\]}]*/.exec(rest)?.[0] ?? '';
  };
  const context: ReadContext = { fail, knownControls, sourceText };
  const root = parsed.value ?? {};
  if (!isRecord(root)) fail([], 'the configuration must be a mapping of settings');
  const values: Record<string, unknown> = {};
  let exceptions: ExceptionRule[] = [];
  for (const [key, value] of Object.entries(root as Record<string, unknown>)) {
    if (key === 'exceptions') {
      if (value === null) continue;
      exceptions = readExceptions(value, ['exceptions'], context, path, document);
      continue;
    }
    // Own keys only: `constructor`, `toString` or `__proto__` are unknown keys, not Object.prototype's functions.
    const reader = ownEntry<KeyReader>(KEYS, key);
    if (!reader) fail([key], `unknown key "${key}" (known: ${[...Object.keys(KEYS), 'exceptions'].join(', ')})`);
    if (value === null || value === undefined) continue;
    values[key] = (reader as KeyReader)(value, [key], context);
  }
  return { path, dir: dirname(resolve(path)), values: values as ConfigValues, exceptions };
}

function readExceptions(value: unknown, at: FieldPath, { fail, knownControls }: ReadContext, path: string, document: SourceDocument): ExceptionRule[] {
  if (!Array.isArray(value)) fail(at, 'exceptions must be a list');
  return (value as unknown[]).map((entry, index): ExceptionRule => {
    const here = [...at, index];
    if (!isRecord(entry)) fail(here, 'an exception must be a mapping with controls and reason');
    const item = entry as Record<string, unknown>;
    for (const key of Object.keys(item)) {
      if (!(EXCEPTION_KEYS as readonly string[]).includes(key)) fail([...here, key], `unknown exception key "${key}" (known: ${EXCEPTION_KEYS.join(', ')})`);
    }
    if (item['controls'] === undefined) fail(here, 'an exception needs controls: the control ids it accepts, or "*"');
    const controls = stringList(item['controls'], [...here, 'controls'], fail).flatMap((id) => id.split(',')).map((id) => id.trim()).filter((id) => id !== '');
    const unknown = controls.filter((id) => id !== '*' && !knownControls.has(id));
    if (unknown.length > 0) fail([...here, 'controls'], `unknown control ${unknown.join(', ')} (see kubeharden controls)`);
    if (controls.length === 0) fail([...here, 'controls'], 'controls must name at least one control');
    const reason = item['reason'] === undefined ? fail(here, 'an exception needs a reason') : text(item['reason'], [...here, 'reason'], fail).trim();
    if (reason === '') fail([...here, 'reason'], 'the reason must not be empty');
    const optionalList = (key: string) => (item[key] === undefined || item[key] === null ? undefined : globList(item[key], [...here, key], fail));
    const owner = item['owner'] === undefined ? undefined : text(item['owner'], [...here, 'owner'], fail);
    const expires = item['expires'] === undefined ? undefined : isoDate(item['expires'], [...here, 'expires'], fail);
    const kinds = optionalList('kind');
    const namespaces = optionalList('namespace');
    const names = optionalList('name');
    const files = optionalList('file');
    const line = document.position(here).line;
    return {
      controls,
      reason,
      source: `${path}:${line}`,
      ...(kinds ? { kinds } : {}),
      ...(namespaces ? { namespaces } : {}),
      ...(names ? { names } : {}),
      ...(files ? { files } : {}),
      ...(owner !== undefined ? { owner } : {}),
      ...(expires !== undefined ? { expires } : {}),
    };
  });
}

type Fail = (at: FieldPath, message: string) => never;

function text(value: unknown, at: FieldPath, fail: Fail): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return fail(at, `expected a string, got ${describe(value)}`);
}

function bool(value: unknown, at: FieldPath, fail: Fail): boolean {
  if (typeof value === 'boolean') return value;
  return fail(at, `expected true or false, got ${describe(value)}`);
}

function stringList(value: unknown, at: FieldPath, fail: Fail): string[] {
  if (typeof value === 'string') return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (!Array.isArray(value)) return fail(at, `expected a list of strings, got ${describe(value)}`);
  return value.map((item, index) => text(item, [...at, index], fail));
}

/**
 * Like stringList, but `namespace: ""` is a pattern that matches only cluster-scoped resources, not "no pattern";
 * and each pattern must be a glob that can match (`[z-a]` is refused where it is written).
 */
function globList(value: unknown, at: FieldPath, fail: Fail): string[] {
  const patterns = stringList(value, at, fail);
  patterns.forEach((pattern, index) => {
    try {
      compileGlob(pattern);
    } catch (error) {
      if (!(error instanceof GlobError)) throw error;
      fail(Array.isArray(value) ? [...at, index] : at, error.message);
    }
  });
  return typeof value === 'string' && patterns.length === 0 ? [''] : patterns;
}

function oneOf<T extends string>(value: unknown, choices: readonly T[], at: FieldPath, fail: Fail): T {
  const chosen = text(value, at, fail);
  if (!(choices as readonly string[]).includes(chosen)) fail(at, `"${chosen}" is not one of ${choices.join(', ')}`);
  return chosen as T;
}

function isoDate(value: unknown, at: FieldPath, fail: Fail): string {
  const date = text(value, at, fail);
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const parsed = match ? new Date(`${date}T00:00:00Z`) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    fail(at, `expires must be a date written YYYY-MM-DD, got "${date}"`);
  }
  return date;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}
