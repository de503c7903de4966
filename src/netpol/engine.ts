/**
 * Reachability under networking.k8s.io/v1 NetworkPolicy. Traffic from A to B is allowed when A's egress allows it
 * (or no Egress policy selects A) and B's ingress allows it (or no Ingress policy selects B); a direction allows
 * what at least one rule of one selecting policy allows.
 *
 * The work is organised so that large inputs stay fast: selectors are answered through an index, a row of the
 * egress matrix is computed once per distinct set of selecting policies and copied for the other endpoints with
 * the same set, and ingress likewise; the matrix holds one interned connection-set id per pair.
 */
import type { Direction } from '../kube/network-policy.js';
import { ConnectionSet, ConnectionTable } from './connections.js';
import { IpSet, type IpFamily, type IpInterval } from './ip.js';
import type { EndpointTable } from './endpoint-table.js';
import type { NetworkModel } from './model.js';
import { hasNamedPorts, ruleConnections, type Peer, type Policy, type Rule } from './policy.js';
import { SelectorIndex } from './selector-index.js';

export interface ReachabilityOptions {
  /**
   * `outside-policy` (default): policies do not govern host-network pods, which use the node's address, so every
   * connection to and from them is allowed (implementation-defined upstream). `as-pods`: treat them like any pod,
   * as the netpol-analyzer does.
   */
  readonly hostNetwork?: 'outside-policy' | 'as-pods';
  /**
   * Whether ipBlock peers also match pods whose IP the input gives (default true, as the upstream e2e tests and
   * most CNIs behave). Without pod IPs (manifests) ipBlocks only ever match addresses outside the cluster.
   */
  readonly ipBlockMatchesPods?: boolean;
}

/** Connections allowed between an endpoint and one set of addresses outside the cluster. */
export interface ExternalPiece {
  readonly ips: IpSet;
  readonly connections: ConnectionSet;
}

const ALL = ConnectionTable.ALL;
const NO_POLICIES: readonly number[] = Object.freeze([]);
const NONE = ConnectionTable.NONE;

/** How many computed ingress rows are kept for endpoints with the same policies (a bounded cache). */
const INGRESS_ROW_CACHE = 256;

export class Reachability {
  readonly endpoints: EndpointTable;
  readonly policies: readonly Policy[];
  readonly table = new ConnectionTable();
  readonly index: SelectorIndex;
  private readonly size: number;
  /** matrix[from * size + to]: id of the allowed connection set; computed when first asked for. */
  private computed: Uint16Array | undefined;
  /**
   * Per endpoint group (see endpoint-table.ts: the endpoints of a group are selected alike and have the same
   * ports), the selecting policies; groups no policy selects share one empty list.
   */
  private readonly selecting: Record<Direction, (readonly number[])[]>;
  /** Per group, 1 when policy governs its endpoints. */
  private readonly governed: Uint8Array;
  /** Per group, its ports as one text (for caches keyed by named ports). */
  private readonly portSignatures: string[];
  private readonly rulePeerCache = new Map<string, readonly number[] | 'all'>();
  private readonly ruleConnectionCache = new Map<string, number>();
  private readonly externalCache = new Map<string, ExternalPiece[]>();
  private readonly ipBlockMatchesPods: boolean;

  constructor(
    readonly model: NetworkModel,
    options: ReachabilityOptions = {},
  ) {
    this.endpoints = model.endpoints;
    this.policies = model.policies;
    this.size = this.endpoints.length;
    this.ipBlockMatchesPods = options.ipBlockMatchesPods ?? true;
    const hostNetworkOutside = (options.hostNetwork ?? 'outside-policy') === 'outside-policy';
    const groups = this.endpoints.groups;
    this.governed = Uint8Array.from(groups, (group) => (hostNetworkOutside && group.hostNetwork ? 0 : 1));
    this.portSignatures = groups.map((group) => group.ports.map((port) => `${port.name}/${port.protocol}/${port.port}`).sort().join(','));
    this.index = new SelectorIndex(groups, model.namespaces);
    this.selecting = { Ingress: new Array<readonly number[]>(groups.length).fill(NO_POLICIES), Egress: new Array<readonly number[]>(groups.length).fill(NO_POLICIES) };
    this.policies.forEach((policy, policyIndex) => {
      for (const target of this.index.groupsIn(policy.namespace, policy.podSelector)) {
        if (!this.governed[target]) continue;
        for (const direction of policy.types) {
          const list = this.selecting[direction];
          const known = list[target] as readonly number[];
          if (known === NO_POLICIES) list[target] = [policyIndex];
          else (known as number[]).push(policyIndex);
        }
      }
    });
  }

  /**
   * The pair matrix, built on first use: questions about isolation, rules and addresses outside the cluster
   * (the controls) never need it, and it takes two bytes per pair.
   */
  private get matrix(): Uint16Array {
    if (!this.computed) {
      this.computed = new Uint16Array(this.size * this.size);
      this.computeEgress(this.computed);
      this.computeIngress(this.computed);
      this.openUngoverned(this.computed);
    }
    return this.computed;
  }

