/**
 * Observed traffic against the NetworkPolicies: flows the policies deny, allow rules no flow used, and connections
 * a baseline has not seen. The flows come from a Hubble export (observeHubbleFlows), the verdicts from the same
 * reachability engine `netpol reach` uses, so `netpol audit` and `netpol reach --explain` always agree.
 */
import type { Direction } from '../../kube/network-policy.js';
import type { LoadedResource } from '../../loader/source.js';
import type { Reachability } from '../../netpol/engine.js';
import { explainConnection, type ConnectionEnd } from '../../netpol/explain.js';
import type { ObservedFlow } from '../../netpol/generate-flows.js';
import { parseIp } from '../../netpol/ip.js';
import { endpointName, type Endpoint } from '../../netpol/model.js';
import type { Rule } from '../../netpol/policy.js';
import type { FieldPath } from '../../vocabulary/field-path.js';
import { formatFieldPath } from '../../vocabulary/field-path.js';
import type { Finding, FindingLocation, ResourceRef } from '../../vocabulary/finding.js';
import type { ControlMeta } from '../../engine/types.js';
import { FLOW_DENIED, FLOW_NEW, RULE_UNUSED } from './rules.js';
import { stringOf } from '../../util/object.js';

export interface TrafficAuditInput {
  readonly reachability: Reachability;
  /** The objects the model was built from (for the file and line of workloads and policies). */
  readonly resources: readonly LoadedResource[];
  readonly flows: readonly ObservedFlow[];
  /** The flow file, where findings about a flow point. */
  readonly flowFile: string;
  /** Connections seen before (`pairKey`); undefined: no baseline, nothing is new. */
  readonly baseline?: ReadonlySet<string>;
}

export interface TrafficAudit {
  readonly findings: readonly Finding[];
  /** Every connection observed (`pairKey`), for --write-baseline. */
  readonly pairs: readonly string[];
  /** How many flows, allow rules and connections were judged, for the scores. */
  readonly assessed: { readonly flows: number; readonly rules: number; readonly pairs: number };
}

/** `shop/web -> shop/db TCP/5432`: a connection as a baseline records it. */
export function pairKey(from: string, to: string, protocol: string, port: number): string {
  return `${from} -> ${to} ${protocol}/${port}`;
}

export function auditTraffic(input: TrafficAuditInput): TrafficAudit {
  const { reachability } = input;
  const places = new Places(input.resources);
  const findings: Finding[] = [];
  const usedRules = new Set<string>();
  const pairs = new Map<string, ObservedFlow>();
  const nameOf = (end: ObservedFlow['from']) => (typeof end === 'number' ? endpointName(reachability.endpoints.at(end) as Endpoint) : end.address);
  for (const flow of input.flows) {
    const from: ConnectionEnd = typeof flow.from === 'number' ? { endpoint: flow.from } : { address: flow.from.address };
    const to: ConnectionEnd = typeof flow.to === 'number' ? { endpoint: flow.to } : { address: flow.to.address };
    const explanation = explainConnection(reachability, from, to, flow.protocol, flow.port);
    const key = pairKey(nameOf(flow.from), nameOf(flow.to), flow.protocol, flow.port);
    if (!pairs.has(key)) pairs.set(key, flow);
    if (!explanation.allowed) {
      const side = explanation.egress.allowed ? explanation.ingress : explanation.egress;
      const denier = side.direction === 'Egress' ? flow.from : flow.to;
      const subject = typeof denier === 'number' ? places.endpoint(reachability, denier) : undefined;
      const what = flow.verdict === 'FORWARDED' ? 'was forwarded although' : flow.verdict === 'DROPPED' ? `was dropped${flow.dropReason ? ` (${flow.dropReason})` : ''}:` : `(${flow.verdict}):`;
      findings.push(finding(FLOW_DENIED, subject ?? places.flow(input.flowFile, flow), `${key} ${what} ${side.subject} is isolated by ${side.deniedBy.join(', ') || 'its policies'} and no rule allows it (flow line ${flow.line})`, `flow ${input.flowFile}:${flow.line}`));
      continue;
    }
    if (flow.verdict !== 'FORWARDED') continue;
    markUsed(reachability, usedRules, 'Egress', flow.from, flow.to, flow);
    markUsed(reachability, usedRules, 'Ingress', flow.to, flow.from, flow);
  }
  let ruleCount = 0;
  reachability.policies.forEach((policy, policyIndex) => {
    for (const direction of ['Ingress', 'Egress'] as const) {
      const rules = direction === 'Ingress' ? policy.ingress : policy.egress;
      for (const rule of rules) {
        ruleCount++;
        if (usedRules.has(ruleKey(policyIndex, direction, rule))) continue;
        const field: FieldPath = ['spec', direction === 'Ingress' ? 'ingress' : 'egress', rule.index];
        const subject = places.policy(policy.namespace, policy.name, field);
        const peers = rule.peers === null ? 'every peer' : `${rule.peers.length} peer${rule.peers.length === 1 ? '' : 's'}`;
        const ports = rule.ports === null ? 'every port' : `${rule.ports.length} port entr${rule.ports.length === 1 ? 'y' : 'ies'}`;
        findings.push(finding(RULE_UNUSED, subject, `${direction.toLowerCase()} rule ${rule.index + 1} of ${policy.namespace}/${policy.name} (${peers}, ${ports}) allowed no observed flow`));
      }
    }
  });
  if (input.baseline) {
    for (const [key, flow] of pairs) {
      if (input.baseline.has(key) || flow.verdict !== 'FORWARDED') continue;
      const subject = typeof flow.from === 'number' ? places.endpoint(reachability, flow.from) : typeof flow.to === 'number' ? places.endpoint(reachability, flow.to) : undefined;
      findings.push(finding(FLOW_NEW, subject ?? places.flow(input.flowFile, flow), `${key} is not in the baseline (first seen at flow line ${flow.line})`, `flow ${input.flowFile}:${flow.line}`));
    }
  }
  return { findings, pairs: [...pairs.keys()].sort(), assessed: { flows: input.flows.length, rules: ruleCount, pairs: pairs.size } };
}

