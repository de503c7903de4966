/**
 * Python packages: what pip installed (`*.dist-info/METADATA`, and `*.egg-info/PKG-INFO` or a bare `*.egg-info`
 * file for setuptools installs), and the pinned lines of requirements files.
 */
import { posix } from 'node:path';
import type { InstalledPackage } from '../model.js';
import { record, str } from '../../util/object.js';
import { eachFile, PackageFileError, type PackageExtractor } from './extractor.js';
import { formatPurl } from './purl.js';

/** PEP 503 normalisation: `Zope.Interface` → `zope-interface`; extras (`[http2]`) dropped. */
export function normalizePythonName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase().split('[')[0] ?? '';
}

/** The `Name:` and `Version:` headers of a core-metadata file (RFC 822 style; the body after a blank line ignored). */
export function parsePythonMetadata(text: string): { name: string; version: string } | null {
  let name: string | undefined;
  let version: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') break;
    const match = /^(Name|Version):\s*(.*?)\s*$/i.exec(line);
    if (!match) continue;
    if (match[1]?.toLowerCase() === 'name') name ??= match[2];
    else version ??= match[2];
  }
  return name && version ? { name, version } : null;
}

export interface RequirementEntry {
  readonly name: string;
  /** `0.0.0` when the line does not pin one (osv-scanner's convention; the image extractor keeps only pins). */
  readonly version: string;
  readonly pinned: boolean;
  /** The base names (without extension) of the requirements files that listed it. */
  readonly groups: string[];
}

/** A line ending in an odd number of backslashes continues on the next. */
function continues(line: string): boolean {
  return /(?:[^\\]|^)(?:\\{2})*\\$/.test(line);
}

function parseRequirementLine(line: string): Omit<RequirementEntry, 'groups'> {
  let name = line;
  let version = '0.0.0';
  // The last operator found in this order wins, as in osv-scanner.
  let operator = '';
  for (const candidate of ['==', '>=', '~=', '!=']) if (line.includes(candidate)) operator = candidate;
  if (operator) {
    const at = line.indexOf(operator);
    name = line.slice(0, at).trim();
    if (operator !== '!=') version = line.slice(at + operator.length).trim().split(' ')[0] ?? '';
  }
  return { name: normalizePythonName(name), version, pinned: operator === '==' };
}

/**
 * A requirements file as osv-scanner reads it: line continuations, comments, `-r other.txt` includes (resolved by
 * `read`, relative to the including file; each file read once, so cycles end), and flags, URLs and paths skipped.
 * `read` returns undefined for a file that is not there, which is an error naming it.
 */
export function parseRequirements(path: string, read: (path: string) => string | undefined, seen = new Set<string>()): RequirementEntry[] {
  const text = read(path);
  if (text === undefined) throw new PackageFileError(`${path}: no such requirements file`);
  seen.add(path);
  const group = posix.basename(path).replace(/\.[^.]*$/, '');
  const found = new Map<string, RequirementEntry>();
  const add = (entry: Omit<RequirementEntry, 'groups'>, groups: readonly string[]): void => {
    const key = `${entry.name}@${entry.version}`;
    const existing = found.get(key) ?? { ...entry, groups: [] };
    for (const name of groups) if (!existing.groups.includes(name)) existing.groups.push(name);
    found.set(key, existing);
  };
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    let line = lines[index] ?? '';
    while (continues(line)) {
      line = line.slice(0, -1);
      if (index + 1 < lines.length) line += lines[++index] ?? '';
    }
    line = line.replace(/(?:^|\s+)#.*$/, '').trim();
    if (line.startsWith('-r ')) {
      const included = posix.join(posix.dirname(path), line.slice(3).trim());
      if (seen.has(included)) continue;
      try {
        for (const entry of parseRequirements(included, read, seen)) add(entry, entry.groups);
      } catch (error) {
        throw new PackageFileError(`failed to include ${line}: ${error instanceof Error ? error.message : String(error)}`);
      }
      continue;
    }
    if (line === '' || /^(?:-|https?:\/\/|\.|\/)/.test(line)) continue;
    add(parseRequirementLine(line), [group]);
  }
  return [...found.values()];
}

/**
 * Pipfile.lock: the `default` and `develop` sections, name → `{ "version": "==1.2.3" }`. An entry with no version
 * (a path or VCS dependency) has nothing to match and is left out; one in both sections counts once.
 */
