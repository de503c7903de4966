/**
 * Go modules a go.mod requires, with its `replace` directives applied, and the Go version it names as `stdlib`
 * (osv-scanner's reading: its fixtures are the test). OSV's Go ecosystem writes versions without the `v`.
 */
import { PackageFileError } from './extractor.js';

export interface GoModule {
  readonly name: string;
  readonly version: string;
}

const DIRECTIVES = new Set(['module', 'go', 'toolchain', 'godebug', 'require', 'replace', 'exclude', 'retract', 'tool', 'ignore']);

/** `v1.2.3` → `1.2.3`. */
export function goVersionForOsv(version: string): string {
  return version.startsWith('v') ? version.slice(1) : version;
}

function unquote(token: string): string {
  return /^".*"$/.test(token) || /^`.*`$/.test(token) ? token.slice(1, -1).replace(/\\(.)/g, '$1') : token;
}

/** The directives of a go.mod as [verb, tokens][], blocks flattened. Unknown verbs are an error, as for `go`. */
function directives(text: string): [string, string[]][] {
  const found: [string, string[]][] = [];
  let block: string | null = null;
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (line === '') continue;
    const tokens = line.match(/"(?:[^"\\]|\\.)*"|`[^`]*`|\S+/g)?.map(unquote) ?? [];
    if (block !== null) {
      if (line === ')') block = null;
      else found.push([block, tokens]);
      continue;
    }
    const verb = tokens[0] ?? '';
    if (!DIRECTIVES.has(verb)) throw new PackageFileError(`could not extract from the file: line ${index + 1}: unknown directive: ${verb}`);
    if (tokens[1] === '(' && tokens.length === 2) block = verb;
    else found.push([verb, tokens.slice(1)]);
  }
  if (block !== null) throw new PackageFileError(`could not extract from the file: unterminated ${block} block`);
  return found;
}

export function parseGoMod(text: string): GoModule[] {
  const required: GoModule[] = [];
  const replaces: { oldPath: string; oldVersion: string | null; newPath: string; newVersion: string }[] = [];
  let goVersion: string | null = null;
  for (const [verb, tokens] of directives(text)) {
    if (verb === 'go' && tokens[0]) goVersion = tokens[0];
    else if (verb === 'require' && tokens[0] && tokens[1]) required.push({ name: tokens[0], version: tokens[1] });
    else if (verb === 'replace') {
      const arrow = tokens.indexOf('=>');
      if (arrow < 1) throw new PackageFileError(`could not extract from the file: replace without =>: ${tokens.join(' ')}`);
      replaces.push({ oldPath: tokens[0] ?? '', oldVersion: arrow === 2 ? (tokens[1] ?? null) : null, newPath: tokens[arrow + 1] ?? '', newVersion: tokens[arrow + 2] ?? '' });
    }
  }
  const found = new Map<string, GoModule>();
  for (const module of required) {
    const replace = replaces.find((candidate) => candidate.oldPath === module.name && (candidate.oldVersion === null || candidate.oldVersion === module.version));
    const resolved = replace ? { name: replace.newPath, version: replace.newVersion } : module;
    const version = goVersionForOsv(resolved.version);
    found.set(`${resolved.name}@${version}`, { name: resolved.name, version });
  }
  if (goVersion) found.set(`stdlib@${goVersion}`, { name: 'stdlib', version: goVersion });
  return [...found.values()];
}
