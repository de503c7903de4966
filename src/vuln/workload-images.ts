/**
 * Which images the workloads run: every container (init, regular, ephemeral) of every pod template, grouped by
 * image, each with the workloads and containers that use it. Objects made from a template that is also in the
 * input (a Deployment's ReplicaSets and Pods) are left out: their owner stands for them.
 */
import { judgedThroughOwner } from '../cluster/owned.js';
import { parseImageReference, type ImageReference } from '../kube/image-reference.js';
import { containersOf, type ContainerField } from '../kube/containers.js';
import { podTemplateOf, TemplatePaths } from '../kube/pod-templates.js';
import { resourceRef } from '../kube/resource-ref.js';
import { str, type Json } from '../util/object.js';
import type { ResourceRef } from '../vocabulary/finding.js';
import type { FieldPath } from '../vocabulary/field-path.js';

export interface WorkloadObject {
  readonly object: Json;
  /** The file it came from, or `cluster:<plural>`. */
  readonly file: string;
  /** Line and column of a field in the file, when it came from one. */
  readonly position?: (path: FieldPath) => { line: number; column: number };
}

export interface ImageUse {
  readonly workload: ResourceRef;
  readonly container: string;
  readonly containerType: 'init' | 'regular' | 'ephemeral';
  readonly file: string;
  /** The container's `image` field from the object root, and where it is written (line 0: not from a file). */
  readonly field: FieldPath;
  readonly line: number;
  readonly column: number;
}

export interface WorkloadImage {
  /** The reference exactly as the manifests write it. */
  readonly image: string;
  readonly parsed: ImageReference;
  readonly uses: readonly ImageUse[];
}

const CONTAINER_TYPES: Record<ContainerField, ImageUse['containerType']> = {
  initContainers: 'init',
  containers: 'regular',
  ephemeralContainers: 'ephemeral',
};

export function workloadName(ref: ResourceRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name ?? '(unnamed)'}`;
}

/** The images sorted by reference, each one's uses by workload and container, so the output is stable. */
export function imagesOfWorkloads(objects: readonly WorkloadObject[], templatePaths = new TemplatePaths()): WorkloadImage[] {
  const kinds = new Set(objects.map(({ object }) => String(object.kind)));
  const byImage = new Map<string, ImageUse[]>();
  for (const { object, file, position } of objects) {
    const path = templatePaths.pathFor(String(object.apiVersion), String(object.kind));
    if (path === undefined || judgedThroughOwner(object, kinds)) continue;
    const template = podTemplateOf(object, path);
    if (!template) continue;
    const workload = resourceRef(object);
    for (const ref of containersOf(template.spec, template.specPath)) {
      const image = str(ref.container.image);
      if (image === undefined || image.trim() === '') continue;
      const uses = byImage.get(image) ?? [];
      const field = [...ref.path, 'image'];
      const at = position?.(field) ?? { line: 0, column: 0 };
      uses.push({ workload, container: ref.name, containerType: CONTAINER_TYPES[ref.field], file, field, line: at.line, column: at.column });
      byImage.set(image, uses);
    }
  }
  return [...byImage]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([image, uses]) => ({
      image,
      parsed: parseImageReference(image),
      uses: uses.sort((a, b) => workloadName(a.workload).localeCompare(workloadName(b.workload)) || a.container.localeCompare(b.container)),
    }));
}
