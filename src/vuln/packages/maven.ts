/**
 * Java packages: `META-INF/maven/<group>/<artifact>/pom.properties`, which Maven writes into every artifact it builds,
 * read from .jar/.war/.ear archives and the archives nested one level inside them (WEB-INF/lib, BOOT-INF/lib); and
 * the dependencies a `pom.xml` declares with versions (osv-scanner's reading: properties interpolated, a range's
 * lower bound, dependencyManagement when the dependency is not declared directly).
 */
import yauzl from 'yauzl';
import type { InstalledPackage } from '../model.js';
import { eachFile, PackageFileError, type PackageExtractor } from './extractor.js';
import { formatPurl } from './purl.js';
import { child, children, childText, parseXml, type XmlElement } from './xml.js';

export interface MavenArtifact {
  readonly groupId: string;
  readonly artifactId: string;
  readonly version: string;
}

export function mavenPackage(artifact: MavenArtifact): InstalledPackage {
  return {
    ecosystem: 'Maven',
    name: `${artifact.groupId}:${artifact.artifactId}`,
    version: artifact.version,
    purl: formatPurl({ type: 'maven', namespace: artifact.groupId, name: artifact.artifactId, version: artifact.version }),
  };
}

/** A Java properties file's `key=value` / `key: value` lines (no continuation lines: pom.properties has none). */
export function parsePomProperties(text: string): MavenArtifact | null {
  const values = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const match = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
    if (match?.[1]) values.set(match[1], match[2] ?? '');
  }
  const groupId = values.get('groupId');
  const artifactId = values.get('artifactId');
  const version = values.get('version');
  return groupId && artifactId && version ? { groupId, artifactId, version } : null;
}

/** A pom's `${property}` references resolved from its `<properties>`; a range's lower bound (`[1.2,2)` → 1.2). */
function resolveVersion(version: string, properties: ReadonlyMap<string, string>): string {
  const reference = /\$\{(.+)\}/.exec(version);
  const value = reference ? (properties.get(reference[1] ?? '') ?? '0') : version;
  const bound = /[[(]?(.*?)(?:,|[)\]]|$)/.exec(value);
  return bound?.[1] || '0';
}

export function parsePomXml(text: string): MavenArtifact[] {
  let project: XmlElement;
  try {
    project = parseXml(text);
  } catch (error) {
    throw new PackageFileError(`could not extract from the file: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (project.name !== 'project') throw new PackageFileError(`could not extract from the file: the root element is <${project.name}>, not <project>`);
  const properties = new Map((child(project, 'properties')?.children ?? []).map((property) => [property.name, property.text.trim()] as const));
  const found = new Map<string, MavenArtifact>();
  const declared = [...children(child(project, 'dependencies'), 'dependency'), ...children(child(child(project, 'dependencyManagement'), 'dependencies'), 'dependency')];
  for (const dependency of declared) {
    const groupId = childText(dependency, 'groupId') ?? '';
    const artifactId = childText(dependency, 'artifactId') ?? '';
    const key = `${groupId}:${artifactId}`;
    if (found.has(key)) continue;
    found.set(key, { groupId, artifactId, version: resolveVersion(childText(dependency, 'version') ?? '', properties) });
  }
  return [...found.values()];
}

const POM_PROPERTIES = /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/;
const ARCHIVE = /\.(?:jar|war|ear|par|sar|jpi|hpi)$/i;

/** The entries of a zip (in memory) whose names `want` accepts, each at most `maxEntryBytes` uncompressed. */
export function zipEntries(archive: Buffer, want: (name: string) => boolean, maxEntryBytes: number): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(archive, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (openError, zip) => {
      if (openError || !zip) {
        reject(new PackageFileError(`not a zip archive: ${openError?.message ?? 'unreadable'}`));
        return;
      }
      const found = new Map<string, Buffer>();
      const fail = (error: Error): void => {
        zip.close();
        reject(new PackageFileError(`corrupt zip archive: ${error.message}`));
      };
      zip.on('error', fail);
      zip.on('end', () => resolve(found));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/') || !want(entry.fileName)) {
          zip.readEntry();
          return;
        }
        if (entry.uncompressedSize > maxEntryBytes) {
          fail(new Error(`${entry.fileName} is ${entry.uncompressedSize} bytes, more than the ${maxEntryBytes} read`));
          return;
        }
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) {
            fail(streamError ?? new Error(`cannot read ${entry.fileName}`));
            return;
          }
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', fail);
          stream.on('end', () => {
            found.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** The Maven artifacts a Java archive holds, its nested archives (one level) included. */
export async function javaArchiveArtifacts(archive: Buffer, maxEntryBytes: number, nested = true): Promise<MavenArtifact[]> {
  const entries = await zipEntries(archive, (name) => POM_PROPERTIES.test(name) || (nested && ARCHIVE.test(name)), maxEntryBytes);
  const found: MavenArtifact[] = [];
  for (const [name, content] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (POM_PROPERTIES.test(name)) {
      const artifact = parsePomProperties(content.toString('utf8'));
      if (artifact) found.push(artifact);
    } else {
      try {
        found.push(...(await javaArchiveArtifacts(content, maxEntryBytes, false)));
      } catch (error) {
        throw new PackageFileError(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return found;
}

export function isJavaArchive(path: string): boolean {
  return ARCHIVE.test(path);
}

const MiB = 1024 * 1024;

export const javaArchiveExtractor: PackageExtractor = {
  id: 'java-archive',
  description: 'Java archives (.jar, .war, .ear): META-INF/maven/**/pom.properties, nested archives one level deep',
  maxBytes: 256 * MiB,
  independent: true,
  magic: [Buffer.from('PK\u0003\u0004', 'latin1')],
  wants: (path) => isJavaArchive(path),
  extract(files, context) {
    return eachFile('java-archive', files, context, async (_path, content) => (await javaArchiveArtifacts(content, 64 * MiB)).map(mavenPackage));
  },
};

export const pomXmlExtractor: PackageExtractor = {
  id: 'pom-xml',
  description: 'pom.xml (declared dependencies with versions)',
  maxBytes: 16 * MiB,
  independent: true,
  // Maven's local repository (~/.m2/repository) holds the poms of every artifact downloaded, not what runs.
  wants: (path) => path.endsWith('/pom.xml') && !path.includes('/.m2/'),
  extract(files, context) {
    return eachFile('pom-xml', files, context, (_path, content) => parsePomXml(content.toString('utf8')).filter((artifact) => artifact.version !== '0').map(mavenPackage));
  },
};
