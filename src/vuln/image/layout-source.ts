/**
 * An OCI image layout (`oci-layout`, `index.json`, `blobs/<algorithm>/<hex>`), in a folder or inside a tarball
 * (`docker save` of Docker 25 and later writes one beside its legacy manifest.json).
 */
import { ImageError } from './digest.js';
import type { FileStore } from './file-store.js';
import type { Descriptor } from './manifest.js';
import { MAX_MANIFEST_BYTES } from './manifest.js';
import { readBounded } from './read-bounded.js';
import type { ImageSource, RootDocument } from './source.js';

function blobName(digest: string): string {
  const [algorithm, hex] = digest.split(':') as [string, string];
  return `blobs/${algorithm}/${hex}`;
}

export async function isImageLayout(store: FileStore): Promise<boolean> {
  return (await store.size('oci-layout')) !== null && (await store.size('index.json')) !== null;
}

export function layoutSource(store: FileStore, reference: string, selectName: string | null): ImageSource {
  const openBlob = async (descriptor: Descriptor) => {
    if ((await store.size(blobName(descriptor.digest))) === null) throw new ImageError(`${store.location}: has no blob ${descriptor.digest}`);
    return store.open(blobName(descriptor.digest));
  };
  return {
    reference,
    selectName,
    async root(): Promise<RootDocument> {
      const bytes = await readBounded(store.open('index.json'), MAX_MANIFEST_BYTES, `${store.location}: index.json`);
      return { bytes, mediaType: null, expectedDigest: null, hasDigest: false };
    },
    async manifest(descriptor) {
      return { bytes: await openBlob(descriptor), mediaType: descriptor.mediaType || null };
    },
    blob: openBlob,
  };
}
