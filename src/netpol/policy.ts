/**
 * networking.k8s.io/v1 NetworkPolicy, read from an untyped object with the API server's defaulting and
 * validation: policyTypes defaults, protocol TCP by default, empty versus missing lists, peers that must have
 * exactly one shape, ipBlock except entries inside the cidr, endPort only with a numeric port.
 */
import { effectivePolicyTypes, type Direction } from '../kube/network-policy.js';
import { array, isRecord, numberOf, record, str, stringOf, type Json } from '../util/object.js';
import { ConnectionSet, isProtocol, type Protocol } from './connections.js';
import { IpSet } from './ip.js';

/** A label selector as written; `null` where the field is absent. */
export type Selector = Json;

export type Peer =
  | {
      readonly kind: 'pods';
      /** null: the policy's own namespace. */
      readonly namespaceSelector: Selector | null;
      /** null: every pod of the selected namespaces. */
      readonly podSelector: Selector | null;
    }
  | { readonly kind: 'ipBlock'; readonly cidr: string; readonly except: readonly string[]; readonly ips: IpSet };

export interface PortSpec {
  readonly protocol: Protocol;
  /** undefined: every port of the protocol; a string is a named port, resolved on the destination pod. */
  readonly port: number | string | undefined;
  readonly endPort: number | undefined;
}

export interface Rule {
  /** Position in `spec.ingress` or `spec.egress`. */
  readonly index: number;
  /** null: `from`/`to` empty or absent, every peer, outside the cluster included. */
  readonly peers: readonly Peer[] | null;
  /** null: `ports` empty or absent, every port of every protocol. */
  readonly ports: readonly PortSpec[] | null;
}

export interface Policy {
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: Selector;
  readonly types: ReadonlySet<Direction>;
  readonly ingress: readonly Rule[];
  readonly egress: readonly Rule[];
}

export function describePolicy(policy: Policy): string {
  return `${policy.namespace}/${policy.name}`;
}

export type ParsedPolicy = { readonly ok: true; readonly policy: Policy } | { readonly ok: false; readonly message: string };

const SELECTOR_OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** Parses a NetworkPolicy; a policy the API server would reject comes back with the reason. */
export function parsePolicy(object: Json, defaultNamespace = 'default'): ParsedPolicy {
  const metadata = record(object.metadata) ?? {};
  const namespace = str(metadata.namespace) || defaultNamespace;
  const name = str(metadata.name) ?? '(unnamed)';
  const spec = record(object.spec) ?? {};
  try {
    // A missing podSelector decodes as the empty selector: every pod of the namespace.
    const podSelector = selector(spec.podSelector ?? {}, 'spec.podSelector');
    for (const type of array(spec.policyTypes)) {
      if (type !== 'Ingress' && type !== 'Egress') throw new Error(`spec.policyTypes: unsupported value "${stringOf(type)}"`);
    }
    const ingress = array(spec.ingress).map((rule, index) => parseRule(rule, index, 'from', `spec.ingress[${index}]`));
    const egress = array(spec.egress).map((rule, index) => parseRule(rule, index, 'to', `spec.egress[${index}]`));
    return { ok: true, policy: { namespace, name, podSelector, types: effectivePolicyTypes(spec), ingress, egress } };
  } catch (error) {
    return { ok: false, message: `NetworkPolicy ${namespace}/${name} is invalid: ${(error as Error).message}` };
  }
}

function parseRule(value: unknown, index: number, peersField: 'from' | 'to', path: string): Rule {
  if (value !== null && value !== undefined && !isRecord(value)) throw new Error(`${path}: must be a mapping`);
  const rule = record(value) ?? {};
  const peerList = array(rule[peersField]);
  const portList = array(rule.ports);
  return {
    index,
    peers: peerList.length === 0 ? null : peerList.map((peer, i) => parsePeer(peer, `${path}.${peersField}[${i}]`)),
    ports: portList.length === 0 ? null : portList.map((port, i) => parsePort(port, `${path}.ports[${i}]`)),
  };
}

