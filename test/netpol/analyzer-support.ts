/**
 * Reading np-guard netpol-analyzer cases and golden connectivity lists, and putting both sides in one canonical
 * form: workload pairs with their connection sets, and per workload and direction the IPv4 address ranges outside
 * the cluster with theirs (adjacent ranges with equal connections merged, so the analyzer's partition of the
 * address space and ours compare equal when they mean the same).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectionSet } from '../../src/netpol/connections.js';
import { Reachability } from '../../src/netpol/engine.js';
import { formatIp, parseIp, type IpInterval } from '../../src/netpol/ip.js';
import { endpointName, NetworkModelBuilder, type NetworkModel } from '../../src/netpol/model.js';
import { loadResources, type InputError } from '../../src/loader/source.js';

export function manifestFiles(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory).sort()) {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) files.push(...manifestFiles(path));
    // The analyzer's own example outputs sit beside some inputs; they are not manifests.
    else if (/\.(ya?ml|json)$/i.test(entry) && !/connlist_output|connections_map/.test(entry)) files.push(path);
  }
  return files;
}

export function kindsIn(directory: string): Set<string> {
  const kinds = new Set<string>();
  for (const file of manifestFiles(directory)) {
    for (const resource of loadResources(file, readFileSync(file), [], file.endsWith('.json'))) kinds.add(String(resource.object.kind));
  }
  return kinds;
}

export function loadCase(directory: string): { model: NetworkModel; errors: InputError[] } {
  const errors: InputError[] = [];
  const builder = new NetworkModelBuilder();
  for (const file of manifestFiles(directory)) {
    for (const resource of loadResources(file, readFileSync(file), errors, file.endsWith('.json'))) builder.add(resource.object, file);
  }
  for (const problem of builder.problems) errors.push({ file: problem.file, line: null, column: null, message: problem.message });
  return { model: builder.build(), errors };
}

export interface Connectivity {
  /** `src => dst : conns` for workload pairs. */
  readonly internal: string[];
  /** `workload egress|ingress a.b.c.d-e.f.g.h : conns`, IPv4 only, merged. */
  readonly external: string[];
}

interface Range {
  readonly from: bigint;
  readonly to: bigint;
  readonly connections: ConnectionSet;
}

function canonicalRanges(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].filter((range) => !range.connections.isEmpty()).sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const merged: Range[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.to + 1n === range.from && last.connections.equals(range.connections)) merged[merged.length - 1] = { ...last, to: range.to };
    else merged.push(range);
  }
  return merged;
}

function externalLines(byKey: Map<string, Range[]>): string[] {
  const lines: string[] = [];
  for (const [key, ranges] of byKey) {
    for (const range of canonicalRanges(ranges)) lines.push(`${key} ${formatIp(4, range.from)}-${formatIp(4, range.to)} : ${range.connections.key()}`);
  }
  return lines.sort();
}

/** The analyzer's golden list, read into the canonical form. */
export function parseGolden(text: string): Connectivity {
  const internal: string[] = [];
  const external = new Map<string, Range[]>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const match = /^(\S+) => (\S+) : (.*)$/.exec(line.trim());
    if (!match) throw new Error(`unexpected golden line "${line}"`);
    const [, src, dst, conns] = match as unknown as [string, string, string, string];
    const connections = ConnectionSet.parse(conns);
    const srcRange = ipRange(src);
    const dstRange = ipRange(dst);
    if (srcRange) addRange(external, `${dst} ingress`, srcRange, connections);
    else if (dstRange) addRange(external, `${src} egress`, dstRange, connections);
    else if (!connections.isEmpty()) internal.push(`${src} => ${dst} : ${connections.key()}`);
  }
  return { internal: internal.sort(), external: externalLines(external) };
}

function addRange(byKey: Map<string, Range[]>, key: string, [from, to]: IpInterval, connections: ConnectionSet): void {
  const list = byKey.get(key) ?? [];
  list.push({ from, to, connections });
  byKey.set(key, list);
}

function ipRange(name: string): IpInterval | undefined {
  const match = /^([0-9.]+)-([0-9.]+)(\[External\])?$/.exec(name);
  if (!match) return undefined;
  const from = parseIp(match[1] as string);
  const to = parseIp(match[2] as string);
  return from && to ? [from.value, to.value] : undefined;
}

/** Our engine's answer in the same canonical form. */
export function computeConnectivity(reachability: Reachability): Connectivity {
  const internal: string[] = [];
  const external = new Map<string, Range[]>();
  const names = reachability.endpoints.map((endpoint) => endpointName(endpoint, true));
  reachability.endpoints.forEach((_, from) => {
    reachability.endpoints.forEach((__, to) => {
      if (from === to) return;
      const connections = reachability.connections(from, to);
      if (!connections.isEmpty()) internal.push(`${names[from]} => ${names[to]} : ${connections.key()}`);
    });
    for (const piece of reachability.egressToExternal(from)) {
      for (const interval of piece.ips.v4) addRange(external, `${names[from]} egress`, interval, piece.connections);
    }
    for (const piece of reachability.ingressFromExternal(from)) {
      for (const interval of piece.ips.v4) addRange(external, `${names[from]} ingress`, interval, piece.connections);
    }
  });
  return { internal: internal.sort(), external: externalLines(external) };
}
