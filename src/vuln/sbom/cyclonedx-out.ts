/**
 * SBOM out: an image's inventory as a CycloneDX 1.6 JSON document. The container is the metadata component, its
 * distribution an `operating-system` component, and every package a `library` with its purl; where each package was
 * found (file, layer) and its source package are `kubeharden:` properties, so reading the document back gives the
 * same packages. The output is deterministic: the serial number is derived from the content.
 */
import { createHash } from 'node:crypto';
import type { ImageInventory, InstalledPackage } from '../model.js';
import { TOOL_NAME, TOOL_VERSION } from '../../version.js';

export interface CycloneDxOptions {
  /** ISO 8601; default now. Fixed in tests. */
  readonly timestamp?: string;
}

interface Property {
  readonly name: string;
  readonly value: string;
}

function properties(pkg: InstalledPackage): Property[] {
  const found: Property[] = [{ name: 'kubeharden:ecosystem', value: pkg.ecosystem }];
  if (pkg.sourceName && pkg.sourceName !== pkg.name) found.push({ name: 'kubeharden:source-name', value: pkg.sourceName });
  if (pkg.sourceVersion && pkg.sourceVersion !== pkg.version) found.push({ name: 'kubeharden:source-version', value: pkg.sourceVersion });
  if (pkg.path) found.push({ name: 'kubeharden:path', value: pkg.path });
  if (pkg.layer) found.push({ name: 'kubeharden:layer', value: pkg.layer });
  return found;
}

/** A version-5-shaped UUID from a hash of the content, so the same inventory gives the same document. */
function contentUuid(content: string): string {
  const hex = createHash('sha256').update(content).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function inventoryToCycloneDx(inventory: ImageInventory, options: CycloneDxOptions = {}): Record<string, unknown> {
  const used = new Map<string, number>();
  const reference = (base: string): string => {
    const count = used.get(base) ?? 0;
    used.set(base, count + 1);
    return count === 0 ? base : `${base}#${count + 1}`;
  };
  const components: Record<string, unknown>[] = [];
  if (inventory.os) {
    components.push({
      type: 'operating-system',
      'bom-ref': reference(`os:${inventory.os.id}`),
      name: inventory.os.id,
      ...(inventory.os.versionId ? { version: inventory.os.versionId } : {}),
      ...(inventory.os.prettyName ? { description: inventory.os.prettyName } : {}),
    });
  }
  for (const pkg of inventory.packages) {
    components.push({
      type: 'library',
      'bom-ref': reference(pkg.purl ?? `${pkg.ecosystem}:${pkg.name}@${pkg.version}`),
      name: pkg.name,
      ...(pkg.version ? { version: pkg.version } : {}),
      ...(pkg.purl ? { purl: pkg.purl } : {}),
      properties: properties(pkg),
    });
  }
  const container: Record<string, unknown> = {
    type: 'container',
    'bom-ref': reference(`image:${inventory.reference}`),
    name: inventory.reference,
    ...(inventory.digest ? { version: inventory.digest } : {}),
    properties: [
      ...(inventory.platform ? [{ name: 'kubeharden:platform', value: inventory.platform }] : []),
      ...inventory.layers.map((layer) => ({ name: 'kubeharden:layer', value: layer })),
    ],
  };
  const body = { components, container };
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${contentUuid(JSON.stringify(body))}`,
    version: 1,
    metadata: {
      timestamp: options.timestamp ?? new Date().toISOString(),
      tools: { components: [{ type: 'application', name: TOOL_NAME, version: TOOL_VERSION }] },
      component: container,
    },
    components,
  };
}
