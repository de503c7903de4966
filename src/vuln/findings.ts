/**
 * Vulnerability matches as report findings: one per advisory, package, image and workload container that runs
 * it, attached to the container's `image` field, with the exposure priority of that workload. An image or SBOM
 * named on the command line that no workload runs gets findings on itself (kind `Image` or `SBOM`).
 */
import type { Finding, ResourceRef } from '../vocabulary/finding.js';
import { formatFieldPath } from '../vocabulary/field-path.js';
import { VULNERABLE_PACKAGE_RULE } from '../report/vulnerability-rule.js';
import type { ImageInventory, VulnerabilityMatch } from './model.js';
import type { Exposure } from './rank/exposure.js';
import { priorityOf, severityOfScore } from './rank/priority.js';
import { workloadName, type ImageUse } from './workload-images.js';

export interface ScannedImage {
  readonly inventory: ImageInventory;
  /** The workload containers that run it; empty for `--image` and `--sbom` inputs no workload names. */
  readonly uses: readonly ImageUse[];
  readonly kind: 'Image' | 'SBOM';
}

function highestScore(match: VulnerabilityMatch): number | null {
  const scores = match.severity.map((entry) => entry.score).filter((score): score is number => score !== null);
  return scores.length > 0 ? Math.max(...scores) : null;
}

function shortDigest(digest: string | null | undefined): string {
  return digest ? digest.slice(0, 'sha256:'.length + 12) : 'unknown layer';
}

export function vulnerabilityFindings(image: ScannedImage, matches: readonly VulnerabilityMatch[], exposureOf: (use: ImageUse) => Exposure): Finding[] {
  const findings: Finding[] = [];
  const { inventory } = image;
  const workloads = image.uses.map((use) => workloadName(use.workload));
  const targets: ({ use: ImageUse } | { use: null })[] = image.uses.length > 0 ? image.uses.map((use) => ({ use })) : [{ use: null }];
  for (const match of matches) {
    const score = highestScore(match);
    const severity = severityOfScore(score);
    const pkg = match.package;
    const layerIndex = pkg.layer ? inventory.layers.indexOf(pkg.layer) : -1;
    const layerText = layerIndex >= 0 ? `layer ${layerIndex + 1} of ${inventory.layers.length} (${shortDigest(pkg.layer)})` : inventory.layers.length > 0 ? shortDigest(pkg.layer) : 'no layers (an SBOM)';
    const vector = match.severity[0];
    for (const { use } of targets) {
      const priority = priorityOf(score, severity, use ? exposureOf(use) : null);
      const resource: ResourceRef = use ? use.workload : { apiVersion: 'kubeharden.io/v1', kind: image.kind, namespace: null, name: inventory.reference };
      const aliases = match.aliases.length > 0 ? ` (${match.aliases.join(', ')})` : '';
      const fix = match.fixedVersion ? `fixed in ${match.fixedVersion}` : 'no fixed version yet';
      const message =
        `${match.id}${aliases} in ${pkg.name} ${pkg.version} (${pkg.ecosystem}${pkg.path ? `, ${pkg.path}` : ''}), ${fix}; ` +
        `image ${inventory.reference}, ${layerText}` +
        `${vector ? `; ${vector.vector}${vector.score !== null ? ` = ${vector.score}` : ''}` : ''}` +
        `; priority ${priority.priority}: ${priority.explanation.join(', ')}` +
        `${match.summary ? `. ${match.summary}` : ''}`;
      findings.push({
        controlId: VULNERABLE_PACKAGE_RULE.id,
        title: VULNERABLE_PACKAGE_RULE.title,
        severity,
        pss: null,
        resource,
        location: use ? { file: use.file, line: use.line, column: use.column } : { file: inventory.reference, line: 0, column: 0 },
        field: use ? formatFieldPath(use.field) : 'image',
        message,
        remediation: match.fixedVersion ? `Rebuild the image with ${pkg.name} ${match.fixedVersion} or later, and roll the workloads to it.` : VULNERABLE_PACKAGE_RULE.remediation.text,
        // The fingerprint's key: one finding per advisory, package and container (a workload may run an image twice).
        about: `${use ? `${workloadName(use.workload)} [${use.container}] ` : ''}${inventory.reference}: ${pkg.ecosystem}/${pkg.name}@${pkg.version}${pkg.path ? ` ${pkg.path}` : ''} ${match.id}`,
        vulnerability: {
          id: match.id,
          aliases: match.aliases,
          summary: match.summary,
          severity: match.severity,
          package: { ecosystem: pkg.ecosystem, name: pkg.name, version: pkg.version, path: pkg.path ?? null, purl: pkg.purl ?? null },
          fixedVersion: match.fixedVersion,
          image: inventory.reference,
          imageDigest: inventory.digest,
          layer: pkg.layer ?? null,
          workloads,
          priority: priority.priority,
          exposure: priority.explanation,
        },
      });
    }
  }
  return findings;
}