function ruleKey(policyIndex: number, direction: Direction, rule: Rule): string {
  return `${policyIndex}/${direction}/${rule.index}`;
}

/** Marks the rules of `self`'s policies for `direction` that allow this flow (peer and port both match). */
function markUsed(reachability: Reachability, used: Set<string>, direction: Direction, self: ObservedFlow['from'], peer: ObservedFlow['from'], flow: ObservedFlow): void {
  if (typeof self !== 'number') return;
  const destination = direction === 'Egress' ? (typeof peer === 'number' ? peer : undefined) : self;
  for (const policyIndex of reachability.selectingPolicies(self, direction)) {
    const policy = reachability.policies[policyIndex];
    if (!policy) continue;
    for (const rule of direction === 'Ingress' ? policy.ingress : policy.egress) {
      if (!peerMatches(reachability, policyIndex, direction, rule, peer)) continue;
      const connections = reachability.table.set(reachability.ruleConnectionId(policyIndex, direction, rule, destination));
      if (connections.has(flow.protocol, flow.port)) used.add(ruleKey(policyIndex, direction, rule));
    }
  }
}

function peerMatches(reachability: Reachability, policyIndex: number, direction: Direction, rule: Rule, peer: ObservedFlow['from']): boolean {
  if (rule.peers === null) return true;
  if (typeof peer === 'number') {
    const peers = reachability.rulePeers(policyIndex, direction, rule);
    return peers === 'all' || peers.includes(peer);
  }
  const ip = parseIp(peer.address);
  return ip !== undefined && rule.peers.some((candidate) => candidate.kind === 'ipBlock' && candidate.ips.contains(ip.family, ip.value));
}

function finding(meta: ControlMeta, subject: { resource: ResourceRef; location: FindingLocation; field: string }, message: string, about?: string): Finding {
  return {
    controlId: meta.id,
    title: meta.title,
    severity: meta.severity,
    pss: null,
    resource: subject.resource,
    location: subject.location,
    field: subject.field,
    message,
    remediation: meta.remediation.text,
    ...(about ? { about } : {}),
  };
}

/** Where workloads and policies are written, found once by kind, namespace and name. */
class Places {
  private readonly byName = new Map<string, LoadedResource>();

  constructor(resources: readonly LoadedResource[]) {
    for (const resource of resources) {
      const metadata = (resource.object['metadata'] ?? {}) as Record<string, unknown>;
      const namespace = typeof metadata['namespace'] === 'string' ? metadata['namespace'] : 'default';
      this.byName.set(`${String(resource.object['kind'])}/${namespace}/${stringOf(metadata['name'] ?? '')}`, resource);
    }
  }

  endpoint(reachability: Reachability, index: number): { resource: ResourceRef; location: FindingLocation; field: string } | undefined {
    const endpoint = reachability.endpoints.at(index);
    if (!endpoint) return undefined;
    return this.at(endpoint.kind, endpoint.namespace, endpoint.name, ['metadata', 'name']);
  }

  policy(namespace: string, name: string, field: FieldPath): { resource: ResourceRef; location: FindingLocation; field: string } {
    return this.at('NetworkPolicy', namespace, name, field) ?? { resource: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespace, name }, location: { file: `cluster:networkpolicies`, line: 1, column: 1 }, field: formatFieldPath(field) };
  }

  flow(file: string, flow: ObservedFlow): { resource: ResourceRef; location: FindingLocation; field: string } {
    return { resource: { apiVersion: 'flow.cilium.io/v1', kind: 'Flow', namespace: null, name: `line ${flow.line}` }, location: { file, line: flow.line, column: 1 }, field: '' };
  }

  private at(kind: string, namespace: string, name: string, field: FieldPath): { resource: ResourceRef; location: FindingLocation; field: string } | undefined {
    const resource = this.byName.get(`${kind}/${namespace}/${name}`);
    if (!resource) return undefined;
    const position = resource.document.position([...resource.prefix, ...field]);
    const apiVersion = String(resource.object['apiVersion'] ?? '');
    return { resource: { apiVersion, kind, namespace, name }, location: { file: resource.document.file, line: position.line, column: position.column }, field: formatFieldPath(field) };
  }
}
