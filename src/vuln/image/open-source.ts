/**
 * From what the user typed to an image source: `oci:DIR[:TAG]` (an OCI image layout), `docker-archive:FILE[:REPO:TAG]`
 * (a `docker save` tarball), an existing folder or file (the same, by what it is), else a registry reference.
 */
import { existsSync, statSync } from 'node:fs';
import { dockerArchiveSource } from './docker-archive-source.js';
import { ImageError } from './digest.js';
import { directoryStore } from './file-store.js';
import { isImageLayout, layoutSource } from './layout-source.js';
import type { RegistryClient } from './registry-client.js';
import { registrySource } from './registry-source.js';
import type { ImageSource } from './source.js';

/** `PATH:NAME` where PATH exists; the whole text when it exists itself. */
function splitPathAndName(text: string): { path: string; name: string | null } {
  if (existsSync(text)) return { path: text, name: null };
  for (let colon = text.indexOf(':'); colon !== -1; colon = text.indexOf(':', colon + 1)) {
    if (existsSync(text.slice(0, colon))) return { path: text.slice(0, colon), name: text.slice(colon + 1) || null };
  }
  return { path: text, name: null };
}

async function layoutFolder(path: string, name: string | null, reference: string): Promise<ImageSource> {
  const store = directoryStore(path);
  if (!(await isImageLayout(store))) throw new ImageError(`${path}: not an OCI image layout (no oci-layout and index.json)`);
  return layoutSource(store, reference, name);
}

export async function openImageSource(reference: string, client: RegistryClient): Promise<ImageSource> {
  if (reference.startsWith('oci:')) {
    const { path, name } = splitPathAndName(reference.slice('oci:'.length));
    return layoutFolder(path, name, reference);
  }
  if (reference.startsWith('docker-archive:')) {
    const { path, name } = splitPathAndName(reference.slice('docker-archive:'.length));
    if (!existsSync(path)) throw new ImageError(`${path}: no such file`);
    return dockerArchiveSource(path, reference, name);
  }
  if (existsSync(reference)) {
    return statSync(reference).isDirectory() ? layoutFolder(reference, null, reference) : dockerArchiveSource(reference, reference, null);
  }
  return registrySource(client, reference);
}
