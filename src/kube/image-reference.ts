import type { FieldPath } from '../vocabulary/field-path.js';
import { str, type Json } from '../util/object.js';
import { containersOf, type ContainerRef } from './containers.js';

/** The parts of a container image reference: `[registry/]repository[:tag][@digest]`. */
export interface ImageReference {
  /** Registry host, or `docker.io` when the reference names none. */
  readonly registry: string;
  readonly repository: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

export function parseImageReference(image: string): ImageReference {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const firstSlash = rest.indexOf('/');
  const first = firstSlash === -1 ? '' : rest.slice(0, firstSlash);
  // A first component is a registry host when it has a dot or a port, or is localhost (Docker's rule).
  const hasRegistry = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  return {
    registry: hasRegistry ? first : 'docker.io',
    repository: hasRegistry ? rest.slice(firstSlash + 1) : rest,
    tag,
    digest,
  };
}

/** Every container of a pod spec that names an image, with the image parsed. */
export function containerImages(spec: Json, specPath: FieldPath): { ref: ContainerRef; image: string; parsed: ImageReference }[] {
  const images: { ref: ContainerRef; image: string; parsed: ImageReference }[] = [];
  for (const ref of containersOf(spec, specPath)) {
    const image = str(ref.container.image);
    if (image !== undefined && image !== '') images.push({ ref, image, parsed: parseImageReference(image) });
  }
  return images;
}
