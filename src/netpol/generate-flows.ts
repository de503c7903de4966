/**
 * Observed flows from a Cilium Hubble JSON export (`hubble observe -o json`, one JSON object per line, either
 * `{"flow": {...}}` or the bare flow). Accepted fields:
 *
 * - `source` / `destination`: `namespace`, `labels` (`k8s:app=web` style; the `k8s:` prefix is dropped and
 *   Cilium's own `io.kubernetes.*` / `io.cilium.*` labels are ignored) and `pod_name`;
 * - `IP.destination`: the address, for destinations outside the cluster (no namespace);
 * - `l4.TCP.destination_port`, `l4.UDP.destination_port` (and `l4.SCTP.destination_port`);
 * - `verdict`: only `FORWARDED` flows (or flows without a verdict) are learned; `DROPPED` and others are not;
 * - `traffic_direction`: `INGRESS` or `EGRESS`; both are read (the same connection seen at both ends counts once);
 * - `is_reply: true` flows are answers to a connection, not connections, and are skipped.
 *
 * A flow end is matched to the workload in its namespace whose pod labels it carries (all of them), else to the
 * workload whose name starts its `pod_name`.
 */
import { endpointName, type Endpoint } from './model.js';
import type { EndpointTable } from './endpoint-table.js';
import type { NeededFlow } from './generate-infer.js';
import type { Protocol } from './connections.js';
import { array, isRecord, numberOf, record, str } from '../util/object.js';

export interface FlowProblem {
  readonly line: number;
  readonly message: string;
}

interface FlowEnd {
  readonly namespace: string | undefined;
  readonly labels: Record<string, string>;
  readonly podName: string | undefined;
}

function flowEnd(value: unknown): FlowEnd {
  const end = record(value) ?? {};
  const labels: Record<string, string> = {};
  for (const entry of array(end.labels)) {
    if (typeof entry !== 'string') continue;
    const text = entry.replace(/^k8s:/, '');
    const equals = text.indexOf('=');
    const key = equals < 0 ? text : text.slice(0, equals);
    if (/^(io\.kubernetes\.|io\.cilium\.|reserved:)/.test(key)) continue;
    labels[key] = equals < 0 ? '' : text.slice(equals + 1);
  }
  return { namespace: str(end.namespace) || undefined, labels, podName: str(end.pod_name) || undefined };
}

function matchEndpoint(end: FlowEnd, endpoints: EndpointTable): number | undefined {
  if (end.namespace === undefined) return undefined;
  let best: number | undefined;
  endpoints.forEach((endpoint, index) => {
    if (best !== undefined || endpoint.namespace !== end.namespace) return;
    const labels = Object.entries(endpoint.labels);
    if (labels.length > 0 && labels.every(([key, value]) => end.labels[key] === value)) best = index;
  });
  if (best !== undefined || end.podName === undefined) return best;
  const byName = endpoints.findIndex((endpoint) => endpoint.namespace === end.namespace && end.podName?.startsWith(`${endpoint.name}-`));
  return byName < 0 ? undefined : byName;
}

/** One flow of a Hubble export as observed, matched to the model: what `netpol audit` judges. */
export interface ObservedFlow {
  readonly line: number;
  /** An endpoint index, or the source address outside the cluster (`outside` when the flow names none). */
  readonly from: number | { readonly address: string };
  readonly to: number | { readonly address: string };
  readonly protocol: Protocol;
  readonly port: number;
  /** `FORWARDED`, `DROPPED`, … (FORWARDED when the flow has none). */
  readonly verdict: string;
  /** Hubble's `drop_reason_desc`, for dropped flows. */
  readonly dropReason: string | undefined;
}

/**
 * Every connection of a Hubble export (replies skipped) whose ends the model knows, with its verdict; flows with
 * neither end in the model are problems.
 */
export function observeHubbleFlows(text: string, endpoints: EndpointTable, problems: FlowProblem[]): ObservedFlow[] {
  const flows: ObservedFlow[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    // A number, string, list or null is no record of a Hubble export either: skipped silently, a damaged export passed.
    if (!isRecord(parsed)) return void problems.push({ line: index + 1, message: 'not a JSON object' });
    const flow = record(parsed.flow) ?? parsed;
    if (flow.is_reply === true) return;
    const l4 = record(flow.l4) ?? {};
    const protocol = (['TCP', 'UDP', 'SCTP'] as const).find((name) => isRecord(l4[name]));
    const port = protocol ? numberOf(record(l4[protocol])?.destination_port) : NaN;
    if (!protocol || !Number.isInteger(port) || port < 1 || port > 65535) return;
    const source = flowEnd(flow.source);
    const destination = flowEnd(flow.destination);
    const fromEndpoint = matchEndpoint(source, endpoints);
    const toEndpoint = matchEndpoint(destination, endpoints);
    const ip = record(flow.IP) ?? {};
    const from = fromEndpoint ?? (source.namespace === undefined ? { address: str(ip.source) || 'outside' } : undefined);
    const to = toEndpoint ?? (destination.namespace === undefined && str(ip.destination) ? { address: str(ip.destination) as string } : undefined);
    if (from === undefined || to === undefined || (typeof from !== 'number' && typeof to !== 'number')) {
      problems.push({ line: index + 1, message: "no workload in the manifests matches this flow's source or destination" });
      return;
    }
    flows.push({ line: index + 1, from, to, protocol, port, verdict: str(flow.verdict) ?? 'FORWARDED', dropReason: str(flow.drop_reason_desc) });
  });
  return flows;
}

/** The connections a Hubble export shows the application needs: forwarded flows, not replies. */
export function flowsFromHubble(text: string, endpoints: EndpointTable, problems: FlowProblem[]): NeededFlow[] {
  const name = (end: number | { readonly address: string }, outside: string) => (typeof end === 'number' ? endpointName(endpoints.at(end) as Endpoint) : outside);
  return observeHubbleFlows(text, endpoints, problems)
    .filter((flow) => flow.verdict === 'FORWARDED')
    .map((flow) => {
      const from = typeof flow.from === 'number' ? flow.from : 'outside';
      const reason = `observed: ${name(flow.from, 'a client outside the cluster')} -> ${name(flow.to, typeof flow.to === 'number' ? '' : flow.to.address)} ${flow.protocol} ${flow.port} (flow line ${flow.line})`;
      return { from, to: flow.to, protocol: flow.protocol, port: flow.port, reason };
    });
}