  /** The policies (indexes into `policies`) that select an endpoint for a direction; empty: not isolated. */
  selectingPolicies(endpoint: number, direction: Direction): readonly number[] {
    return this.selecting[direction][this.endpoints.groupOf(endpoint)] ?? [];
  }

  isGoverned(endpoint: number): boolean {
    return this.governed[this.endpoints.groupOf(endpoint)] === 1;
  }

  isolated(endpoint: number, direction: Direction): boolean {
    return this.selectingPolicies(endpoint, direction).length > 0;
  }

  connectionId(from: number, to: number): number {
    return this.matrix[from * this.size + to] ?? NONE;
  }

  /** What `from` may open towards `to` (both sides agreeing). */
  connections(from: number, to: number): ConnectionSet {
    return this.table.set(this.connectionId(from, to));
  }

  /** Endpoint pairs (loopback excluded) with at least one allowed connection. */
  countOpenPairs(): number {
    const matrix = this.matrix;
    let open = 0;
    for (let from = 0; from < this.size; from++) {
      const row = from * this.size;
      for (let to = 0; to < this.size; to++) if (to !== from && matrix[row + to] !== NONE) open++;
    }
    return open;
  }

  /** The endpoints a rule's peers pick (`all`: the rule names no peers, so everything, outside included). */
  rulePeers(policyIndex: number, direction: Direction, rule: Rule): readonly number[] | 'all' {
    const key = `${policyIndex}/${direction}/${rule.index}`;
    let peers = this.rulePeerCache.get(key);
    if (peers === undefined) {
      const policy = this.policies[policyIndex] as Policy;
      if (rule.peers === null) peers = 'all';
      else {
        const found = new Set<number>();
        for (const peer of rule.peers) for (const endpoint of this.peerEndpoints(policy, peer)) found.add(endpoint);
        peers = [...found].sort((a, b) => a - b);
      }
      this.rulePeerCache.set(key, peers);
    }
    return peers;
  }

  /** Endpoints one peer of a policy matches. */
  peerEndpoints(policy: Policy, peer: Peer): readonly number[] {
    if (peer.kind === 'pods') return this.index.peerPods(policy.namespace, peer.namespaceSelector, peer.podSelector);
    if (!this.ipBlockMatchesPods) return [];
    const matched: number[] = [];
    for (let index = 0; index < this.size; index++) {
      if (this.endpoints.ipsOf(index).some((ip) => peer.ips.contains(ip.family, ip.value))) matched.push(index);
    }
    return matched;
  }

  /** The connection-set id a rule allows towards a destination endpoint (undefined: outside the cluster). */
  ruleConnectionId(policyIndex: number, direction: Direction, rule: Rule, destination: number | undefined): number {
    const named = hasNamedPorts(rule);
    const key = `${policyIndex}/${direction}/${rule.index}/${named ? (destination === undefined ? '-' : this.portSignature(destination)) : ''}`;
    let id = this.ruleConnectionCache.get(key);
    if (id === undefined) {
      id = this.table.id(ruleConnections(rule.ports, destination === undefined || destination < 0 || destination >= this.size ? undefined : this.endpoints.portsOf(destination)));
      this.ruleConnectionCache.set(key, id);
    }
    return id;
  }

  private portSignature(endpoint: number): string | undefined {
    return this.portSignatures[this.endpoints.groupOf(endpoint)];
  }

  private rules(policyIndex: number, direction: Direction): readonly Rule[] {
    const policy = this.policies[policyIndex] as Policy;
    return direction === 'Ingress' ? policy.ingress : policy.egress;
  }

  private computeEgress(matrix: Uint16Array): void {
    const n = this.size;
    const firstWithKey = new Map<string, number>();
    for (let from = 0; from < n; from++) {
      const offset = from * n;
      const policies = this.selectingPolicies(from, 'Egress');
      if (policies.length === 0) {
        matrix.fill(ALL, offset, offset + n);
        continue;
      }
      const key = policies.join(',');
      const same = firstWithKey.get(key);
      if (same !== undefined) {
        matrix.copyWithin(offset, same * n, same * n + n);
        continue;
      }
      firstWithKey.set(key, from);
      const row = matrix.subarray(offset, offset + n);
      row.fill(NONE);
      for (const policyIndex of policies) {
        for (const rule of this.rules(policyIndex, 'Egress')) this.addRule(row, policyIndex, 'Egress', rule, undefined);
      }
    }
  }

  private computeIngress(matrix: Uint16Array): void {
    const n = this.size;
    const rows = new Map<string, Uint16Array>();
    for (let to = 0; to < n; to++) {
      const policies = this.selectingPolicies(to, 'Ingress');
      if (policies.length === 0) continue;
      const named = policies.some((policyIndex) => this.rules(policyIndex, 'Ingress').some(hasNamedPorts));
      const key = `${policies.join(',')}|${named ? this.portSignature(to) : ''}`;
      let row = rows.get(key);
      if (!row) {
        row = new Uint16Array(n);
        for (const policyIndex of policies) {
          for (const rule of this.rules(policyIndex, 'Ingress')) this.addRule(row, policyIndex, 'Ingress', rule, to);
        }
        if (rows.size >= INGRESS_ROW_CACHE) rows.delete(rows.keys().next().value as string);
        rows.set(key, row);
      }
      for (let from = 0; from < n; from++) {
        const cell = from * n + to;
        matrix[cell] = this.table.intersect(matrix[cell] as number, row[from] as number);
      }
    }
  }

