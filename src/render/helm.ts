/**
 * A Helm chart rendered with `helm template`, its objects pointed at the template files Helm names in its
 * `# Source:` comments. A template is not YAML, so a field's line there is found by text: the template line that
 * reads the same as the rendered line (a line without template actions), else the nearest line with the same key,
 * else the same for the field's parent; documented in docs/cli.md as "the line of the field, or of the nearest
 * enclosing key that the template writes literally".
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FieldPath } from '../vocabulary/field-path.js';
import type { KubeVersion } from '../kube/version.js';
import type { InputError, LoadedResource, ResourceDocument } from '../loader/source.js';
import type { EarlyWork } from '../loader/inputs.js';
import { loadResources } from '../loader/source.js';
import { withEarlyWork, withRenderedFrom, type RenderContext } from './kustomize.js';
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

export async function renderChart(directory: string, values: HelmValues, context: RenderContext, errors: InputError[], early?: EarlyWork): Promise<LoadedResource[] | undefined> {
  const fail = (message: string) => void errors.push({ file: directory, line: null, column: null, message: `Helm chart not rendered, so not scanned: ${message}` });
  const helm = findHelm(context.tools);
  if ('missing' in helm) return fail(helm.missing);
  const chart = context.display(resolve(directory));
  const renderedFrom = `Helm chart ${chart}${values.values.length > 0 ? ` with values ${values.values.join(', ')}` : ''}`;
  const objectsOf = (stdout: string) => chartObjects(stdout, directory, chart, renderedFrom, context);
  const running = runTool(helm, helmArguments(directory, values), { ahead: (output) => withEarlyWork(objectsOf(output.toString('utf8')), early) });
  // helm takes tens of milliseconds and this process waits for it: the templates its output will name are read now.
  readTemplatesAhead(directory, context.files);
  const result = await running;
  context.onRendered?.(directory, result.millis, result.startCpuMillis);
  // Helm's advice to re-run with --debug is about its own command line, not ours.
  if (!result.ok) return fail(result.problem.replace(/^Error: /, '').replace(/\s*Use --debug flag to render out invalid YAML\s*$/, ''));
  const { resources, errors: found } = result.ahead ?? objectsOf(result.stdout);
  errors.push(...found);
  return resources;
}

/** The objects of helm's output, each pointed at its template, and the problems met reading them. */
function chartObjects(stdout: string, directory: string, chart: string, renderedFrom: string, context: RenderContext): { resources: LoadedResource[]; errors: InputError[] } {
  const errors: InputError[] = [];
  const renderedLines = stdout.split('\n');
  const templates = new TemplateLines(context.files);
  const resources: LoadedResource[] = [];
  for (const resource of loadResources(chart, Buffer.from(stdout), errors, false)) {
    const source = resource.document.templateSource();
    const template = source === undefined ? undefined : resolve(directory, source.slice(source.indexOf('/') + 1));
    const document =
      template !== undefined && context.files.get(template)
        ? new TemplateDocument(resource.document, renderedLines, template, templates, context.display(template), renderedFrom)
        : withRenderedFrom(resource.document, renderedFrom);
    resources.push({ ...resource, document });
  }
  return { resources, errors };
}

/** At most this many template files are read ahead of helm's output (a chart's own `templates/` holds tens). */
const READ_AHEAD_FILES = 256;

/**
 * Reads the chart's own templates into `files` while helm runs: each object's `# Source:` names one of them, and
 * reading them after helm exits would add to the scan's time what the wait already covers. Partials (`_*.tpl`) and
 * NOTES.txt never make objects and are skipped, and so is any file not named as YAML, JSON or a template (a stray
 * archive or binary is not read for nothing); those and subcharts' templates are read when asked for, as before.
 */
