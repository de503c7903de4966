/**
 * Which proxy a request to the API server goes through, decided as kubectl decides it: the cluster's `proxy-url`
 * when the kubeconfig sets one, else Go's net/http rules (golang.org/x/net/http/httpproxy) over HTTPS_PROXY,
 * HTTP_PROXY and NO_PROXY (upper case first, then lower case). Loopback hosts are never proxied, as in Go.
 */
import { isIP } from 'node:net';

type Matcher = (host: string, port: string, ip: boolean) => boolean;

/** The proxy for `target`, or undefined to connect directly. */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv): URL | undefined {
  const setting = target.protocol === 'https:' ? envAny(env, 'HTTPS_PROXY', 'https_proxy') : target.protocol === 'http:' ? envAny(env, 'HTTP_PROXY', 'http_proxy') : undefined;
  if (!setting) return undefined;
  const proxy = parseProxyUrl(setting);
  if (!proxy) return undefined;
  const host = hostOf(target);
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  return useProxy(host, port, envAny(env, 'NO_PROXY', 'no_proxy') ?? '') ? proxy : undefined;
}

/** A proxy setting as Go reads it: `host:port` without a scheme means `http://host:port`. */
export function parseProxyUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    if (url.host !== '' && /^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return url;
  } catch {
    // fall through: try it as host:port
  }
  try {
    return new URL(`http://${text}`);
  } catch {
    return undefined;
  }
}

/** Go's httpproxy useProxy: false for loopback, `*`, and hosts NO_PROXY names by domain, IP, CIDR, with or without port. */
export function useProxy(host: string, port: string, noProxy: string): boolean {
  const name = host.toLowerCase().trim();
  if (name === 'localhost') return false;
  const ip = isIP(name) !== 0;
  if (ip && isLoopback(name)) return false;
  for (const matcher of noProxyMatchers(noProxy)) if (matcher(name, port, ip)) return false;
  return true;
}

function noProxyMatchers(noProxy: string): Matcher[] {
  const matchers: Matcher[] = [];
  for (const raw of noProxy.split(',')) {
    const entry = raw.toLowerCase().trim();
    if (entry === '') continue;
    if (entry === '*') return [() => true];
    const cidr = parseCidr(entry);
    if (cidr) {
      matchers.push((host, _port, ip) => ip && cidr(host));
      continue;
    }
    let [entryHost, entryPort] = splitHostPort(entry) ?? [entry, ''];
    if (entryHost.startsWith('[') && entryHost.endsWith(']')) entryHost = entryHost.slice(1, -1);
    if (entryHost === '') continue;
    if (isIP(entryHost) !== 0) {
      const wanted = normalizeIp(entryHost);
      matchers.push((host, port, ip) => ip && normalizeIp(host) === wanted && (entryPort === '' || entryPort === port));
      continue;
    }
    // foo.com matches foo.com and bar.foo.com; .foo.com and *.foo.com only the subdomains.
    if (entryHost.startsWith('*.')) entryHost = entryHost.slice(1);
    const matchHost = !entryHost.startsWith('.');
    const suffix = matchHost ? `.${entryHost}` : entryHost;
    matchers.push((host, port) => (host.endsWith(suffix) || (matchHost && host === suffix.slice(1))) && (entryPort === '' || entryPort === port));
  }
  return matchers;
}

/** `host:port` or `[v6]:port`; undefined when there is no port (a bare host or IPv6 address). */
function splitHostPort(text: string): [string, string] | undefined {
  const match = /^(\[[^\]]*\]|[^:]*):(\d+)$/.exec(text);
  return match ? [match[1] ?? '', match[2] ?? ''] : undefined;
}

function parseCidr(text: string): ((ip: string) => boolean) | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const network = text.slice(0, slash);
  const bits = Number(text.slice(slash + 1));
  const family = isIP(network);
  const width = family === 4 ? 32 : 128;
  if (family === 0 || !/^\d+$/.test(text.slice(slash + 1)) || bits > width) return undefined;
  const base = ipToBigInt(network);
  const mask = bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << BigInt(width - bits);
  return (ip) => isIP(ip) === family && (ipToBigInt(ip) & mask) === (base & mask);
}

function isLoopback(ip: string): boolean {
  if (isIP(ip) === 4) return ip.startsWith('127.');
  const value = ipToBigInt(ip);
  // ::1, or an IPv4-mapped 127.x.x.x
  return value === 1n || (value >> 24n) === 0xffff7fn;
}

function normalizeIp(ip: string): string {
  return ipToBigInt(ip).toString(16) + (isIP(ip) === 4 ? '/4' : '/6');
}

/** An IPv4 or IPv6 address as a number. */
export function ipToBigInt(ip: string): bigint {
  if (isIP(ip) === 4) return ip.split('.').reduce((value, part) => (value << 8n) + BigInt(Number(part)), 0n);
  let text = ip;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const value = ipToBigInt(v4[1]);
    text = `${text.slice(0, -v4[1].length)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === undefined || tail === '' ? [] : tail.split(':');
  const parts = tail === undefined ? headParts : [...headParts, ...Array<string>(8 - headParts.length - tailParts.length).fill('0'), ...tailParts];
  return parts.reduce((value, part) => (value << 16n) + BigInt(parseInt(part, 16)), 0n);
}

/** The host of a URL without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

function envAny(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value) return value;
  }
  return undefined;
}
