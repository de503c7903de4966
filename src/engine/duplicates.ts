/**
 * Two scanned objects with the same API group, kind, namespace and name cannot both exist: the API server keeps
 * one (the last applied). Scanning both judges a state no cluster can be in (the hardened shop's NetworkPolicies
 * covering the insecure shop's Deployment of the same name), so each repeat is a warning naming both places.
 */
import { groupKind } from '../kube/group-kind.js';
import { effectiveNamespace } from '../kube/scope.js';
import type { InputError, LoadedResource } from '../loader/source.js';
import { isRecord } from '../util/object.js';
import { grown, StringIds } from '../util/string-ids.js';

/** Warnings listed in full; the rest are counted, so an input of repeats cannot fill memory with them. */
const MAX_LISTED = 50;

export class DuplicateObjects {
  /**
   * Object identities (`kind namespace/name`), packed (every object of a 200,000-object input has one: about 50
   * bytes each here, 150 as Map keys), and by identity id where it was first seen: the file's number and the line.
   */
  private readonly seen = new StringIds();
  private firstFile = new Uint32Array(0);
  private firstLine = new Uint32Array(0);
  private readonly files: string[] = [];
  private readonly fileNumbers = new Map<string, number>();
  /**
   * Rendered objects (a chart's, an overlay's) by identity id, their first line not yet worked out: their positions
   * are traced into the templates or base files, read only when a field is asked for, so an object that never
   * repeats (nearly all) costs no trace here. Few enough to keep: as many as the rendering tool wrote.
   */
  private readonly rendered = new Map<number, Pick<LoadedResource, 'document' | 'prefix'>>();
  private unlisted = 0;
  private lastUnlistedFile = '';
  readonly warnings: InputError[] = [];

  add(resource: LoadedResource): void {
    const { object } = resource;
    const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
    const { apiVersion, kind } = object;
    const name = metadata['name'];
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof name !== 'string' || name === '') return;
    const namespace = effectiveNamespace(apiVersion, kind, typeof metadata['namespace'] === 'string' ? metadata['namespace'] : undefined);
    const what = `${groupKind(apiVersion, kind)} ${namespace === '' ? '' : `${namespace}/`}${name}`;
    const { document, prefix } = resource;
    const { id, added } = this.seen.intern(what);
    if (added) {
      // Where the object starts; its name's exact position would index every document, most of which never repeat.
      const traced = !(prefix.length === 0 && document.firstLine) && document.renderedFrom !== undefined;
      if (traced) this.rendered.set(id, { document, prefix });
      const line = traced ? 0 : prefix.length === 0 && document.firstLine ? document.firstLine() : document.position([...prefix, 'metadata', 'name']).line;
      let file = this.fileNumbers.get(document.file);
      if (file === undefined) {
        file = this.files.push(document.file) - 1;
        this.fileNumbers.set(document.file, file);
      }
      if (id >= this.firstFile.length) {
        this.firstFile = grown(this.firstFile);
        this.firstLine = grown(this.firstLine);
      }
      this.firstFile[id] = file;
      this.firstLine[id] = line;
      return;
    }
    const position = document.position([...prefix, 'metadata', 'name']);
    if (this.warnings.length >= MAX_LISTED) {
      this.unlisted++;
      this.lastUnlistedFile = document.file;
      return;
    }
    const first = this.rendered.get(id);
    if (first) {
      this.firstLine[id] = first.document.position([...first.prefix, 'metadata', 'name']).line;
      this.rendered.delete(id);
    }
    this.warnings.push({
      file: document.file,
      line: position.line,
      column: position.column,
      message: `${what} is also defined in ${this.files[this.firstFile[id] as number]}:${this.firstLine[id]}: the API server would keep only one of them, yet both are judged`,
    });
  }

  /** The warnings, with a count of those not listed. */
  result(): InputError[] {
    if (this.unlisted === 0) return this.warnings;
    const more = `${this.unlisted} more objects defined twice, not listed (only the first ${MAX_LISTED} are)`;
    return [...this.warnings, { file: this.lastUnlistedFile, line: null, column: null, message: more }];
  }
}
