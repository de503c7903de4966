/**
 * The package extractors of src/vuln/packages/ as the image reader asks for them: one `wants` over all of them
 * (plus the os-release files), and one `extract` that runs each over the files it wants, stamping the layer.
 */
import { EXTRACTORS, packagesOf, wantedBy, type PackageExtractor as PackageReader } from '../packages/extractors.js';
import type { PackageExtractor } from './extractor.js';

/** Part of the layer cache's key: bump it when what the readers want changes without their ids changing. */
const WANTS_VERSION = 1;

export function imagePackageExtractor(readers: readonly PackageReader[] = EXTRACTORS): PackageExtractor {
  return {
    id: `packages-${WANTS_VERSION}-${readers.map((reader) => reader.id).join('+')}`,
    wants(path, entry) {
      const want = wantedBy(path, entry, readers);
      // A file above every wanting reader's cap is still kept when small enough for the image reader's own limit:
      // packagesOf then reports it by name instead of it vanishing unread.
      return want !== null;
    },
    async extract(files) {
      const byPath = new Map(files.map((file) => [file.path, file] as const));
      const result = await packagesOf(new Map(files.map((file) => [file.path, file.content] as const)), {
        layerOf: (path) => byPath.get(path)?.layer,
        infoOf: (path) => {
          const file = byPath.get(path);
          return file ? { mode: file.mode, size: file.content.length } : undefined;
        },
        extractors: readers,
      });
      return { os: result.os, packages: result.packages, problems: result.problems.map((problem) => `${problem.path}: ${problem.message}`) };
    },
  };
}
