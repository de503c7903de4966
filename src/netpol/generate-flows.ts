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
import type { NeededFlow } from './generate-infer.js';
import type { Protocol } from './connections.js';
import { isRecord, record, str, array } from '../util/object.js';

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

function matchEndpoint(end: FlowEnd, endpoints: readonly Endpoint[]): number | undefined {
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

export function flowsFromHubble(text: string, endpoints: readonly Endpoint[], problems: FlowProblem[]): NeededFlow[] {
  const flows: NeededFlow[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      problems.push({ line: index + 1, message: 'not a JSON object' });
      return;
    }
    if (!isRecord(parsed)) return;
    const flow = record(parsed.flow) ?? parsed;
    const verdict = str(flow.verdict);
    if ((verdict !== undefined && verdict !== 'FORWARDED') || flow.is_reply === true) return;
    const l4 = record(flow.l4) ?? {};
    const protocol = (['TCP', 'UDP', 'SCTP'] as const).find((name) => isRecord(l4[name]));
    const port = protocol ? Number(record(l4[protocol])?.destination_port) : NaN;
    if (!protocol || !Number.isInteger(port) || port < 1 || port > 65535) return;
    const source = flowEnd(flow.source);
    const destination = flowEnd(flow.destination);
    const from = matchEndpoint(source, endpoints);
    const to = matchEndpoint(destination, endpoints);
    const address = str(record(flow.IP)?.destination);
    if (to !== undefined && from !== undefined) {
      flows.push({ from, to, protocol: protocol as Protocol, port, reason: `observed: ${endpointName(endpoints[from] as Endpoint)} -> ${endpointName(endpoints[to] as Endpoint)} ${protocol} ${port} (flow line ${index + 1})` });
    } else if (to !== undefined && source.namespace === undefined) {
      flows.push({ from: 'outside', to, protocol: protocol as Protocol, port, reason: `observed: a client outside the cluster -> ${endpointName(endpoints[to] as Endpoint)} ${protocol} ${port} (flow line ${index + 1})` });
    } else if (from !== undefined && destination.namespace === undefined && address) {
      flows.push({ from, to: { address }, protocol: protocol as Protocol, port, reason: `observed: ${endpointName(endpoints[from] as Endpoint)} -> ${address} ${protocol} ${port} (flow line ${index + 1})` });
    } else {
      problems.push({ line: index + 1, message: 'no workload in the manifests matches this flow\'s source or destination' });
    }
  });
  return flows;
}
