/**
 * `kubeharden serve` runs for weeks at a steady trickle of changes, so it asks V8 to favour memory over speed
 * (`--optimize-for-size`). Each batch re-judges namespaces: their inventories live for the batch, so some of them
 * outlive a young-generation collection, are promoted, and die in the old generation beside the objects that stay.
 * By default V8 then keeps the old generation's half-empty pages: at 10,000 objects and 100 changes a second its
 * committed old space grew to twice what was live (heap used 66 MB, committed 157 MB), and that was the RSS growth
 * over the run. With the flag every full collection compacts to reduce memory and the young generation stays
 * small (see docs/serve.md, "Memory").
 *
 * Set at run time: V8 reads the flag at each collection (Node does not accept it in NODE_OPTIONS, so an image's
 * entrypoint or a manifest could not set it for `serve` alone). A `--optimize-for-size` or
 * `--no-optimize-for-size` given to node wins over ours.
 */
import { setFlagsFromString } from 'node:v8';

const SIZE_FLAG = /^--(no-)?optimize[-_]for[-_]size(=|$)/;

/** The V8 flag to set, or undefined when the user gave node their own choice. */
export function memoryModeFlag(execArgv: readonly string[]): string | undefined {
  return execArgv.some((arg) => SIZE_FLAG.test(arg)) ? undefined : '--optimize-for-size';
}

/**
 * How far serve's heap may grow past what survived the last full collection, in percent. The CLI's 10 (for a scan's
 * one large List) made the agent under 100 changes a second collect its whole heap two or three times a batch: each
 * batch's namespace inventories are promoted before they die, and 10 % of an 80 MB heap is a few of them. At 30 a
 * full collection comes about once a batch, for up to 30 % more heap between collections.
 */
export const SERVE_HEAP_GROWING_PERCENT = 30;

/** Serve's heap growing flag, or undefined when the user gave node one (theirs wins, as for the CLI's 10%). */
export function serveHeapGrowthFlag(execArgv: readonly string[]): string | undefined {
  return execArgv.some((arg) => /^--heap[-_]growing[-_]percent(=|$)/.test(arg)) ? undefined : `--heap-growing-percent=${SERVE_HEAP_GROWING_PERCENT}`;
}

/** Favours memory over speed for the rest of this process (call once, before the first list). */
export function favourMemory(execArgv: readonly string[] = process.execArgv): void {
  for (const flag of [memoryModeFlag(execArgv), serveHeapGrowthFlag(execArgv)]) if (flag) setFlagsFromString(flag);
}
