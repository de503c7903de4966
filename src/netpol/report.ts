/**
 * What `kubeharden netpol reach` reports: the allowed connections between the chosen endpoints, connections with
 * the named places outside the cluster, and the openings nobody decided on (cross-namespace traffic to pods no
 * ingress policy isolates, traffic from anywhere, egress to the internet or the metadata service).
 */
import { ConnectionSet } from './connections.js';
import type { Reachability } from './engine.js';
import { EXTERNAL_ENDPOINTS, INTERNET, METADATA, OUTSIDE } from './external.js';
import { endpointName, type Endpoint } from './model.js';
import type { EndpointTable } from './endpoint-table.js';

export interface ReachConnection {
  readonly from: string;
  readonly to: string;
  readonly connections: ConnectionSet;
}

export interface Opening {
  readonly from: string;
  readonly to: string;
  readonly connections: ConnectionSet;
  readonly reason: string;
}

export interface ReachReport {
  readonly endpoints: EndpointTable;
  /** Indexes into `endpoints` of the rows (sources) and columns (destinations) asked for. */
  readonly sources: readonly number[];
  readonly destinations: readonly number[];
  /** Allowed connections between chosen endpoints (loopback excluded), and with places outside the cluster. */
  readonly connections: readonly ReachConnection[];
  readonly openings: readonly Opening[];
}

export interface ReachFilter {
  readonly sources: readonly number[];
  readonly destinations: readonly number[];
  /** Keep only connections that include this port (and protocol). */
  readonly port?: { readonly protocol: 'TCP' | 'UDP' | 'SCTP'; readonly port: number } | undefined;
  /** Include the places outside the cluster as sources and destinations. */
  readonly external: boolean;
}

function keep(connections: ConnectionSet, filter: ReachFilter): ConnectionSet {
  if (!filter.port) return connections;
  return connections.intersect(ConnectionSet.port(filter.port.protocol, filter.port.port));
}

export function buildReachReport(reachability: Reachability, filter: ReachFilter): ReachReport {
  const { endpoints } = reachability;
  const connections: ReachConnection[] = [];
  const openings: Opening[] = [];
  const name = (index: number) => endpointName(endpoints.at(index) as Endpoint);
  for (const from of filter.sources) {
    for (const to of filter.destinations) {
      if (from === to) continue;
      const allowed = keep(reachability.connections(from, to), filter);
      if (allowed.isEmpty()) continue;
      connections.push({ from: name(from), to: name(to), connections: allowed });
      const source = endpoints.at(from) as Endpoint;
      const destination = endpoints.at(to) as Endpoint;
      if (source.namespace !== destination.namespace && reachability.isGoverned(to) && !reachability.isolated(to, 'Ingress')) {
        openings.push({ from: name(from), to: name(to), connections: allowed, reason: `no NetworkPolicy isolates ${name(to)} for Ingress, so any namespace may connect` });
      }
    }
  }
  if (filter.external) {
    for (const to of filter.destinations) {
      const fromOutside = keep(reachability.externalConnections(to, 'Ingress', OUTSIDE.ips), filter);
      if (!fromOutside.isEmpty()) {
        connections.push({ from: OUTSIDE.name, to: name(to), connections: fromOutside });
        if (fromOutside.isAll()) openings.push({ from: OUTSIDE.name, to: name(to), connections: fromOutside, reason: `every address may connect to ${name(to)} on every port` });
      }
    }
    for (const from of filter.sources) {
      for (const place of EXTERNAL_ENDPOINTS) {
        const allowed = keep(reachability.externalConnections(from, 'Egress', place.ips), filter);
        if (allowed.isEmpty()) continue;
        connections.push({ from: name(from), to: place.name, connections: allowed });
        if (place === METADATA) openings.push({ from: name(from), to: place.name, connections: allowed, reason: 'the metadata service hands out the node\'s cloud credentials' });
        if (place === INTERNET && allowed.isAll()) openings.push({ from: name(from), to: place.name, connections: allowed, reason: 'unrestricted egress to the internet' });
      }
    }
  }
  return { endpoints, sources: filter.sources, destinations: filter.destinations, connections, openings };
}

/** Short text for a matrix cell: `all`, `-`, or the connections. */
export function cellText(connections: ConnectionSet): string {
  if (connections.isEmpty()) return '-';
  if (connections.isAll()) return 'all';
  return connections.toString();
}

export function formatOpening(opening: Opening): string {
  return `${opening.from} can reach ${opening.to}: ${describeConnections(opening.connections)} (${opening.reason})`;
}

/** `TCP 5432`, `every port`. */
export function describeConnections(connections: ConnectionSet): string {
  return connections.isAll() ? 'every port' : connections.toString();
}
