/**
 * The image's final filesystem, restricted to the kept files: layers applied base first, each one's whiteouts
 * removing what the layers below put there before its own files are added (the OCI image-spec's rule).
 */
import { ImageError } from './digest.js';
import type { ImageFile } from './extractor.js';
import type { KeptLink, LayerContent } from './layer-reader.js';

const MAX_LINK_HOPS = 16;

function isAtOrBelow(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder === '/' ? '/' : `${folder}/`);
}

function resolveLinkTarget(linkPath: string, link: KeptLink): string {
  if (link.hard || link.target.startsWith('/')) return normalise(link.hard ? `/${link.target}` : link.target);
  const folder = linkPath.slice(0, linkPath.lastIndexOf('/')) || '/';
  return normalise(`${folder}/${link.target}`);
}

/** Like the layer reader's normalisation, but `..` above the root stays at the root (as a link does on Linux). */
function normalise(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

export class MergedFiles {
  private readonly files = new Map<string, { content: Buffer; mode: number; layer: string }>();
  private readonly links = new Map<string, KeptLink & { layer: string }>();
  private bytes = 0;

  constructor(private readonly maxTotalBytes: number) {}

  private removeWhere(test: (path: string) => boolean): void {
    for (const [path, file] of this.files) {
      if (test(path)) {
        this.bytes -= file.content.length;
        this.files.delete(path);
      }
    }
    for (const path of this.links.keys()) if (test(path)) this.links.delete(path);
  }

  /** Applies one layer over the layers below; true when it changed any kept file. */
  apply(layer: LayerContent, digest: string): boolean {
    const before = this.files.size + this.links.size;
    let changed = false;
    for (const folder of layer.opaque) this.removeWhere((path) => path !== folder && isAtOrBelow(path, folder));
    for (const removed of layer.removed) this.removeWhere((path) => isAtOrBelow(path, removed));
    if (this.files.size + this.links.size !== before) changed = true;
    for (const [path, file] of layer.files) {
      const old = this.files.get(path);
      this.bytes += file.content.length - (old?.content.length ?? 0);
      this.files.set(path, { ...file, layer: digest });
      this.links.delete(path);
      changed = true;
    }
    for (const [path, link] of layer.links) {
      const old = this.files.get(path);
      if (old) {
        this.bytes -= old.content.length;
        this.files.delete(path);
      }
      this.links.set(path, { ...link, layer: digest });
      changed = true;
    }
    if (this.bytes > this.maxTotalBytes) {
      throw new ImageError(`the kept package files add up to ${this.bytes} bytes, more than the limit of ${this.maxTotalBytes}`);
    }
    return changed;
  }

  /** The kept files, links resolved to the content they point at (a dangling link is left out). Sorted by path. */
  snapshot(): ImageFile[] {
    const result: ImageFile[] = [];
    for (const [path, file] of this.files) result.push({ path, content: file.content, layer: file.layer, mode: file.mode });
    for (const [path, link] of this.links) {
      let target = resolveLinkTarget(path, link);
      for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
        const file = this.files.get(target);
        if (file) {
          // The link's layer introduced the path; the content is the target's.
          result.push({ path, content: file.content, layer: file.layer, mode: file.mode });
          break;
        }
        const next = this.links.get(target);
        if (!next) break;
        target = resolveLinkTarget(target, next);
      }
    }
    return result.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}
