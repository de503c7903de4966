/**
 * `kubeharden vuln`: the images the workloads run (or named images, or SBOMs) → their packages → the OSV advisories
 * that affect them → findings in every report format, each ranked by how exposed its workload is.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { InputError } from '../loader/source.js';
import { FindingStore } from '../engine/finding-store.js';
import { ScoreBoard } from '../engine/scores.js';
import type { ReportInput } from '../report/report.js';
import { VULNERABLE_PACKAGE_RULE } from '../report/vulnerability-rule.js';
import { loadDockerConfig } from '../vuln/image/docker-config.js';
import { defaultCacheDir } from '../vuln/image/layer-cache.js';
import { ImageError } from '../vuln/image/digest.js';
import { parsePlatform } from '../vuln/image/manifest.js';
import { imagePackageExtractor } from '../vuln/image/package-extractor.js';
import { scanImages } from '../vuln/image/scan-images.js';
import { vulnerabilityFindings, type ScannedImage } from '../vuln/findings.js';
import { AdvisoryIndex } from '../vuln/match/advisory-index.js';
import { matchPackages } from '../vuln/match/match.js';
import { loadOsv } from '../vuln/osv/load.js';
import { ExposureIndex } from '../vuln/rank/exposure.js';
import { readSbom } from '../vuln/sbom/sbom-in.js';
import { imagesOfWorkloads, type WorkloadObject } from '../vuln/workload-images.js';
import { emitReports, prepareReportSession } from './scan-command.js';
import { UsageError } from './usage-error.js';
import { objectsFromCluster, objectsFromPaths, WORKLOAD_KINDS, type ClusterSource } from './workload-objects.js';

export interface VulnOptions extends ClusterSource {
  readonly cluster?: boolean;
  readonly image: string[];
  readonly sbom: string[];
  readonly db: string[];
  readonly platform: string;
  readonly cacheDir?: string;
  /** commander's --no-cache. */
  readonly cache: boolean;
  readonly dockerConfig?: string;
  readonly insecureRegistry: string[];
  readonly failOnPriority?: string;
}

/** What ranking reads besides the workloads: reachability, RBAC. */
const RANKING_KINDS = ['Namespace', 'Service', 'Ingress', 'NetworkPolicy', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];

function inputError(file: string, message: string): InputError {
  return { file, line: null, column: null, message };
}

export async function runVuln(paths: string[], options: VulnOptions, command: Command): Promise<number> {
  if (options.cluster && paths.length > 0) throw new UsageError('give either manifests or --cluster, not both');
  if (!options.cluster && paths.length === 0 && options.image.length === 0 && options.sbom.length === 0) {
    throw new UsageError('give manifests (files, directories or -), --cluster, --image REF or --sbom FILE');
  }
  if (options.db.length === 0) throw new UsageError('give the advisories with --db DIR (a folder of OSV records, or an OSV all.zip export)');
  const failOnPriority = options.failOnPriority === undefined ? undefined : Number(options.failOnPriority);
  if (failOnPriority !== undefined && (!Number.isInteger(failOnPriority) || failOnPriority < 0 || failOnPriority > 100)) {
    throw new UsageError(`--fail-on-priority must be a whole number from 0 to 100, not "${options.failOnPriority}"`);
  }
  let platform;
  try {
    platform = parsePlatform(options.platform);
  } catch (error) {
    throw new UsageError(`--platform: ${(error as Error).message}`);
  }
  const session = prepareReportSession(command, paths);
  const errors: InputError[] = [];

  const index = new AdvisoryIndex();
  for (const db of options.db) {
    const loaded = await loadOsv(db);
    for (const record of loaded.records) index.add(record);
    for (const problem of loaded.problems) errors.push(inputError(problem.source, problem.message));
  }

  const objects: WorkloadObject[] =
    options.cluster ? await objectsFromCluster(options, [...WORKLOAD_KINDS, ...RANKING_KINDS], errors)
    : paths.length > 0 ? await objectsFromPaths(paths, errors)
    : [];
  const workloadImages = imagesOfWorkloads(objects);
  const exposure = new ExposureIndex(objects);
  const references = [...new Set([...workloadImages.map((image) => image.image), ...options.image])];
  const usesOf = new Map(workloadImages.map((image) => [image.image, image.uses]));

  const scanned = await scanImages(references, {
    platform,
    extractor: imagePackageExtractor(),
    credentials: loadDockerConfig(options.dockerConfig),
    cacheDir: options.cache ? (options.cacheDir ?? defaultCacheDir()) : null,
    plainHttpHosts: options.insecureRegistry,
  });
  const images: ScannedImage[] = [];
  const imageUsers = new Map<string, string | null>();
  for (const outcome of scanned.outcomes) {
    if ('error' in outcome) {
      errors.push(inputError(outcome.reference, outcome.error));
      continue;
    }
    for (const warning of outcome.result.warnings) errors.push(inputError(outcome.reference, warning));
    imageUsers.set(outcome.reference, outcome.result.config.user);
    images.push({ inventory: outcome.result.inventory, uses: usesOf.get(outcome.reference) ?? [], kind: 'Image' });
  }
  for (const file of options.sbom) {
    try {
      const sbom = readSbom(readFileSync(file, 'utf8'));
      images.push({ inventory: { reference: file, digest: null, platform: null, os: null, layers: [], packages: sbom.packages }, uses: [], kind: 'SBOM' });
    } catch (error) {
      errors.push(inputError(file, error instanceof ImageError ? error.message : `cannot read the SBOM: ${(error as Error).message}`));
    }
  }

  const store = new FindingStore();
  let packages = 0;
  let vulnerable = 0;
  let maxPriority = -1;
  for (const image of images) {
    const matches = matchPackages(image.inventory.packages, index);
    packages += image.inventory.packages.length;
    vulnerable += new Set(matches.map((match) => match.package)).size;
    const user = imageUsers.get(image.inventory.reference) ?? null;
    for (const finding of vulnerabilityFindings(image, matches, (use) => exposure.exposureOf(use.workload, user))) {
      store.add(finding);
      maxPriority = Math.max(maxPriority, finding.vulnerability?.priority ?? -1);
    }
  }
  const board = new ScoreBoard();
  board.record(VULNERABLE_PACKAGE_RULE.id, packages, vulnerable);
  const rules = [{ meta: VULNERABLE_PACKAGE_RULE }];
  const input: ReportInput = {
    store,
    errors,
    stats: { inputs: paths.length + options.image.length + options.sbom.length, resources: images.length, podTemplates: 0 },
    selection: { active: rules, skipped: [] },
    scores: board.scores(rules),
    exceptions: [],
  };
  const exitCode = await emitReports(session, input);
  if (exitCode === 0 && failOnPriority !== undefined && maxPriority >= failOnPriority) {
    process.exitCode = 1;
    return 1;
  }
  return exitCode;
}
