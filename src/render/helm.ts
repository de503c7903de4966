/**
 * A Helm chart rendered with `helm template`, its objects pointed at the template files Helm names in its
 * `# Source:` comments. A template is not YAML, so a field's line there is found by text: the template line that
 * reads the same as the rendered line (a line without template actions), else the nearest line with the same key,
 * else the same for the field's parent; documented in docs/cli.md as "the line of the field, or of the nearest
 * enclosing key that the template writes literally".
 */
import { resolve } from 'node:path';
import type { FieldPath } from '../vocabulary/field-path.js';
import type { KubeVersion } from '../kube/version.js';
import type { InputError, LoadedResource, ResourceDocument } from '../loader/source.js';
import { loadResources } from '../loader/source.js';
import { withRenderedFrom, type RenderContext } from './kustomize.js';
import type { SourceFiles } from './source-files.js';
import { findHelm, runTool } from './tools.js';

/** What `helm template` is given besides the chart: the scan's flags. */
export interface HelmValues {
  readonly values: readonly string[];
  readonly set: readonly string[];
  readonly setString: readonly string[];
  readonly namespace?: string;
  /** `--kube-version`: the scan's --k8s-version, so the chart's version gates agree with the checks. */
  readonly version: KubeVersion;
}

export function helmArguments(directory: string, values: HelmValues): string[] {
  return [
    'template',
    resolve(directory),
    '--kube-version',
    `v1.${values.version.minor}.0`,
    ...(values.namespace === undefined ? [] : ['--namespace', values.namespace]),
    ...values.values.flatMap((file) => ['--values', file]),
    ...values.set.flatMap((value) => ['--set', value]),
    ...values.setString.flatMap((value) => ['--set-string', value]),
  ];
}

export async function renderChart(directory: string, values: HelmValues, context: RenderContext, errors: InputError[]): Promise<LoadedResource[] | undefined> {
  const fail = (message: string) => void errors.push({ file: directory, line: null, column: null, message: `Helm chart not rendered, so not scanned: ${message}` });
  const helm = findHelm(context.tools);
  if ('missing' in helm) return fail(helm.missing);
  const result = await runTool(helm, helmArguments(directory, values));
  context.onRendered?.(directory, result.millis);
  // Helm's advice to re-run with --debug is about its own command line, not ours.
  if (!result.ok) return fail(result.problem.replace(/^Error: /, '').replace(/\s*Use --debug flag to render out invalid YAML\s*$/, ''));
  const chart = context.display(resolve(directory));
  const renderedFrom = `Helm chart ${chart}${values.values.length > 0 ? ` with values ${values.values.join(', ')}` : ''}`;
  const renderedLines = result.stdout.split('\n');
  const resources: LoadedResource[] = [];
  for (const resource of loadResources(chart, Buffer.from(result.stdout), errors, false)) {
    const source = resource.document.templateSource();
    const template = source === undefined ? undefined : resolve(directory, source.slice(source.indexOf('/') + 1));
    const document =
      template !== undefined && context.files.get(template)
        ? new TemplateDocument(resource.document, renderedLines, template, context.files, context.display(template), renderedFrom)
        : withRenderedFrom(resource.document, renderedFrom);
    resources.push({ ...resource, document });
  }
  return resources;
}

/** A rendered document whose fields point at lines of the template that made it. */
class TemplateDocument implements ResourceDocument {
  constructor(
    private readonly rendered: ResourceDocument,
    private readonly renderedLines: readonly string[],
    private readonly template: string,
    private readonly files: SourceFiles,
    readonly file: string,
    private readonly from: string,
  ) {}

  position(path: FieldPath): { line: number; column: number } {
    const lines = this.files.get(this.template)?.text.split('\n') ?? [];
    const start = this.rendered.firstLine?.() ?? 1;
    for (let depth = path.length; depth >= 0; depth--) {
      const at = this.rendered.position(path.slice(0, depth));
      const text = this.renderedLines[at.line - 1]?.trim() ?? '';
      // Helm's `# Source:` and `---` lines precede the document's content: the estimate counts from the content.
      const estimate = at.line - start + firstContentLine(lines);
      const line = nearest(lines, estimate, (candidate) => candidate === text) ?? nearest(lines, estimate, (candidate) => sameKey(candidate, text));
      if (line !== undefined) return { line: line + 1, column: (lines[line]?.search(/\S/) ?? 0) + 1 };
    }
    return { line: 1, column: 1 };
  }

  templateSource(): undefined {
    return undefined;
  }

  renderedFrom(): string {
    return this.from;
  }
}

function firstContentLine(lines: readonly string[]): number {
  const index = lines.findIndex((line) => line.trim() !== '' && !line.trim().startsWith('#') && !line.trim().startsWith('{{'));
  return Math.max(0, index);
}

/** The index of the line nearest to `estimate` whose trimmed text passes `test`. */
function nearest(lines: readonly string[], estimate: number, test: (trimmed: string) => boolean): number | undefined {
  let best: number | undefined;
  for (let index = 0; index < lines.length; index++) {
    if (!test((lines[index] as string).trim())) continue;
    if (best === undefined || Math.abs(index - estimate) < Math.abs(best - estimate)) best = index;
  }
  return best;
}

/** `key:` (or `- key:`) of a line, when both lines have one and it is the same. */
function sameKey(candidate: string, rendered: string): boolean {
  const key = /^(?:-\s+)?([^\s:{}#][^:{}#]*):(?:\s|$)/.exec(rendered)?.[1];
  return key !== undefined && new RegExp(`^(?:-\\s+)?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(?:\\s|$)`).test(candidate);
}
