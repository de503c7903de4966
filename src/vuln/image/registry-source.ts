import { parseImageReference, type ImageReference } from '../../kube/image-reference.js';
import { checkDigest, ImageError, isSha256Digest } from './digest.js';
import { MANIFEST_ACCEPT, MAX_MANIFEST_BYTES } from './manifest.js';
import { readBounded } from './read-bounded.js';
import { RegistryClient } from './registry-client.js';
import type { ImageSource } from './source.js';

/** An image in a registry, by tag or digest (`registry/repo:tag`, `repo@sha256:…`; no tag means `latest`). */
export function registrySource(client: RegistryClient, reference: string): ImageSource {
  const parsed: ImageReference = parseImageReference(reference);
  if (parsed.repository === '' || !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(parsed.repository)) {
    throw new ImageError(`${reference}: not an image reference (repository ${JSON.stringify(parsed.repository)})`);
  }
  if (parsed.digest !== undefined) checkDigest(parsed.digest, reference);
  if (parsed.tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(parsed.tag)) throw new ImageError(`${reference}: ${JSON.stringify(parsed.tag)} is not a valid tag`);
  return {
    reference,
    selectName: null,
    async root() {
      const response = await client.get(parsed, `manifests/${parsed.digest ?? parsed.tag ?? 'latest'}`, MANIFEST_ACCEPT, reference);
      const bytes = await readBounded(RegistryClient.bodyStream(response), MAX_MANIFEST_BYTES, `${reference}: manifest`);
      const served = response.headers.get('docker-content-digest');
      return {
        bytes,
        mediaType: response.headers.get('content-type'),
        // A pinned digest is what the user trusts; otherwise the registry's own Docker-Content-Digest must hold too.
        expectedDigest: parsed.digest ?? (served && isSha256Digest(served) ? served : null),
        hasDigest: true,
      };
    },
    async manifest(descriptor) {
      const response = await client.get(parsed, `manifests/${descriptor.digest}`, MANIFEST_ACCEPT, reference);
      return { bytes: RegistryClient.bodyStream(response), mediaType: response.headers.get('content-type') };
    },
    async blob(descriptor) {
      return RegistryClient.bodyStream(await client.get(parsed, `blobs/${descriptor.digest}`, null, reference));
    },
  };
}
