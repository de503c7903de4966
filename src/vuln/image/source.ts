/**
 * Where an image's manifests and blobs come from: a registry, an OCI image layout, a `docker save` tarball. A
 * source only fetches; the image reader verifies every byte against its digest, whichever source served it.
 */
import type { Readable } from 'node:stream';
import type { Descriptor } from './manifest.js';

export interface RootDocument {
  readonly bytes: Buffer;
  /** The Content-Type it was served with, when the source has one. */
  readonly mediaType: string | null;
  /** The digest the reference pins (`repo@sha256:…`) or the registry vouched for; verified by the reader. */
  readonly expectedDigest: string | null;
  /** False for a document the source made itself (the legacy `docker save` manifest.json): it has no digest. */
  readonly hasDigest: boolean;
}

export interface ImageSource {
  /** The reference as the user gave it. */
  readonly reference: string;
  /** An index entry's name to choose (`oci:DIR:TAG`, `docker-archive:FILE:repo:tag`); null to choose by platform. */
  readonly selectName: string | null;
  /** The manifest or index the reference names. */
  root(): Promise<RootDocument>;
  /** A manifest an index points at (its bytes as stored, unverified). */
  manifest(descriptor: Descriptor): Promise<{ bytes: Readable; mediaType: string | null }>;
  /** A blob (config or layer) as stored, unverified. */
  blob(descriptor: Descriptor): Promise<Readable>;
}
