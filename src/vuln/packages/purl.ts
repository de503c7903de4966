/**
 * Package URLs (https://github.com/package-url/purl-spec): written for every package found, read from SBOMs. A purl
 * names a package the same way across tools, so it is how an SBOM's components become OSV (ecosystem, name,
 * version) and back.
 */
import type { OsRelease } from '../model.js';

export interface Purl {
  readonly type: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly version: string | null;
  readonly qualifiers: ReadonlyMap<string, string>;
  readonly subpath: string | null;
}

/** Percent-encodes what the spec requires, keeping the characters versions commonly hold readable. */
function encode(text: string, keepSlash = false): string {
  const encoded = encodeURIComponent(text).replace(/%3A/g, ':');
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function formatPurl(purl: Omit<Purl, 'qualifiers' | 'subpath'> & { qualifiers?: Iterable<readonly [string, string | null | undefined]> }): string {
  let text = `pkg:${purl.type}/`;
  if (purl.namespace) text += `${purl.namespace.split('/').map((part) => encode(part)).join('/')}/`;
  text += encode(purl.name);
  if (purl.version) text += `@${encode(purl.version)}`;
  const qualifiers = [...(purl.qualifiers ?? [])].filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '');
  if (qualifiers.length > 0) text += `?${qualifiers.map(([key, value]) => `${key}=${encode(value)}`).join('&')}`;
  return text;
}

/** The parts of a purl, or null when the text is not one. Lenient about unencoded `:` and `+` (syft writes them). */
export function parsePurl(text: string): Purl | null {
  if (!text.startsWith('pkg:')) return null;
  let rest = text.slice(4).replace(/^\/+/, '');
  let subpath: string | null = null;
  const hash = rest.indexOf('#');
  if (hash !== -1) {
    subpath = decode(rest.slice(hash + 1));
    rest = rest.slice(0, hash);
  }
  const qualifiers = new Map<string, string>();
  const question = rest.indexOf('?');
  if (question !== -1) {
    for (const pair of rest.slice(question + 1).split('&')) {
      const equals = pair.indexOf('=');
      if (equals > 0) qualifiers.set(pair.slice(0, equals).toLowerCase(), decode(pair.slice(equals + 1)));
    }
    rest = rest.slice(0, question);
  }
  const slash = rest.indexOf('/');
  if (slash <= 0) return null;
  const type = rest.slice(0, slash).toLowerCase();
  rest = rest.slice(slash + 1);
  let version: string | null = null;
  const at = rest.lastIndexOf('@');
  if (at > 0) {
    version = decode(rest.slice(at + 1));
    rest = rest.slice(0, at);
  }
  const parts = rest.split('/').filter((part) => part !== '').map(decode);
  const name = parts.pop();
  if (!name) return null;
  return { type, namespace: parts.length > 0 ? parts.join('/') : null, name, version, qualifiers, subpath };
}

/** The `distro` qualifier: `debian-12`, `alpine-3.19.1`, `rhel-9.2`. */
export function distroQualifier(os: OsRelease | null): string | null {
  if (!os) return null;
  return os.versionId ? `${os.id}-${os.versionId}` : os.id;
}

/** The purl namespace of an rpm distribution's vendor. */
export function rpmNamespace(os: OsRelease | null): string {
  switch (os?.id) {
    case 'rhel':
    case 'centos':
      return 'redhat';
    case 'sles':
    case 'sled':
    case 'sles_sap':
    case 'sle-micro':
      return 'suse';
    case 'opensuse-leap':
    case 'opensuse-tumbleweed':
      return 'opensuse';
    default:
      return os?.id ?? 'redhat';
  }
}
