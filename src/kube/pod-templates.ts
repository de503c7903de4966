import type { FieldPath } from '../vocabulary/field-path.js';
import { isRecord, ownEntry, type Json } from '../util/object.js';

export interface PodTemplateRef {
  readonly spec: Json;
  readonly metadata: Json;
  readonly specPath: FieldPath;
  readonly metadataPath: FieldPath;
}

/** Where each built-in kind keeps its pod template (an object with `metadata` and `spec`). Pod is its own. */
const BUILTIN_TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  PodTemplate: ['template'],
};

/** Custom resources known to embed a pod template, keyed `group/Kind`. */
const BUILTIN_CUSTOM_TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  'argoproj.io/Rollout': ['spec', 'template'],
};

/**
 * Extra template locations from the user: `Kind=path` or `group/Kind=path`, where path is dotted
 * (`spec.template`) and points at the pod template.
 */
export class TemplatePaths {
  private readonly byKind = new Map<string, readonly string[]>();
  private readonly byGroupKind = new Map<string, readonly string[]>(Object.entries(BUILTIN_CUSTOM_TEMPLATE_PATHS));

  static parse(specs: readonly string[]): TemplatePaths {
    const paths = new TemplatePaths();
    for (const spec of specs) paths.add(spec);
    return paths;
  }

  add(spec: string): void {
    const match = /^([A-Za-z0-9.-]+\/)?([A-Za-z][A-Za-z0-9]*)=([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)$/.exec(spec.trim());
    if (!match) {
      throw new Error(`invalid pod template path "${spec}": expected Kind=path or group/Kind=path, e.g. Rollout=spec.template`);
    }
    const path = (match[3] as string).split('.');
    if (match[1]) this.byGroupKind.set(`${match[1]}${match[2]}`, path);
    else this.byKind.set(match[2] as string, path);
  }

  /** The template path for an object, or undefined when its kind holds no pod template. */
  pathFor(apiVersion: string, kind: string): readonly string[] | undefined {
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const custom = this.byGroupKind.get(`${group}/${kind}`) ?? this.byKind.get(kind);
    if (custom) return custom;
    // Built-in kinds live in the core, apps and batch groups; a CRD that reuses a built-in name is not a workload.
    if (group === '' || group === 'apps' || group === 'batch' || group === 'extensions') return ownEntry(BUILTIN_TEMPLATE_PATHS, kind);
    return undefined;
  }
}

/** The pod template inside an object, if its kind has one and the template is a mapping with a spec. */
export function podTemplateOf(object: Json, templatePath: readonly string[]): PodTemplateRef | undefined {
  let template: unknown = object;
  for (const key of templatePath) {
    if (!isRecord(template)) return undefined;
    template = template[key];
  }
  if (!isRecord(template) || !isRecord(template.spec)) return undefined;
  return {
    spec: template.spec,
    metadata: isRecord(template.metadata) ? template.metadata : {},
    specPath: [...templatePath, 'spec'],
    metadataPath: [...templatePath, 'metadata'],
  };
}
