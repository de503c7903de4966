/**
 * Why one connection is allowed or denied: for each side (the sender's egress, the receiver's ingress), whether
 * any policy isolates it, and for each selecting policy which rule allows the connection or why none does.
 */
import type { Direction } from '../kube/network-policy.js';
import type { Protocol } from './connections.js';
import type { Reachability } from './engine.js';
import { IpSet } from './ip.js';
import { endpointName } from './model.js';
import { describePolicy, type Policy, type Rule } from './policy.js';
import { terminalText } from '../report/terminal-text.js';

/** One side of a connection: an endpoint of the model, or an address outside the cluster. */
export type ConnectionEnd = { readonly endpoint: number } | { readonly address: string };

export interface SideExplanation {
  readonly direction: Direction;
  /** `egress of frontend/web`, `ingress of payments/db`. */
  readonly subject: string;
  readonly allowed: boolean;
  /** One line per reason, most important first. */
  readonly reasons: readonly string[];
  /** `ns/policy` names of the policies whose rules allow the connection. */
  readonly allowedBy: readonly string[];
  /** Policies that select the endpoint for this direction but allow nothing matching. */
  readonly deniedBy: readonly string[];
}

export interface Explanation {
  readonly from: string;
  readonly to: string;
  readonly protocol: Protocol;
  readonly port: number;
  readonly allowed: boolean;
  readonly egress: SideExplanation;
  readonly ingress: SideExplanation;
}

export function explainConnection(reachability: Reachability, from: ConnectionEnd, to: ConnectionEnd, protocol: Protocol, port: number): Explanation {
  const egress = explainSide(reachability, 'Egress', from, to, protocol, port);
  const ingress = explainSide(reachability, 'Ingress', to, from, protocol, port);
  return { from: nameOf(reachability, from), to: nameOf(reachability, to), protocol, port, allowed: egress.allowed && ingress.allowed, egress, ingress };
}

function nameOf(reachability: Reachability, end: ConnectionEnd): string {
  if ('address' in end) return end.address;
  const endpoint = reachability.endpoints.at(end.endpoint);
  return endpoint ? endpointName(endpoint) : '?';
}

/** `self` is the endpoint whose policies decide this direction; `peer` is the other end. */
function explainSide(reachability: Reachability, direction: Direction, self: ConnectionEnd, peer: ConnectionEnd, protocol: Protocol, port: number): SideExplanation {
  const subject = `${direction === 'Egress' ? 'egress of' : 'ingress of'} ${nameOf(reachability, self)}`;
  if ('address' in self) {
    return { direction, subject, allowed: true, reasons: ['an address outside the cluster: no NetworkPolicy applies to it'], allowedBy: [], deniedBy: [] };
  }
  if (!reachability.isGoverned(self.endpoint)) {
    return { direction, subject, allowed: true, reasons: ['a host-network pod: NetworkPolicy does not govern it (implementation-defined)'], allowedBy: [], deniedBy: [] };
  }
  if ('endpoint' in peer && !reachability.isGoverned(peer.endpoint)) {
    return { direction, subject, allowed: true, reasons: ['the other end is a host-network pod, outside NetworkPolicy (implementation-defined)'], allowedBy: [], deniedBy: [] };
  }
  const selecting = reachability.selectingPolicies(self.endpoint, direction);
  if (selecting.length === 0) {
    return { direction, subject, allowed: true, reasons: [`no NetworkPolicy selects it for ${direction}, so ${direction.toLowerCase()} is not restricted`], allowedBy: [], deniedBy: [] };
  }
  const reasons: string[] = [];
  const allowedBy: string[] = [];
  const deniedBy: string[] = [];
  const destination = direction === 'Egress' ? ('endpoint' in peer ? peer.endpoint : undefined) : self.endpoint;
  const wanted = `${protocol} ${port}`;
  for (const policyIndex of selecting) {
    const policy = reachability.policies[policyIndex] as Policy;
    const name = describePolicy(policy);
    const rules = direction === 'Ingress' ? policy.ingress : policy.egress;
    const field = direction === 'Ingress' ? 'ingress' : 'egress';
    if (rules.length === 0) {
      deniedBy.push(name);
      reasons.push(`${name} selects it for ${direction} and has no ${field} rules: it allows nothing`);
      continue;
    }
    let allowing: Rule | undefined;
    const notes: string[] = [];
    for (const rule of rules) {
      if (!peerMatches(reachability, policyIndex, direction, rule, peer)) {
        notes.push(`${field}[${rule.index}] does not match ${nameOf(reachability, peer)}`);
        continue;
      }
      const allowed = reachability.table.set(reachability.ruleConnectionId(policyIndex, direction, rule, destination));
      if (allowed.has(protocol, port)) {
        allowing = rule;
        break;
      }
      notes.push(`${field}[${rule.index}] matches ${nameOf(reachability, peer)} but allows ${allowed.toString()}, not ${wanted}`);
    }
    if (allowing) {
      allowedBy.push(name);
      reasons.unshift(`${name} ${field}[${allowing.index}] allows it (${describeRule(allowing, field)})`);
    } else {
      deniedBy.push(name);
      reasons.push(`${name} selects it for ${direction}; no rule allows it: ${notes.join('; ')}`);
    }
  }
  return { direction, subject, allowed: allowedBy.length > 0, reasons, allowedBy, deniedBy };
}

function peerMatches(reachability: Reachability, policyIndex: number, direction: Direction, rule: Rule, peer: ConnectionEnd): boolean {
  if (rule.peers === null) return true;
  if ('endpoint' in peer) {
    const peers = reachability.rulePeers(policyIndex, direction, rule);
    return peers === 'all' || peers.includes(peer.endpoint);
  }
  const address = IpSet.parse(peer.address);
  if (!address) return false;
  return rule.peers.some((candidate) => candidate.kind === 'ipBlock' && candidate.ips.covers(address));
}

function describeRule(rule: Rule, field: 'ingress' | 'egress'): string {
  const peers =
    rule.peers === null
      ? `${field === 'ingress' ? 'from' : 'to'} anywhere`
      : rule.peers
          .map((peer) => {
            if (peer.kind === 'ipBlock') return `ipBlock ${peer.cidr}${peer.except.length > 0 ? ` except ${peer.except.join(', ')}` : ''}`;
            const parts = [];
            if (peer.namespaceSelector !== null) parts.push(`namespaceSelector ${JSON.stringify(peer.namespaceSelector)}`);
            if (peer.podSelector !== null) parts.push(`podSelector ${JSON.stringify(peer.podSelector)}`);
            return parts.join(' AND ');
          })
          .join(' OR ');
  const ports = rule.ports === null ? 'every port' : rule.ports.map((spec) => `${spec.protocol} ${spec.port ?? '*'}${spec.endPort !== undefined ? `-${spec.endPort}` : ''}`).join(', ');
  return `${peers}; ${ports}`;
}

export function formatExplanation(explanation: Explanation): string {
  const lines = [`${explanation.from} -> ${explanation.to} ${explanation.protocol} ${explanation.port}: ${explanation.allowed ? 'ALLOWED' : 'DENIED'}`];
  for (const side of [explanation.egress, explanation.ingress]) {
    lines.push(`  ${side.subject}: ${side.allowed ? 'allows' : 'denies'}`);
    for (const reason of side.reasons) lines.push(`    ${reason}`);
  }
  // Names and reasons are the input's text: one line each, nothing a terminal would act on.
  return lines.map((line) => terminalText(line)).join('\n');
}
