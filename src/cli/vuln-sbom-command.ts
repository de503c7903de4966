/**
 * `kubeharden vuln sbom IMAGE`: the packages `vuln --image` finds in one image, as a CycloneDX 1.6 SBOM (JSON;
 * vuln/sbom/cyclonedx-out.ts), for `vuln --sbom` later, another scanner, or an SBOM store. One image per run, as
 * `trivy image --format cyclonedx` and `syft` write one document per image; no advisories are needed.
 */
import { scanImages } from '../vuln/image/scan-images.js';
import { inventoryToCycloneDx } from '../vuln/sbom/cyclonedx-out.js';
import { imageReading, type ImageSourceOptions } from './image-reading.js';
import { writeOutput } from './output-file.js';
import { EXIT_USAGE } from './usage-error.js';

export interface VulnSbomOptions extends ImageSourceOptions {
  readonly output?: string;
}

export async function runVulnSbom(reference: string, options: VulnSbomOptions): Promise<number> {
  const { outcomes } = await scanImages([reference], imageReading(options));
  const outcome = outcomes[0]!;
  if ('error' in outcome) {
    process.stderr.write(`kubeharden: ${outcome.error}\n`);
    return EXIT_USAGE;
  }
  // What could not be read in an otherwise readable image (an unreadable package database): the SBOM lacks it.
  for (const warning of outcome.result.warnings) process.stderr.write(`kubeharden: warning: ${reference}: ${warning}\n`);
  writeOutput(options.output, `${JSON.stringify(inventoryToCycloneDx(outcome.result.inventory), null, 2)}\n`);
  return 0;
}
