/**
 * SBOMs in: CycloneDX 1.4–1.6 (JSON, and XML, which syft and osv-scanner's fixtures use) and SPDX 2.3 JSON. Each
 * component with a purl becomes an InstalledPackage; the format is recognised from the content, not the file name.
 */
import type { InstalledPackage } from '../model.js';
import { array, isRecord, record, str } from '../../util/object.js';
import { child, children, childText, parseXml, type XmlElement } from '../packages/xml.js';
import { packageOfPurl } from './purl-package.js';

export class SbomError extends Error {}

export interface SbomRead {
  readonly format: 'cyclonedx-json' | 'cyclonedx-xml' | 'spdx-json';
  /** `1.4`, `1.6`, `SPDX-2.3`. */
  readonly specVersion: string;
  /** Components (packages) that carry a purl. */
  readonly components: number;
  readonly packages: InstalledPackage[];
  /** purls with no OSV ecosystem (`pkg:generic/…`) or no version: listed, not matched. */
  readonly skipped: string[];
}

const MAX_DEPTH = 64;

/** A component's purl, and the `kubeharden:` properties kubeharden's own SBOMs carry (exact ecosystem, file, layer). */
interface Found {
  readonly purl: string;
  readonly properties?: ReadonlyMap<string, string>;
}

function withProperties(pkg: InstalledPackage, properties: ReadonlyMap<string, string> | undefined): InstalledPackage {
  if (!properties) return pkg;
  const value = (name: string): string | undefined => properties.get(`kubeharden:${name}`);
  const ecosystem = value('ecosystem');
  const sourceName = value('source-name');
  const sourceVersion = value('source-version');
  const path = value('path');
  const layer = value('layer');
  return {
    ...pkg,
    ...(ecosystem ? { ecosystem } : {}),
    ...(sourceName ? { sourceName } : {}),
    ...(sourceVersion ? { sourceVersion } : {}),
    ...(path ? { path } : {}),
    ...(layer ? { layer } : {}),
  };
}

function fromPurls(format: SbomRead['format'], specVersion: string, found: readonly Found[]): SbomRead {
  const packages: InstalledPackage[] = [];
  const skipped: string[] = [];
  for (const { purl, properties } of found) {
    const pkg = packageOfPurl(purl);
    if (pkg) packages.push(withProperties(pkg, properties));
    else skipped.push(purl);
  }
  return { format, specVersion, components: found.length, packages, skipped };
}

/** Components and their nested components, depth first. */
function cycloneDxJsonPurls(components: readonly unknown[], depth: number, into: Found[]): void {
  if (depth > MAX_DEPTH) throw new SbomError(`CycloneDX components nested deeper than ${MAX_DEPTH}`);
  for (const component of components) {
    const entry = record(component);
    if (!entry) continue;
    const purl = str(entry['purl']);
    const properties = new Map(
      array(entry['properties'])
        .map(record)
        .flatMap((property) => (str(property?.['name'])?.startsWith('kubeharden:') && str(property?.['value']) !== undefined ? [[str(property?.['name']) ?? '', str(property?.['value']) ?? ''] as const] : [])),
    );
    if (purl) into.push({ purl, ...(properties.size > 0 ? { properties } : {}) });
    cycloneDxJsonPurls(array(entry['components']), depth + 1, into);
  }
}

function cycloneDxXmlPurls(components: readonly XmlElement[], depth: number, into: Found[]): void {
  if (depth > MAX_DEPTH) throw new SbomError(`CycloneDX components nested deeper than ${MAX_DEPTH}`);
  for (const component of components) {
    const purl = childText(component, 'purl');
    if (purl) into.push({ purl });
    cycloneDxXmlPurls(children(child(component, 'components'), 'component'), depth + 1, into);
  }
}

const CYCLONEDX_VERSIONS = ['1.4', '1.5', '1.6'];

function readCycloneDxJson(document: Record<string, unknown>): SbomRead {
  const specVersion = str(document['specVersion']) ?? '';
  if (!CYCLONEDX_VERSIONS.includes(specVersion)) throw new SbomError(`CycloneDX ${specVersion || '(no specVersion)'} is not read; 1.4, 1.5 and 1.6 are`);
  const purls: Found[] = [];
  cycloneDxJsonPurls(array(document['components']), 0, purls);
  return fromPurls('cyclonedx-json', specVersion, purls);
}

function readSpdxJson(document: Record<string, unknown>): SbomRead {
  const specVersion = str(document['spdxVersion']) ?? '';
  if (!/^SPDX-2\.[23]$/.test(specVersion)) throw new SbomError(`${specVersion} is not read; SPDX-2.3 (and 2.2) JSON are`);
  const purls: Found[] = [];
  for (const item of array(document['packages'])) {
    const pkg = record(item);
    const reference = array(pkg?.['externalRefs'])
      .map(record)
      .find((ref) => str(ref?.['referenceType']) === 'purl' && /^PACKAGE[-_]MANAGER$/.test(str(ref?.['referenceCategory']) ?? ''));
    const locator = str(reference?.['referenceLocator']);
    if (locator) purls.push({ purl: locator });
  }
  return fromPurls('spdx-json', specVersion, purls);
}

function readCycloneDxXml(text: string): SbomRead {
  let bom: XmlElement;
  try {
    bom = parseXml(text);
  } catch (error) {
    throw new SbomError(`not a CycloneDX XML document: ${error instanceof Error ? error.message : String(error)}`);
  }
  const namespace = /^http:\/\/cyclonedx\.org\/schema\/bom\/(\d+\.\d+)$/.exec(bom.attributes['xmlns'] ?? '');
  if (bom.name !== 'bom' || !namespace?.[1]) throw new SbomError('not a CycloneDX XML document (no <bom xmlns="http://cyclonedx.org/schema/bom/1.x">)');
  if (!CYCLONEDX_VERSIONS.includes(namespace[1])) throw new SbomError(`CycloneDX ${namespace[1]} is not read; 1.4, 1.5 and 1.6 are`);
  const purls: Found[] = [];
  cycloneDxXmlPurls(children(child(bom, 'components'), 'component'), 0, purls);
  return fromPurls('cyclonedx-xml', namespace[1], purls);
}

/** Reads an SBOM of any supported format; SbomError says what is wrong with one that is not. */
export function readSbom(text: string): SbomRead {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('<')) return readCycloneDxXml(text);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new SbomError(`not an SBOM: neither JSON nor XML (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(document)) throw new SbomError('not an SBOM: the JSON is not an object');
  if (document['bomFormat'] === 'CycloneDX') return readCycloneDxJson(document);
  if (typeof document['spdxVersion'] === 'string') return readSpdxJson(document);
  throw new SbomError('not an SBOM: no "bomFormat": "CycloneDX" and no "spdxVersion"');
}
