/**
 * How fast the heap may grow. While a large List is parsed item by item, garbage comes fast and V8 answers by
 * letting its heap grow to up to four times what survived the last collection: a 200,000-Pod scan with about
 * 400 MB live reached 1.9 GB. A smaller growing factor makes collections come sooner. It is not a limit: a scan
 * that needs more memory still gets it, only after a collection has tried to do without.
 */
import { setFlagsFromString } from 'node:v8';

/** The heap may grow to this many percent more than survived the last full collection. */
export const HEAP_GROWING_PERCENT = 10;

const GROWTH_FLAG = /--heap-growing-percent\b/;

/**
 * The V8 flag to set, or undefined when the user gave node one (`node --heap-growing-percent=50 main.js`): theirs
 * wins. Node does not accept the flag in NODE_OPTIONS, so its arguments are the only place to look.
 */
export function heapGrowthFlag(execArgv: readonly string[]): string | undefined {
  if (execArgv.some((arg) => GROWTH_FLAG.test(arg))) return undefined;
  return `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/** Sets the growing factor for this process (V8 reads it at each collection, so setting it now takes effect). */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): void {
  const flag = heapGrowthFlag(execArgv);
  if (flag) setFlagsFromString(flag);
}
