/**
 * Which Services and Ingresses make pods reachable from outside the cluster, kept as small summaries while the
 * objects stream by: per namespace, each Service's type and selector, and the Services Ingresses route to.
 */
import { array, detach, isRecord, record, str } from '../util/object.js';
import { selectorMatches, stringLabels } from './label-selector.js';

export interface ServiceSummary {
  readonly name: string;
  readonly type: string;
  readonly selector: Readonly<Record<string, string>>;
}

const key = (namespace: string | null) => namespace ?? '\u0000';

export class ServiceExposure {
  private readonly services = new Map<string, ServiceSummary[]>();
  /** namespace → Service name → the first Ingress routing to it. */
  private readonly ingressBackends = new Map<string, Map<string, string>>();

  addService(namespace: string | null, object: Record<string, unknown>): void {
    this.addSummary(namespace, serviceSummary(object));
  }

  /** A Service as `serviceSummary` read it (a caller adding one Service to many inventories reads it once). */
  addSummary(namespace: string | null, summary: ServiceSummary | undefined): void {
    if (!summary) return;
    const list = this.services.get(key(namespace)) ?? [];
    list.push(summary);
    this.services.set(key(namespace), list);
  }

  addIngress(namespace: string | null, object: Record<string, unknown>): void {
    const name = detach(str(record(object.metadata)?.name) ?? '(unnamed)');
    const backends = this.ingressBackends.get(key(namespace)) ?? new Map<string, string>();
    for (const service of ingressServiceNames(record(object.spec) ?? {})) if (!backends.has(service)) backends.set(detach(service), name);
    this.ingressBackends.set(key(namespace), backends);
  }

  /** How pods with these labels can be reached from outside the cluster, one phrase per way. */
  exposureOf(namespace: string | null, labels: Readonly<Record<string, string>>): string[] {
    const ways: string[] = [];
    for (const service of this.services.get(key(namespace)) ?? []) {
      if (!selectorMatches({ matchLabels: service.selector }, labels)) continue;
      if (service.type === 'NodePort' || service.type === 'LoadBalancer') ways.push(`Service ${service.name} of type ${service.type}`);
      const ingress = this.ingressBackends.get(key(namespace))?.get(service.name);
      if (ingress !== undefined) ways.push(`Ingress ${ingress} through Service ${service.name}`);
    }
    return ways;
  }
}

/** What exposure keeps of a Service; undefined without a selector (it selects no pods: its endpoints are managed by hand). */
export function serviceSummary(object: Record<string, unknown>): ServiceSummary | undefined {
  const spec = record(object.spec) ?? {};
  const selector = stringLabels(spec.selector);
  if (Object.keys(selector).length === 0) return undefined;
  // Copies: the summaries outlive the document text they were read from.
  return { name: detach(str(record(object.metadata)?.name) ?? '(unnamed)'), type: detach(str(spec.type) ?? 'ClusterIP'), selector: JSON.parse(JSON.stringify(selector)) as Record<string, string> };
}

/** Service names an Ingress routes to: networking.k8s.io/v1 (`service.name`) and the older `serviceName`. */
function ingressServiceNames(spec: Record<string, unknown>): string[] {
  const backends = [spec.defaultBackend, spec.backend];
  for (const rule of array(spec.rules)) {
    for (const path of array(record(record(rule)?.http)?.paths)) backends.push(record(path)?.backend);
  }
  const names: string[] = [];
  for (const backend of backends) {
    if (!isRecord(backend)) continue;
    const name = str(record(backend.service)?.name) ?? str(backend.serviceName);
    if (name !== undefined) names.push(name);
  }
  return names;
}
