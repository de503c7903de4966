/** `kubeharden images`: every image the workloads run, with the workloads and containers that run it. */
import type { InputError } from '../loader/source.js';
import { inputErrorText } from '../report/terminal-text.js';
import { alignColumns } from '../util/columns.js';
import { imagesOfWorkloads, workloadName, type WorkloadImage } from '../vuln/workload-images.js';
import { writeOutput } from './output-file.js';
import { UsageError } from './usage-error.js';
import { objectsFromCluster, objectsFromPaths, WORKLOAD_KINDS, type ClusterSource } from './workload-objects.js';

export interface ImagesOptions extends ClusterSource {
  readonly cluster?: boolean;
  readonly format: 'table' | 'json' | 'markdown';
  readonly output?: string;
}


function useText(image: WorkloadImage): string[] {
  return image.uses.map((use) => `${workloadName(use.workload)} [${use.container}${use.containerType === 'regular' ? '' : `, ${use.containerType}`}]`);
}

export function renderImagesTable(images: readonly WorkloadImage[]): string {
  if (images.length === 0) return 'No images: no workload in the input names one.\n';
  const rows: string[][] = [['IMAGE', 'WORKLOADS']];
  for (const image of images) useText(image).forEach((use, index) => rows.push([index === 0 ? image.image : '', use]));
  return `${alignColumns(rows).join('\n')}\n\n${images.length} images, ${images.reduce((sum, image) => sum + image.uses.length, 0)} containers\n`;
}

/** Markdown: a pipe or a newline in a name must not break the table. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/[`*_<>[\]]/g, (char) => `\\${char}`);
}

export function renderImagesMarkdown(images: readonly WorkloadImage[]): string {
  const lines = ['# Images', '', `${images.length} images, ${images.reduce((sum, image) => sum + image.uses.length, 0)} containers.`, '', '| Image | Workloads |', '|---|---|'];
  for (const image of images) lines.push(`| ${cell(image.image)} | ${useText(image).map(cell).join('<br>')} |`);
  return `${lines.join('\n')}\n`;
}

export function renderImagesJson(images: readonly WorkloadImage[], errors: readonly InputError[]): string {
  return `${JSON.stringify(
    {
      images: images.map((image) => ({
        image: image.image,
        registry: image.parsed.registry,
        repository: image.parsed.repository,
        tag: image.parsed.tag ?? null,
        digest: image.parsed.digest ?? null,
        workloads: image.uses.map((use) => ({ ...use.workload, container: use.container, containerType: use.containerType, file: use.file, ...(use.line > 0 ? { line: use.line } : {}) })),
      })),
      errors,
    },
    null,
    2,
  )}\n`;
}

export async function loadWorkloadImages(paths: readonly string[], options: { cluster?: boolean } & ClusterSource, errors: InputError[]): Promise<WorkloadImage[]> {
  if (options.cluster && paths.length > 0) throw new UsageError('give either manifests or --cluster, not both');
  const objects = options.cluster ? await objectsFromCluster(options, WORKLOAD_KINDS, errors) : await objectsFromPaths(paths, errors);
  return imagesOfWorkloads(objects);
}

export async function runImages(paths: string[], options: ImagesOptions): Promise<number> {
  if (!options.cluster && paths.length === 0) throw new UsageError('give the manifests to read (files, directories or -), or --cluster');
  const errors: InputError[] = [];
  const images = await loadWorkloadImages(paths, options, errors);
  const text = options.format === 'json' ? renderImagesJson(images, errors) : options.format === 'markdown' ? renderImagesMarkdown(images) : renderImagesTable(images);
  writeOutput(options.output, text);
  if (options.format !== 'json') for (const error of errors) process.stderr.write(`kubeharden: ${inputErrorText(error)}\n`);
  return errors.length > 0 ? 2 : 0;
}
