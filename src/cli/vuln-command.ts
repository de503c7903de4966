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
import { VULNERABLE_COMPONENT_RULE, VULNERABLE_PACKAGE_RULE } from '../report/vulnerability-rule.js';
import type { ApiClient } from '../cluster/api-client.js';
import { serverVersion } from '../cluster/cluster-scan.js';
import type { Json } from '../util/object.js';
import { ImageError } from '../vuln/image/digest.js';
import { scanImages } from '../vuln/image/scan-images.js';
import { imageReading, type ImageSourceOptions } from './image-reading.js';
import { vulnerabilityFindings, type ScannedImage } from '../vuln/findings.js';
import { AdvisoryIndex } from '../vuln/match/advisory-index.js';
import { matchPackages } from '../vuln/match/match.js';
import type { OsvRecord } from '../vuln/osv/record.js';
import { openAdvisoryDatabase } from '../vuln/db/database.js';
import { componentFindings, nodeComponentVersions } from '../vuln/k8s/cluster-components.js';
import { kubernetesCveFindings, type ComponentVersion } from '../vuln/k8s/cves.js';
import { ExposureIndex } from '../vuln/rank/exposure.js';
import { readSbom } from '../vuln/sbom/sbom-in.js';
import { imagesOfWorkloads, type WorkloadObject } from '../vuln/workload-images.js';
import { emitReports, prepareReportSession } from './scan-command.js';
import { UsageError } from './usage-error.js';
import { connectClusterSource, listClusterObjects, objectsFromPaths, WORKLOAD_KINDS, type ClusterSource } from './workload-objects.js';

export interface VulnOptions extends ClusterSource, ImageSourceOptions {
  readonly cluster?: boolean;
  readonly image: string[];
  readonly sbom: string[];
  readonly db: string[];
  readonly failOnPriority?: string;
}

/** What ranking reads besides the workloads: reachability, RBAC. */
const RANKING_KINDS = ['Namespace', 'Service', 'Ingress', 'NetworkPolicy', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];

function inputError(file: string, message: string): InputError {
  return { file, line: null, column: null, message };
}

/** The API server's version and every node's kubelet and kube-proxy versions; what cannot be read is an error. */
async function clusterComponents(client: ApiClient, nodes: readonly Json[], errors: InputError[]): Promise<ComponentVersion[]> {
  const components: ComponentVersion[] = [];
  try {
    components.push({ component: 'kube-apiserver', gitVersion: await serverVersion(client) });
  } catch (error) {
    errors.push(inputError('cluster:/version', (error as Error).message));
  }
  return [...components, ...nodeComponentVersions(nodes)];
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
  const reading = imageReading(options);
  const session = prepareReportSession(command, paths);
  const errors: InputError[] = [];

  const index = new AdvisoryIndex();
  const kubernetesRecords: OsvRecord[] = [];
  for (const db of options.db) {
    try {
      const opened = await openAdvisoryDatabase(db, index);
      kubernetesRecords.push(...opened.kubernetes);
      for (const problem of opened.problems) errors.push(inputError(problem.source, problem.message));
    } catch (error) {
      errors.push(inputError(db, (error as Error).message));
    }
  }

  const client = options.cluster ? await connectClusterSource(options) : null;
  const listed: WorkloadObject[] =
    client ? await listClusterObjects(client, [...WORKLOAD_KINDS, ...RANKING_KINDS, 'Node'], errors)
    : paths.length > 0 ? await objectsFromPaths(paths, errors)
    : [];
  const objects = listed.filter((entry) => entry.object['kind'] !== 'Node');
  const components = client ? await clusterComponents(client, listed.filter((entry) => entry.object['kind'] === 'Node').map((entry) => entry.object), errors) : [];
  const workloadImages = imagesOfWorkloads(objects);
  const exposure = new ExposureIndex(objects);
  const references = [...new Set([...workloadImages.map((image) => image.image), ...options.image])];
  const usesOf = new Map(workloadImages.map((image) => [image.image, image.uses]));

  const scanned = await scanImages(references, reading);
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
  if (client) {
    const cves = kubernetesCveFindings(components, kubernetesRecords);
    for (const finding of componentFindings(cves)) {
      store.add(finding);
      maxPriority = Math.max(maxPriority, finding.vulnerability?.priority ?? -1);
    }
    // Assessed: the API server and each node's components; failing: those with a CVE.
    const failing = new Set(cves.flatMap((cve) => (cve.where.length > 0 ? cve.where : ['']).map((where) => `${cve.component} ${where}`)));
    board.record(VULNERABLE_COMPONENT_RULE.id, components.length, failing.size);
    rules.push({ meta: VULNERABLE_COMPONENT_RULE });
  }
  const input: ReportInput = {
    store,
    errors,
    stats: { inputs: paths.length + options.image.length + options.sbom.length, resources: images.length + components.length, podTemplates: 0 },
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
