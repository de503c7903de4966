/**
 * `kubeharden netpol diff`: what a change to manifests does to connectivity. Both sides are computed by the same
 * engine, then compared per workload pair (by `namespace/name[Kind]`, so a workload present on one side only has
 * no connections on the other) and, per workload and direction, per IPv4 address range outside the cluster (the
 * address space cut at every boundary either side has, adjacent ranges with the same before and after merged).
 * Rows are np-guard netpol-analyzer's: added (nothing before), removed (nothing after), changed.
 */
import { ConnectionSet } from './connections.js';
import type { Reachability, ExternalPiece } from './engine.js';
import { formatIp } from './ip.js';
import { endpointName } from './model.js';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface ConnectivityChange {
  readonly kind: ChangeKind;
  /** `namespace/name[Kind]`, or an IPv4 range `a.b.c.d-e.f.g.h` outside the cluster. */
  readonly source: string;
  readonly destination: string;
  readonly before: ConnectionSet;
  readonly after: ConnectionSet;
  /** When the workload itself is new or gone: `workload ns/name[Kind] added`. */
  readonly workloads?: string;
}

interface Side {
  readonly reachability: Reachability;
  readonly index: ReadonlyMap<string, number>;
}

function side(reachability: Reachability): Side {
  return { reachability, index: new Map(reachability.endpoints.map((endpoint, at) => [endpointName(endpoint, true), at])) };
}

export function diffConnectivity(beforeReach: Reachability, afterReach: Reachability): ConnectivityChange[] {
  const before = side(beforeReach);
  const after = side(afterReach);
  const names = [...new Set([...before.index.keys(), ...after.index.keys()])].sort();
  const changes: ConnectivityChange[] = [];
  const workloadNote = (name: string) => (!before.index.has(name) ? `workload ${name} added` : !after.index.has(name) ? `workload ${name} removed` : undefined);
  const between = (at: Side, from: string, to: string) => {
    const a = at.index.get(from);
    const b = at.index.get(to);
    return a === undefined || b === undefined ? ConnectionSet.none : at.reachability.connections(a, b);
  };
  for (const from of names) {
    for (const to of names) {
      if (from === to) continue;
      push(changes, from, to, between(before, from, to), between(after, from, to), workloadNote(from) ?? workloadNote(to));
    }
  }
  for (const name of names) {
    const pieces = (at: Side, direction: 'egress' | 'ingress'): readonly ExternalPiece[] => {
      const index = at.index.get(name);
      if (index === undefined) return [];
      return direction === 'egress' ? at.reachability.egressToExternal(index) : at.reachability.ingressFromExternal(index);
    };
    for (const direction of ['egress', 'ingress'] as const) {
      for (const range of rangeChanges(pieces(before, direction), pieces(after, direction))) {
        const ips = `${formatIp(4, range.from)}-${formatIp(4, range.to)}`;
        const [source, destination] = direction === 'egress' ? [name, ips] : [ips, name];
        push(changes, source, destination, range.before, range.after, workloadNote(name));
      }
    }
  }
  return changes;
}

function push(changes: ConnectivityChange[], source: string, destination: string, before: ConnectionSet, after: ConnectionSet, workloads: string | undefined): void {
  if (before.equals(after)) return;
  const kind: ChangeKind = before.isEmpty() ? 'added' : after.isEmpty() ? 'removed' : 'changed';
  changes.push({ kind, source, destination, before, after, ...(workloads !== undefined && kind !== 'changed' ? { workloads } : {}) });
}

interface RangeChange {
  readonly from: bigint;
  readonly to: bigint;
  readonly before: ConnectionSet;
  readonly after: ConnectionSet;
}

/** The IPv4 space cut at every boundary of either side, runs with the same (before, after) merged, unchanged left out. */
function rangeChanges(before: readonly ExternalPiece[], after: readonly ExternalPiece[]): RangeChange[] {
  const cuts = new Set<bigint>([0n, 1n << 32n]);
  for (const piece of [...before, ...after]) {
    for (const [from, to] of piece.ips.v4) {
      cuts.add(from);
      cuts.add(to + 1n);
    }
  }
  const points = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const at = (pieces: readonly ExternalPiece[], address: bigint) => {
    let connections = ConnectionSet.none;
    for (const piece of pieces) if (piece.ips.v4.some(([from, to]) => from <= address && address <= to)) connections = connections.union(piece.connections);
    return connections;
  };
  const runs: RangeChange[] = [];
  for (let index = 0; index + 1 < points.length; index++) {
    const from = points[index] as bigint;
    const to = (points[index + 1] as bigint) - 1n;
    const was = at(before, from);
    const is = at(after, from);
    const last = runs[runs.length - 1];
    if (last && last.to + 1n === from && last.before.equals(was) && last.after.equals(is)) runs[runs.length - 1] = { ...last, to };
    else runs.push({ from, to, before: was, after: is });
  }
  return runs.filter((run) => !run.before.equals(run.after));
}
