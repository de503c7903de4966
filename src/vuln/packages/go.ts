/** The Go extractors: binaries' embedded build info, and go.mod files. */
import type { InstalledPackage } from '../model.js';
import { eachFile, type PackageExtractor } from './extractor.js';
import { ELF_MAGIC, goToolchainVersion, MACHO_MAGICS, readGoBuildInfo, type GoBuildInfo } from './go-binary.js';
import { goVersionForOsv, parseGoMod } from './go-mod.js';
import { formatPurl } from './purl.js';

export function goPackage(module: string, version: string): InstalledPackage {
  const osvVersion = goVersionForOsv(version);
  const slash = module.lastIndexOf('/');
  return {
    ecosystem: 'Go',
    name: module,
    version: osvVersion,
    purl: formatPurl({ type: 'golang', namespace: slash > 0 ? module.slice(0, slash) : null, name: slash > 0 ? module.slice(slash + 1) : module, version: `v${osvVersion}` }),
  };
}

/**
 * The packages a binary's build info names: the Go standard library at the toolchain's version, the main module
 * when it has a real version (a local build says `(devel)`, which no advisory can be matched against), and every
 * dependency as built (a replacement's path and version when replaced; a local-directory replacement has none).
 */
export function goBinaryPackages(info: GoBuildInfo): InstalledPackage[] {
  const found: InstalledPackage[] = [];
  const toolchain = goToolchainVersion(info.goVersion);
  if (toolchain) found.push(goPackage('stdlib', toolchain));
  if (info.main && info.main.version !== '(devel)' && info.main.version !== '') found.push(goPackage(info.main.path, info.main.version));
  for (const dep of info.deps) if (dep.version !== '') found.push(goPackage(dep.path, dep.version));
  return found;
}

/** Folders executables are installed to; elsewhere only files the tar header marks executable are asked for. */
const BIN_FOLDER = /(?:^|\/)(?:s?bin|libexec|go\/bin|ko-app)\/[^/]+$/;
const NOT_BINARY = /\.(?:sh|py|pl|rb|js|mjs|cjs|json|ya?ml|txt|md|conf|cfg|so(?:\.\d+)*|a|o|h|c|jar|war|gz|zip|tar|html|css)$/i;
const MiB = 1024 * 1024;

export const goBinaryExtractor: PackageExtractor = {
  id: 'go-binary',
  description: 'Go binaries: the embedded build info (Go ≥ 1.13), with the Go standard library as stdlib',
  maxBytes: 512 * MiB,
  independent: true,
  magic: [ELF_MAGIC, ...MACHO_MAGICS],
  wants(path, info) {
    if (NOT_BINARY.test(path) || path.startsWith('/proc/') || path.startsWith('/sys/')) return false;
    if (info?.mode !== undefined) return (info.mode & 0o111) !== 0 && (info.size === undefined || info.size >= 4096);
    return BIN_FOLDER.test(path);
  },
  extract(files, context) {
    return eachFile('go-binary', files, context, (_path, content) => {
      const info = readGoBuildInfo(content);
      return info ? goBinaryPackages(info) : [];
    });
  },
};

export const goModExtractor: PackageExtractor = {
  id: 'go-mod',
  description: 'go.mod (required modules, replace directives applied, the go directive as stdlib)',
  maxBytes: 16 * MiB,
  independent: true,
  wants: (path) => path.endsWith('/go.mod') && !path.includes('/pkg/mod/'),
  extract(files, context) {
    return eachFile('go-mod', files, context, (_path, content) =>
      parseGoMod(content.toString('utf8'))
        .filter((module) => module.version !== '')
        .map((module) => goPackage(module.name, module.version)),
    );
  },
};
