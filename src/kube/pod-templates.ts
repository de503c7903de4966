import type { FieldPath } from '../vocabulary/field-path.js';
import type { InputError, LoadedResource } from '../loader/source.js';
import { CONTAINER_FIELDS } from './containers.js';
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

/** The API group of each built-in kind with a pod template (the core group is ''). */
const BUILTIN_GROUPS: Readonly<Record<string, string>> = {
  Deployment: 'apps',
  ReplicaSet: 'apps',
  StatefulSet: 'apps',
  DaemonSet: 'apps',
  Job: 'batch',
  CronJob: 'batch',
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

  /** Every kind with a pod template: the built-in ones (core, apps, batch), then custom ones (`group` absent: any group). */
  kinds(): { readonly group: string | undefined; readonly kind: string; readonly path: readonly string[] }[] {
    const builtin = Object.entries(BUILTIN_TEMPLATE_PATHS).map(([kind, path]) => ({ group: BUILTIN_GROUPS[kind] ?? '', kind, path }));
    const custom = [...this.byGroupKind].map(([groupKind, path]) => {
      const slash = groupKind.lastIndexOf('/');
      return { group: groupKind.slice(0, slash), kind: groupKind.slice(slash + 1), path };
    });
    const anyGroup = [...this.byKind].map(([kind, path]) => ({ group: undefined, kind, path }));
    return [...builtin, ...custom, ...anyGroup];
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

/**
 * The input error for an object whose pod template, a mapping on the way to it, or a container list or container
 * in it is there but has the wrong type (`spec: nginx`, `template: []`, `containers: app`): the API server rejects
 * it, and judging nothing in it silently would look like a pass. A part that is absent or null is no error:
 * partial objects (a Kustomize patch) have no template.
 */
export function podTemplateError(resource: LoadedResource, templatePath: readonly string[]): InputError | undefined {
  const error = (path: FieldPath, text: string): InputError => {
    const at = resource.document.position([...resource.prefix, ...path]);
    const shown = path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('');
    return { file: resource.document.file, line: at.line, column: at.column, message: `${shown} is ${text}` };
  };
  const keys = [...templatePath, 'spec'];
  let value: unknown = resource.object;
  for (const [depth, key] of keys.entries()) {
    value = (value as Json)[key];
    if (value === undefined || value === null) return undefined;
    if (!isRecord(value)) return error(keys.slice(0, depth + 1), `${typeName(value)}, not a mapping: no pod control judged this object`);
  }
  const spec = value as Json;
  for (const field of CONTAINER_FIELDS) {
    const list = spec[field];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) return error([...keys, field], `${typeName(list)}, not a sequence: no container in it was judged`);
    const index = list.findIndex((container) => !isRecord(container));
    if (index !== -1) return error([...keys, field, index], `${typeName(list[index])}, not a mapping: this container was not judged`);
  }
  return undefined;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'a sequence' : isRecord(value) ? 'a mapping' : `a ${typeof value}`;
}