export function readTemplatesAhead(directory: string, files: SourceFiles): void {
  let budget = READ_AHEAD_FILES;
  const visit = (folder: string) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (budget <= 0) return;
      if (entry.name.startsWith('_') || entry.name === 'NOTES.txt') continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile() && /\.(?:ya?ml|json|tpl)$/.test(entry.name)) {
        budget--;
        files.get(path);
      }
    }
  };
  visit(resolve(directory, 'templates'));
}

/** A rendered document whose fields point at lines of the template that made it. */
class TemplateDocument implements ResourceDocument {
  constructor(
    private readonly rendered: ResourceDocument,
    private readonly renderedLines: readonly string[],
    private readonly template: string,
    private readonly templates: TemplateLines,
    readonly file: string,
    private readonly from: string,
  ) {}

  position(path: FieldPath): { line: number; column: number } {
    const template = this.templates.of(this.template);
    const start = this.rendered.firstLine?.() ?? 1;
    for (let depth = path.length; depth >= 0; depth--) {
      const at = this.rendered.position(path.slice(0, depth));
      const text = this.renderedLines[at.line - 1]?.trim() ?? '';
      // Helm's `# Source:` and `---` lines precede the document's content: the estimate counts from the content.
      const estimate = at.line - start + template.firstContent;
      const line = nearest(template.sameText(text), estimate) ?? nearest(template.sameKey(text), estimate);
      if (line !== undefined) return { line: line + 1, column: (template.lines[line]?.search(/\S/) ?? 0) + 1 };
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

/** A template's lines as positions compare them, worked out once per chart rather than once per field. */
class TemplateLines {
  private readonly known = new Map<string, Template>();

  constructor(private readonly files: SourceFiles) {}

  of(template: string): Template {
    let found = this.known.get(template);
    if (found === undefined) this.known.set(template, (found = new Template(this.files.get(template)?.lines ?? [])));
    return found;
  }
}

/**
 * One template's lines, and which of them read the same as a rendered line or have its key: each such list is
 * found once per template (a chart's objects share their templates' keys, `name:`, `image:`…), not once per field.
 */
class Template {
  readonly firstContent: number;
  private readonly trimmed: readonly string[];
  private readonly byText = new Map<string, readonly number[]>();
  private readonly byKey = new Map<string, readonly number[]>();

  constructor(readonly lines: readonly string[]) {
    this.trimmed = lines.map((line) => line.trim());
    const index = this.trimmed.findIndex((line) => line !== '' && !line.startsWith('#') && !line.startsWith('{{'));
    this.firstContent = Math.max(0, index);
  }

  /** The indexes of the lines whose trimmed text is `text`, ascending. */
  sameText(text: string): readonly number[] {
    let found = this.byText.get(text);
    if (found === undefined) this.byText.set(text, (found = this.matching((candidate) => candidate === text)));
    return found;
  }

  /** The indexes of the lines with the same `key:` (or `- key:`) as the rendered line, ascending; none when it has no key. */
  sameKey(rendered: string): readonly number[] {
    const key = /^(?:-\s+)?([^\s:{}#][^:{}#]*):(?:\s|$)/.exec(rendered)?.[1];
    if (key === undefined) return [];
    let found = this.byKey.get(key);
    if (found === undefined) {
      const pattern = new RegExp(`^(?:-\\s+)?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(?:\\s|$)`);
      this.byKey.set(key, (found = this.matching((candidate) => pattern.test(candidate))));
    }
    return found;
  }

  private matching(test: (trimmed: string) => boolean): number[] {
    const found: number[] = [];
    for (let index = 0; index < this.trimmed.length; index++) if (test(this.trimmed[index] as string)) found.push(index);
    return found;
  }
}

/** Of ascending line indexes, the one nearest to `estimate` (the first of two as near). */
function nearest(indexes: readonly number[], estimate: number): number | undefined {
  let best: number | undefined;
  for (const index of indexes) if (best === undefined || Math.abs(index - estimate) < Math.abs(best - estimate)) best = index;
  return best;
}
