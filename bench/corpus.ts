/**
 * Builds a benchmark corpus by replicating ../shared/corpus/real-world/ until it holds at least the requested
 * number of objects. Each replica renames every object (`-r<k>` suffix) so the objects stay unique, and keeps
 * the original text otherwise (comments, styles, Helm markers).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { loadResources, type InputError } from '../src/loader/source.js';

export interface SourceFile {
  readonly relativePath: string;
  readonly text: string;
  readonly objects: number;
}

export function readSourceCorpus(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (directory: string) => {
    for (const name of readdirSync(directory).sort()) {
      const path = join(directory, name);
      // Without their kustomization.yaml or Chart.yaml the copies are plain manifest folders, scanned object for object.
      if (/^(kustomization\.ya?ml|Kustomization|Chart\.yaml)$/.test(name)) continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ya?ml|json)$/i.test(name)) {
        const text = readFileSync(path, 'utf8');
        const errors: InputError[] = [];
        const objects = [...loadResources(path, Buffer.from(text), errors, name.endsWith('.json'))].length;
        files.push({ relativePath: relative(root, path), text, objects });
      }
    }
  };
  walk(root);
  return files;
}

const METADATA_NAME = /^(metadata:\r?\n(?:[ \t]+.*\r?\n|\r?\n)*?[ \t]+name:[ \t]*)(["']?)([^"'\s#]+)\2/gm;

export function renameObjects(text: string, replica: number): string {
  return text.replace(METADATA_NAME, (_match, head: string, quote: string, name: string) => `${head}${quote}${name}-r${replica}${quote}`);
}

export interface BuiltCorpus {
  readonly directory: string;
  readonly objects: number;
  readonly bytes: number;
  readonly files: number;
}

export function buildCorpus(source: SourceFile[], minimumObjects: number, directory: string): BuiltCorpus {
  const perReplica = source.reduce((sum, file) => sum + file.objects, 0);
  const replicas = Math.max(1, Math.ceil(minimumObjects / perReplica));
  const marker = join(directory, '.complete');
  if (existsSync(marker)) {
    // Reused only when built from the same files (a corpus built before kustomization.yaml files were left out is not).
    const built = JSON.parse(readFileSync(marker, 'utf8')) as BuiltCorpus;
    if (built.files === replicas * source.length) return built;
  }
  rmSync(directory, { recursive: true, force: true });
  let bytes = 0;
  let files = 0;
  for (let replica = 0; replica < replicas; replica++) {
    for (const file of source) {
      const target = join(directory, `r${replica}`, file.relativePath);
      mkdirSync(dirname(target), { recursive: true });
      const text = renameObjects(file.text, replica);
      writeFileSync(target, text);
      bytes += Buffer.byteLength(text);
      files++;
    }
  }
  const built: BuiltCorpus = { directory, objects: replicas * perReplica, bytes, files };
  writeFileSync(marker, JSON.stringify(built));
  return built;
}
