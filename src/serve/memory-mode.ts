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

/** Favours memory over speed for the rest of this process (call once, before the first list). */
export function favourMemory(execArgv: readonly string[] = process.execArgv): void {
  const flag = memoryModeFlag(execArgv);
  if (flag) setFlagsFromString(flag);
}