export function parsePipfileLock(text: string): { name: string; version: string; dev: boolean }[] {
  let lock: unknown;
  try {
    lock = JSON.parse(text);
  } catch (error) {
    throw new PackageFileError(`could not extract from the file: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const found = new Map<string, { name: string; version: string; dev: boolean }>();
  for (const [section, dev] of [['default', false], ['develop', true]] as const) {
    const entries = record(record(lock)?.[section]) ?? {};
    for (const [name, value] of Object.entries(entries)) {
      const version = str(record(value)?.['version']);
      if (!version) continue;
      const pinned = version.replace(/^==/, '');
      const key = `${name}@${pinned}`;
      if (!found.has(key)) found.set(key, { name, version: pinned, dev });
    }
  }
  return [...found.values()];
}

/** Brackets a TOML value opens and does not close on its line, strings (basic and literal) skipped. */
function openBrackets(value: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let index = 0; index < value.length; index++) {
    const char = value[index];
    if (quote) {
      if (char === '\\' && quote === '"') index++;
      else if (char === quote) quote = null;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#') break;
    else if (char === '[' || char === '{') depth++;
    else if (char === ']' || char === '}') depth--;
  }
  return depth;
}

function tomlString(value: string): string | undefined {
  const match = /^"((?:[^"\\]|\\.)*)"\s*(?:#.*)?$/.exec(value) ?? /^'([^']*)'\s*(?:#.*)?$/.exec(value);
  return match?.[1];
}

/**
 * poetry.lock: its `[[package]]` tables' `name` and `version`, and the commit of a git source
 * (`[package.source] resolved_reference`). Only as much TOML as poetry writes is read: table headers, `key = value`
 * lines and values spanning lines (arrays, inline tables, multi-line strings); anything else is not a poetry.lock.
 */
export function parsePoetryLock(text: string): { name: string; version: string; commit?: string }[] {
  const packages: { name?: string; version?: string; commit?: string }[] = [];
  let table = '';
  let depth = 0;
  let inMultiline = false;
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (inMultiline) {
      if (line.includes('"""')) inMultiline = false;
      continue;
    }
    if (depth > 0) {
      depth += openBrackets(line);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[\[?\s*([\w.-]+)\s*\]\]?$/.exec(line);
    if (header) {
      table = header[1] ?? '';
      if (line.startsWith('[[') && table === 'package') packages.push({});
      continue;
    }
    const pair = /^([\w.-]+|"[^"]*")\s*=\s*(.*)$/.exec(line);
    if (!pair) throw new PackageFileError(`could not extract from the file: line ${index + 1} is not TOML`);
    const value = pair[2] ?? '';
    if (value.startsWith('"""') && !value.slice(3).includes('"""')) inMultiline = true;
    else depth = Math.max(0, openBrackets(value));
    const current = packages[packages.length - 1];
    const string = tomlString(value);
    if (!current || string === undefined) continue;
    if (table === 'package' && (pair[1] === 'name' || pair[1] === 'version')) current[pair[1]] = string;
    else if (table === 'package.source' && pair[1] === 'resolved_reference') current.commit = string;
  }
  return packages.flatMap((entry) => (entry.name && entry.version ? [{ name: entry.name, version: entry.version, ...(entry.commit ? { commit: entry.commit } : {}) }] : []));
}

function pypiPackage(name: string, version: string): InstalledPackage {
  const normalized = normalizePythonName(name);
  return { ecosystem: 'PyPI', name: normalized, version, purl: formatPurl({ type: 'pypi', namespace: null, name: normalized, version }) };
}

const METADATA = /\.dist-info\/METADATA$|\.egg-info\/PKG-INFO$|\.egg-info$/;
const REQUIREMENTS = /\/requirements[^/]*\.txt$/;
const PIPFILE_LOCK = /\/Pipfile\.lock$/;
const POETRY_LOCK = /\/poetry\.lock$/;

export const pythonExtractor: PackageExtractor = {
  id: 'python',
  description: 'Python *.dist-info/METADATA, *.egg-info/PKG-INFO, Pipfile.lock, poetry.lock and pinned (==) requirements*.txt lines',
  maxBytes: 16 * 1024 * 1024,
  independent: false,
  wants: (path) => METADATA.test(path) || REQUIREMENTS.test(path) || PIPFILE_LOCK.test(path) || POETRY_LOCK.test(path),
  extract(files, context) {
    const text = (path: string): string | undefined => files.get(path)?.toString('utf8');
    return eachFile('python', files, context, (path, content) => {
      if (METADATA.test(path)) {
        const found = parsePythonMetadata(content.toString('utf8'));
        if (!found) throw new PackageFileError('no Name: and Version: in this Python metadata file');
        return [pypiPackage(found.name, found.version)];
      }
      if (POETRY_LOCK.test(path)) return parsePoetryLock(content.toString('utf8')).map((entry) => pypiPackage(entry.name, entry.version));
      if (PIPFILE_LOCK.test(path)) return parsePipfileLock(content.toString('utf8')).map((entry) => pypiPackage(entry.name, entry.version));
      // Only exact pins say which version runs; a range says nothing about what pip picked.
      return parseRequirements(path, text).filter((entry) => entry.pinned).map((entry) => pypiPackage(entry.name, entry.version));
    });
  },
};
