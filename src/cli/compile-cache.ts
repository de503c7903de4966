/**
 * Node's module compile cache (`module.enableCompileCache()`, Node 22.1 and later): the compiled code of every
 * module is kept on disk, so later starts skip parsing and compiling it. Node 20 has no such call and starts as
 * before. Imported first by main.ts: ES modules are all compiled before any of them runs, so this covers the
 * modules each command imports when it runs (most of the code), not main.ts's own few static imports.
 *
 * The cache goes beside kubeharden's layer cache ($XDG_CACHE_HOME/kubeharden, else ~/.cache/kubeharden), not in
 * Node's default temporary folder, so it outlives reboots; NODE_COMPILE_CACHE chooses another folder and
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off, as Node documents.
 */
import * as nodeModule from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

const enableCompileCache = (nodeModule as { enableCompileCache?: (directory?: string) => unknown }).enableCompileCache;
if (enableCompileCache) {
  try {
    const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
    enableCompileCache(process.env.NODE_COMPILE_CACHE || join(cacheHome, 'kubeharden', 'compile-cache'));
  } catch {
    // A cache folder that cannot be made costs only the speed-up (Node reports most failures in its return value).
  }
}
