/**
 * Where a process's resident memory is, for the serve benchmark: Node's own accounting (the V8 heap, external
 * memory, ArrayBuffers), the V8 heap by space, and the kernel's (Linux `/proc/self/status`): anonymous memory (the
 * heap, malloc, native buffers: ours to cut) against file-backed pages (the mapped node binary and shared libraries,
 * counted in RSS but shared and not ours to cut).
 */
import { readFileSync } from 'node:fs';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

export interface MemorySample {
  /** MiB each. */
  readonly rss: number;
  readonly heapTotal: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
  /** Kernel view (0 off Linux): anonymous, file-backed and shared-memory resident pages. */
  readonly rssAnon: number;
  readonly rssFile: number;
  /** V8 spaces' committed sizes: new (both semi-spaces), old, code, large objects (all large-object spaces). */
  readonly newSpace: number;
  readonly oldSpace: number;
  readonly codeSpace: number;
  readonly largeObjects: number;
  /** What V8 itself has from malloc (compiler zones, tables), outside its heap. */
  readonly v8Malloced: number;
}

const MIB = 2 ** 20;

export function memorySample(): MemorySample {
  const usage = process.memoryUsage();
  const spaces = new Map(getHeapSpaceStatistics().map((space) => [space.space_name, space.space_size / MIB]));
  const status = procStatus();
  return {
    rss: usage.rss / MIB,
    heapTotal: usage.heapTotal / MIB,
    heapUsed: usage.heapUsed / MIB,
    external: usage.external / MIB,
    arrayBuffers: usage.arrayBuffers / MIB,
    rssAnon: (status.get('RssAnon') ?? 0) / 1024,
    rssFile: (status.get('RssFile') ?? 0) / 1024,
    newSpace: spaces.get('new_space') ?? 0,
    oldSpace: spaces.get('old_space') ?? 0,
    codeSpace: spaces.get('code_space') ?? 0,
    v8Malloced: getHeapStatistics().malloced_memory / MIB,
    largeObjects: (spaces.get('large_object_space') ?? 0) + (spaces.get('new_large_object_space') ?? 0) + (spaces.get('code_large_object_space') ?? 0),
  };
}

/** `/proc/self/status` figures in kB (empty off Linux). */
function procStatus(): Map<string, number> {
  const figures = new Map<string, number>();
  let text: string;
  try {
    text = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return figures;
  }
  for (const line of text.split('\n')) {
    const match = /^(\w+):\s+(\d+) kB$/.exec(line);
    if (match) figures.set(match[1]!, Number(match[2]));
  }
  return figures;
}

/** The sample as one line: `RSS 202 (anon 150, file 52) · heap 64/70 · new 1 · code 3 · LO 2 · external 9 · arrayBuffers 3`. */
export function describeSample(sample: MemorySample): string {
  const mb = (value: number) => value.toFixed(0);
  return `RSS ${mb(sample.rss)} (anon ${mb(sample.rssAnon)}, file ${mb(sample.rssFile)}) · heap used/total ${mb(sample.heapUsed)}/${mb(sample.heapTotal)} (new ${mb(sample.newSpace)}, old ${mb(sample.oldSpace)}, code ${mb(sample.codeSpace)}, large ${mb(sample.largeObjects)}) · V8 malloc ${mb(sample.v8Malloced)} · external ${mb(sample.external)} · arrayBuffers ${mb(sample.arrayBuffers)}`;
}