function parsePeer(value: unknown, path: string): Peer {
  const peer = record(value) ?? {};
  const hasPods = isRecord(peer.podSelector);
  const hasNamespaces = isRecord(peer.namespaceSelector);
  const block = record(peer.ipBlock);
  if (block) {
    if (hasPods || hasNamespaces) throw new Error(`${path}: ipBlock cannot be combined with a selector`);
    const cidr = str(block.cidr) ?? '';
    const whole = IpSet.parse(cidr);
    if (!whole || !cidr.includes('/')) throw new Error(`${path}.ipBlock.cidr: "${cidr}" is not a CIDR`);
    let ips = whole;
    const except = array(block.except).map(stringOf);
    for (const entry of except) {
      const excluded = IpSet.parse(entry);
      if (!excluded || !entry.includes('/')) throw new Error(`${path}.ipBlock.except: "${entry}" is not a CIDR`);
      if (!whole.covers(excluded) || excluded.equals(whole)) throw new Error(`${path}.ipBlock.except: "${entry}" must be strictly within ${cidr}`);
      ips = ips.subtract(excluded);
    }
    return { kind: 'ipBlock', cidr, except, ips };
  }
  if (!hasPods && !hasNamespaces) throw new Error(`${path}: a peer needs podSelector, namespaceSelector or ipBlock`);
  return {
    kind: 'pods',
    namespaceSelector: hasNamespaces ? selector(peer.namespaceSelector, `${path}.namespaceSelector`) : null,
    podSelector: hasPods ? selector(peer.podSelector, `${path}.podSelector`) : null,
  };
}

function parsePort(value: unknown, path: string): PortSpec {
  const spec = record(value) ?? {};
  const protocol = spec.protocol ?? 'TCP';
  if (!isProtocol(protocol)) throw new Error(`${path}.protocol: unsupported value "${stringOf(protocol)}"`);
  const port = spec.port;
  let parsedPort: number | string | undefined;
  if (port === undefined || port === null) parsedPort = undefined;
  else if (typeof port === 'number') parsedPort = port;
  // A quoted number is not a valid port name (names need a letter); read it as the number it says.
  else if (typeof port === 'string') parsedPort = /^\d+$/.test(port) ? Number(port) : port;
  else throw new Error(`${path}.port: must be a number or a port name`);
  if (typeof parsedPort === 'number' && (!Number.isInteger(parsedPort) || parsedPort < 1 || parsedPort > 65535)) {
    throw new Error(`${path}.port: ${parsedPort} is not between 1 and 65535`);
  }
  let endPort: number | undefined;
  if (spec.endPort !== undefined && spec.endPort !== null) {
    endPort = numberOf(spec.endPort);
    if (typeof parsedPort !== 'number') throw new Error(`${path}.endPort: requires a numeric port`);
    if (!Number.isInteger(endPort) || endPort < parsedPort || endPort > 65535) {
      throw new Error(`${path}.endPort: must be between port (${parsedPort}) and 65535`);
    }
  }
  return { protocol, port: parsedPort, endPort };
}

function selector(value: unknown, path: string): Selector {
  if (!isRecord(value)) throw new Error(`${path}: must be a label selector`);
  for (const requirement of array(value.matchExpressions)) {
    const operator = record(requirement)?.operator;
    if (!SELECTOR_OPERATORS.has(stringOf(operator))) throw new Error(`${path}.matchExpressions: unknown operator "${stringOf(operator)}"`);
    const values = array(record(requirement)?.values);
    if ((operator === 'In' || operator === 'NotIn') && values.length === 0) throw new Error(`${path}.matchExpressions: ${stringOf(operator)} needs values`);
    if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) throw new Error(`${path}.matchExpressions: ${stringOf(operator)} takes no values`);
  }
  return value;
}

/** A container port of the destination pod, for resolving named ports. */
export interface NamedPort {
  readonly name: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/**
 * The connections one rule's ports allow towards a destination: a named port is looked up among the
 * destination pod's container ports of the same protocol; towards an address outside the cluster
 * (`destinationPorts` undefined) a named port matches nothing.
 */
export function ruleConnections(ports: readonly PortSpec[] | null, destinationPorts: readonly NamedPort[] | undefined): ConnectionSet {
  if (ports === null) return ConnectionSet.all;
  let set = ConnectionSet.none;
  for (const spec of ports) set = set.union(portConnections(spec, destinationPorts));
  return set;
}

export function portConnections(spec: PortSpec, destinationPorts: readonly NamedPort[] | undefined): ConnectionSet {
  if (spec.port === undefined) return ConnectionSet.allOf(spec.protocol);
  if (typeof spec.port === 'number') return ConnectionSet.port(spec.protocol, spec.port, spec.endPort ?? spec.port);
  let set = ConnectionSet.none;
  for (const named of destinationPorts ?? []) {
    if (named.name === spec.port && named.protocol === spec.protocol) set = set.union(ConnectionSet.port(named.protocol, named.port));
  }
  return set;
}

export function hasNamedPorts(rule: Rule): boolean {
  return rule.ports?.some((spec) => typeof spec.port === 'string') ?? false;
}

export function describePort(spec: PortSpec): string {
  if (spec.port === undefined) return `${spec.protocol} (every port)`;
  if (spec.endPort !== undefined) return `${spec.protocol} ${spec.port}-${spec.endPort}`;
  return `${spec.protocol} ${spec.port}`;
}