  /**
   * Adds what one rule allows into a row: for egress the row is indexed by destination (named ports resolve on
   * each destination), for ingress by source (named ports resolve on the selected pod, `ingressTarget`).
   */
  private addRule(row: Uint16Array, policyIndex: number, direction: Direction, rule: Rule, ingressTarget: number | undefined): void {
    const peers = this.rulePeers(policyIndex, direction, rule);
    const fixed = direction === 'Ingress' || !hasNamedPorts(rule);
    const fixedId = fixed ? this.ruleConnectionId(policyIndex, direction, rule, direction === 'Ingress' ? ingressTarget : 0) : NONE;
    const add = (peer: number) => {
      const id = fixed ? fixedId : this.ruleConnectionId(policyIndex, direction, rule, peer);
      row[peer] = this.table.union(row[peer] as number, id);
    };
    if (peers === 'all') for (let peer = 0; peer < this.size; peer++) add(peer);
    else for (const peer of peers) add(peer);
  }

  /** Host-network endpoints are outside policy: everything to and from them is allowed. */
  private openUngoverned(matrix: Uint16Array): void {
    const n = this.size;
    for (let endpoint = 0; endpoint < n; endpoint++) {
      if (this.isGoverned(endpoint)) continue;
      matrix.fill(ALL, endpoint * n, endpoint * n + n);
      for (let other = 0; other < n; other++) matrix[other * n + endpoint] = ALL;
    }
  }

  /** What an endpoint may send to addresses outside the cluster, as disjoint address sets with their connections. */
  egressToExternal(from: number): readonly ExternalPiece[] {
    return this.external(from, 'Egress');
  }

  /** What addresses outside the cluster may send to an endpoint. */
  ingressFromExternal(to: number): readonly ExternalPiece[] {
    return this.external(to, 'Ingress');
  }

  /** The connections allowed with every address of `ips` (what is common to all of them). */
  externalConnections(endpoint: number, direction: Direction, ips: IpSet): ConnectionSet {
    let common = ConnectionSet.all;
    let covered = IpSet.empty;
    for (const piece of this.external(endpoint, direction)) {
      if (piece.ips.intersect(ips).isEmpty()) continue;
      common = common.intersect(piece.connections);
      covered = covered.union(piece.ips);
    }
    return covered.covers(ips) ? common : ConnectionSet.none;
  }

  private external(endpoint: number, direction: Direction): readonly ExternalPiece[] {
    const policies = this.isGoverned(endpoint) ? this.selectingPolicies(endpoint, direction) : [];
    if (policies.length === 0) return [{ ips: IpSet.everything, connections: ConnectionSet.all }];
    // Named ports of an ingress rule resolve on the selected pod, so pods with other ports get their own answer.
    const key = `${direction}|${policies.join(',')}|${direction === 'Ingress' ? this.portSignature(endpoint) : ''}`;
    let pieces = this.externalCache.get(key);
    if (!pieces) {
      const contributions: { ips: IpSet; id: number }[] = [];
      for (const policyIndex of policies) {
        for (const rule of this.rules(policyIndex, direction)) {
          // Towards an address a named port matches nothing; from one, the ports are the selected pod's.
          const id = this.ruleConnectionId(policyIndex, direction, rule, direction === 'Ingress' ? endpoint : undefined);
          if (id === NONE) continue;
          if (rule.peers === null) contributions.push({ ips: IpSet.everything, id });
          else for (const peer of rule.peers) if (peer.kind === 'ipBlock') contributions.push({ ips: peer.ips, id });
        }
      }
      pieces = this.piecewise(contributions);
      this.externalCache.set(key, pieces);
    }
    return pieces;
  }

  /** Splits address space where contributions start and end, and unions the connections over each part. */
  private piecewise(contributions: readonly { ips: IpSet; id: number }[]): ExternalPiece[] {
    const byConnection = new Map<number, IpSet>();
    for (const family of [4, 6] as const) {
      const bounds = new Set<bigint>();
      for (const { ips } of contributions) {
        for (const [from, to] of ips.intervals(family)) {
          bounds.add(from);
          bounds.add(to + 1n);
        }
      }
      const points = [...bounds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (let i = 0; i + 1 < points.length; i++) {
        const start = points[i] as bigint;
        let id = NONE;
        for (const contribution of contributions) if (contribution.ips.contains(family, start)) id = this.table.union(id, contribution.id);
        if (id === NONE) continue;
        const part = IpSet.of(family, [[start, (points[i + 1] as bigint) - 1n] as IpInterval]);
        byConnection.set(id, (byConnection.get(id) ?? IpSet.empty).union(part));
      }
    }
    return [...byConnection].map(([id, ips]) => ({ ips, connections: this.table.set(id) }));
  }
}

export type { IpFamily };
