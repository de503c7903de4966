/**
 * A Kustomize overlay rendered with `kustomize build` (or `kubectl kustomize`), its objects traced back to the files
 * that wrote them. The user's files are never touched: a wrapper kustomization in a temporary folder takes the
 * overlay as its one resource and turns on `buildMetadata: [originAnnotations, transformerAnnotations]`, which
 * kustomize applies to everything below it. The two annotations are removed from the objects before they are judged.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { relative, resolve, sep } from 'node:path';
import type { FieldPath } from '../vocabulary/field-path.js';
import type { InputError, LoadedResource, ResourceDocument } from '../loader/source.js';
import type { EarlyWork } from '../loader/inputs.js';
import { loadResources } from '../loader/source.js';
import { isRecord, type Json } from '../util/object.js';
import { ORIGIN_ANNOTATION, TRANSFORMATIONS_ANNOTATION, traceObject, type ObjectTrace } from './kustomize-trace.js';
import type { SourceFiles } from './source-files.js';
import { findHelm, findKustomize, runTool, type RenderTools } from './tools.js';

export interface RenderContext {
  readonly tools: RenderTools;
  readonly files: SourceFiles;
  /** An absolute path as reports show it (relative to the working folder when the scanned path was). */
  readonly display: (absolute: string) => string;
  /** Called with the tool's own time and the CPU time this process spent starting it, for the bench. */
  readonly onRendered?: (directory: string, millis: number, startCpuMillis: number) => void;
}

export async function renderOverlay(directory: string, context: RenderContext, errors: InputError[], early?: EarlyWork): Promise<LoadedResource[] | undefined> {
  const fail = (message: string) => void errors.push({ file: directory, line: null, column: null, message: `Kustomize overlay not rendered, so not scanned: ${message}` });
  const kustomize = findKustomize(context.tools);
  if ('missing' in kustomize) return fail(kustomize.missing);
  const wrapper = mkdtempSync(resolve(tmpdir(), 'kubeharden-kustomize-'));
  const wrapperFile = resolve(wrapper, 'kustomization.yaml');
  // Removing a folder can take milliseconds (ext4 mounted with `discard` frees its block synchronously): once
  // kustomize is done with the wrapper, its file goes and the folder's rmdir runs on a worker thread beside what is
  // left of the parsing below (most of it was done while kustomize exited); it is waited for before returning.
  // Anything else found in it is removed after.
  let removal: Promise<void> | undefined;
  const remove = () =>
    (removal ??= (async () => {
      rmSync(wrapperFile, { force: true });
      await rmdir(wrapper).catch(() => rmSync(wrapper, { recursive: true, force: true }));
    })());
  try {
    const target = relative(wrapper, resolve(directory)).split(sep).join('/');
    writeFileSync(wrapperFile, `resources:\n- ${JSON.stringify(target)}\nbuildMetadata: [originAnnotations, transformerAnnotations]\n`);
    const helm = findHelm(context.tools);
    // Charts inside the overlay (helmCharts:) need helm; without it kustomize says so itself.
    const helmFlags = 'missing' in helm ? [] : ['--enable-helm', '--helm-command', helm.program];
    const renderedFrom = `Kustomize overlay ${context.display(resolve(directory))}`;
    const objectsOf = (stdout: string) => overlayObjects(stdout, directory, wrapper, renderedFrom, context);
    const result = await runTool(kustomize, ['--load-restrictor', 'LoadRestrictionsNone', ...helmFlags, wrapper], { cwd: wrapper, ahead: (output) => withEarlyWork(objectsOf(output.toString('utf8')), early) });
    context.onRendered?.(directory, result.millis, result.startCpuMillis);
    remove().catch(() => undefined);
    if (!result.ok) return fail(result.problem);
    const { resources, errors: found } = result.ahead ?? objectsOf(result.stdout);
    errors.push(...found);
    return resources;
  } finally {
    await remove();
  }
}

/**
 * The objects of kustomize's output, each traced to the files that wrote it (read only when a position is asked
 * for), and the problems met reading them.
 */
function overlayObjects(stdout: string, directory: string, wrapper: string, renderedFrom: string, context: RenderContext): { resources: LoadedResource[]; errors: InputError[] } {
  const errors: InputError[] = [];
  const resources: LoadedResource[] = [];
  for (const resource of loadResources(directory, Buffer.from(stdout), errors, false)) {
    const { origin, transformations } = takeAnnotations(resource.object);
    const trace = traceObject(resource.object, origin, transformations, wrapper, context.files);
    resources.push({ object: resource.object, prefix: resource.prefix, document: trace ? new TracedDocument(trace, resource.object, context.display, renderedFrom) : withRenderedFrom(resource.document, renderedFrom) });
  }
  return { resources, errors };
}

/** The objects read ahead of the tool's exit, handed to the scan's early work as well (in their order). */
export function withEarlyWork<T extends { readonly resources: readonly LoadedResource[] }>(objects: T, early: EarlyWork | undefined): T {
  if (early) for (const resource of objects.resources) early(resource);
  return objects;
}

/** Removes the build metadata annotations (and `annotations` itself when nothing else is left). */
function takeAnnotations(object: Json): { origin?: string; transformations?: string } {
  const metadata = object['metadata'];
  if (!isRecord(metadata) || !isRecord(metadata['annotations'])) return {};
  const annotations = metadata['annotations'];
  const origin = annotations[ORIGIN_ANNOTATION];
  const transformations = annotations[TRANSFORMATIONS_ANNOTATION];
  delete annotations[ORIGIN_ANNOTATION];
  delete annotations[TRANSFORMATIONS_ANNOTATION];
  if (Object.keys(annotations).length === 0) delete metadata['annotations'];
  return { ...(typeof origin === 'string' ? { origin } : {}), ...(typeof transformations === 'string' ? { transformations } : {}) };
}

/** A rendered object whose fields point into the base and patch files that wrote them. */
class TracedDocument implements ResourceDocument {
  readonly file: string;

  constructor(
    private readonly trace: ObjectTrace,
    private readonly object: Json,
    private readonly display: (absolute: string) => string,
    private readonly from: string,
  ) {
    this.file = display(trace.file);
  }

  position(path: FieldPath): { line: number; column: number; file?: string } {
    const place = this.trace.position(this.object, path);
    const file = this.display(place.file);
    return file === this.file ? { line: place.line, column: place.column } : { line: place.line, column: place.column, file };
  }

  templateSource(): undefined {
    return undefined;
  }

  renderedFrom(): string {
    return this.from;
  }
}

/** A rendered document as it is (no trace: a remote base), saying what rendered it. */
export function withRenderedFrom(document: ResourceDocument, from: string): ResourceDocument {
  return {
    file: document.file,
    position: (path) => document.position(path),
    templateSource: () => document.templateSource(),
    renderedFrom: () => from,
  };
}
