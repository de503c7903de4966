import * as crypto from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import type { Finding } from '../vocabulary/finding.js';

/**
 * A finding's identity that survives edits elsewhere in the file: control, resource, field and file, but no line
 * numbers and no message text. Baselines and SARIF `partialFingerprints` use it. A namespace-level finding is keyed
 * by its namespace alone: the object it is shown on changes when files are reordered.
 */
export function fingerprint(finding: Finding): string {
  const { resource, location } = finding;
  const key = finding.about !== undefined ? [finding.controlId, finding.about].join('\u0000') : [
    finding.controlId,
    resource.kind,
    resource.namespace ?? '',
    resource.name ?? '',
    finding.field,
    location.templateSource ?? repositoryPath(location.file),
  ].join('\u0000');
  return sha256Hex(key).slice(0, 32);
}

/** `crypto.hash` (Node 20.12 and later) hashes a string in one call, a third of the time of a Hash object. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** The file as a forward-slash path relative to the working folder, however it was spelled on the command line. */
export function portablePath(file: string): string {
  if (!isAbsolute(file) && !file.includes('\\') && !file.startsWith('.') && !file.includes('//')) return file;
  const path = isAbsolute(file) ? relative(process.cwd(), file) : normalize(file);
  return path.split(sep).join('/');
}

const repositoryPaths = new Map<string, string>();
let repositoryRoot: string | undefined;

/**
 * The file relative to the repository root (the nearest folder up from the working folder holding `.git`, else the
 * working folder), so fingerprints and SARIF locations are the same whether CI runs `kubeharden scan k8s/` at the
 * root or `kubeharden scan .` inside `k8s/`. A file outside that root keeps its absolute path: `../` would not mean
 * anything to code scanning. Standard input stays `<stdin>`.
 */
export function repositoryPath(file: string): string {
  let path = repositoryPaths.get(file);
  if (path === undefined) {
    if (file.startsWith('<') || file.startsWith('cluster:')) path = file;
    else {
      const root = (repositoryRoot ??= findRepositoryRoot(process.cwd()));
      const absolute = resolve(file);
      const inside = relative(root, absolute);
      path = (inside.startsWith('..') || isAbsolute(inside) ? absolute : inside).split(sep).join('/');
    }
    repositoryPaths.set(file, path);
  }
  return path;
}

function findRepositoryRoot(start: string): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return resolve(start);
  }
}
