import type { FieldPath } from '../vocabulary/field-path.js';
import { array, isRecord, str, type Json } from '../util/object.js';

/** The three container lists PSA visits, in its order. */
export const CONTAINER_FIELDS = ['initContainers', 'containers', 'ephemeralContainers'] as const;
export type ContainerField = (typeof CONTAINER_FIELDS)[number];

export interface ContainerRef {
  readonly container: Json;
  /** Container name, or `#<index>` when the manifest gives none. */
  readonly name: string;
  readonly field: ContainerField;
  readonly path: FieldPath;
}

const containerCache = new WeakMap<Json, { specPath: FieldPath; refs: readonly ContainerRef[] }>();

/**
 * Every container of a pod spec (init, regular, ephemeral) with its path from the object root. Most controls
 * visit the containers, so the list is built once per pod spec.
 */
export function containersOf(spec: Json, specPath: FieldPath): readonly ContainerRef[] {
  const cached = containerCache.get(spec);
  if (cached && cached.specPath === specPath) return cached.refs;
  const refs = collectContainers(spec, specPath);
  containerCache.set(spec, { specPath, refs });
  return refs;
}

function collectContainers(spec: Json, specPath: FieldPath): ContainerRef[] {
  const refs: ContainerRef[] = [];
  for (const field of CONTAINER_FIELDS) {
    array(spec[field]).forEach((container, index) => {
      if (!isRecord(container)) return;
      refs.push({
        container,
        name: str(container.name) ?? `#${index}`,
        field,
        path: [...specPath, field, index],
      });
    });
  }
  return refs;
}

/** `securityContext` of a container or pod spec, if it is a mapping. */
export function securityContext(holder: Json): Json | undefined {
  const context = holder.securityContext;
  return isRecord(context) ? context : undefined;
}

/** Pods that declare `spec.os.name: windows`; several restricted checks exempt them from 1.25. */
export function isWindowsPod(spec: Json): boolean {
  const os = spec.os;
  return isRecord(os) && os.name === 'windows';
}

/** Pods in a user namespace (`hostUsers: false`) get relaxed rules from 1.35. */
export function usesUserNamespace(spec: Json): boolean {
  return spec.hostUsers === false;
}

/** Where a securityContext can be set: the pod, then each container (PSA's "pod and containers" checks). */
export interface SecurityContextOwner {
  readonly owner: Json;
  readonly path: FieldPath;
  /** `pod` or `container "name"`, for messages. */
  readonly who: string;
}

export function podAndContainers(spec: Json, specPath: FieldPath): SecurityContextOwner[] {
  return [
    { owner: spec, path: specPath, who: 'pod' },
    ...containersOf(spec, specPath).map((ref) => ({ owner: ref.container, path: ref.path, who: `container "${ref.name}"` })),
  ];
}
