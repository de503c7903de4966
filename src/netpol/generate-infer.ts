/**
 * Which connections an application needs, inferred from its manifests: a workload that names a Service (in an
 * env value such as `http://orders:8080` or `cartservice:7070`, a `ORDERS_SERVICE_HOST` variable, or a value in a
 * ConfigMap it reads) connects to the pods behind that Service on the Service's target port; a LoadBalancer or
 * NodePort Service admits clients from anywhere.
 */
import { selectorMatches, stringLabels } from '../kube/label-selector.js';
import type { LoadedResource } from '../loader/source.js';
import { array, isRecord, numberOf, ownEntry, record, str, stringOf, type Json } from '../util/object.js';
import { isProtocol, type Protocol } from './connections.js';
import { endpointName, type Endpoint } from './model.js';
import type { EndpointTable } from './endpoint-table.js';

/** One needed connection. `from: 'outside'` is a client outside the cluster. */
export interface NeededFlow {
  readonly from: number | 'outside';
  /** An endpoint index, or an address outside the cluster (from observed flows). */
  readonly to: number | { readonly address: string };
  readonly protocol: Protocol;
  /** A number, or a container port name resolved on the destination. */
  readonly port: number | string;
  /** Why the flow is needed, for the comment above its rule. */
  readonly reason: string;
}

interface ServiceInfo {
  readonly namespace: string;
  readonly name: string;
  readonly type: string;
  readonly selector: Record<string, string>;
  readonly ports: readonly { readonly port: number; readonly targetPort: number | string; readonly protocol: Protocol; readonly name: string }[];
}

const DEFAULT_SCHEME_PORTS: Record<string, number> = { http: 80, https: 443, grpc: 80, redis: 6379, postgres: 5432, postgresql: 5432, mysql: 3306, mongodb: 27017, amqp: 5672 };

function readServices(resources: readonly LoadedResource[]): ServiceInfo[] {
  const services: ServiceInfo[] = [];
  for (const { object } of resources) {
    if (object.kind !== 'Service' || object.apiVersion !== 'v1') continue;
    const metadata = record(object.metadata) ?? {};
    const spec = record(object.spec) ?? {};
    if (!isRecord(spec.selector) || Object.keys(spec.selector).length === 0) continue; // no pods behind it to allow
    const ports = array(spec.ports).flatMap((entry) => {
      const port = record(entry);
      const number = numberOf(port?.port);
      const protocol = port?.protocol ?? 'TCP';
      if (!port || !Number.isInteger(number) || !isProtocol(protocol)) return [];
      const target = port.targetPort ?? number;
      const targetPort = typeof target === 'number' || /^\d+$/.test(stringOf(target)) ? numberOf(target) : stringOf(target);
      return [{ port: number, targetPort, protocol, name: str(port.name) ?? '' }];
    });
    services.push({ namespace: str(metadata.namespace) || 'default', name: str(metadata.name) ?? '', type: str(spec.type) ?? 'ClusterIP', selector: stringLabels(spec.selector), ports });
  }
  return services;
}

/** The strings a workload's containers carry in env values, with where each came from. */
function configStrings(templateSpec: Json, configMaps: ReadonlyMap<string, Json>, namespace: string): { text: string; where: string }[] {
  const found: { text: string; where: string }[] = [];
  const containers = [...array(templateSpec.containers), ...array(templateSpec.initContainers)];
  for (const container of containers.filter(isRecord)) {
    const containerName = str(container.name) ?? '?';
    for (const variable of array(container.env).filter(isRecord)) {
      const name = str(variable.name) ?? '';
      if (name !== '') found.push({ text: name, where: `env ${name} of container ${containerName}` });
      if (typeof variable.value === 'string') found.push({ text: variable.value, where: `env ${name}=${variable.value} of container ${containerName}` });
      const reference = record(record(variable.valueFrom)?.configMapKeyRef);
      const data = reference ? record(configMaps.get(`${namespace}/${str(reference.name) ?? ''}`)?.data) : undefined;
      const value = data?.[str(reference?.key) ?? ''];
      if (typeof value === 'string') found.push({ text: value, where: `ConfigMap ${str(reference?.name)} key ${str(reference?.key)} (env ${name})` });
    }
    for (const source of array(container.envFrom).filter(isRecord)) {
      const mapName = str(record(source.configMapRef)?.name);
      const data = mapName ? record(configMaps.get(`${namespace}/${mapName}`)?.data) : undefined;
      for (const [key, value] of Object.entries(data ?? {})) {
        found.push({ text: key, where: `ConfigMap ${mapName} key ${key}` });
        if (typeof value === 'string') found.push({ text: value, where: `ConfigMap ${mapName} key ${key}=${value}` });
      }
    }
  }
  return found;
}

/** How Kubernetes names a Service in injected variables: `orders-api` → `ORDERS_API`. */
function envPrefix(serviceName: string): string {
  return serviceName.toUpperCase().replace(/-/g, '_');
}

interface Reference {
  readonly service: ServiceInfo;
  /** The Service port named, or undefined for all of them. */
  readonly port: number | undefined;
}

/** Service references in one string: URLs, host:port, bare names equal to a Service, and *_SERVICE_HOST names. */
function referencesIn(text: string, namespace: string, services: readonly ServiceInfo[]): Reference[] {
  const references: Reference[] = [];
  const lookup = (host: string): ServiceInfo | undefined => {
    const parts = host.toLowerCase().split('.');
    const name = parts[0] ?? '';
    const serviceNamespace = parts.length > 1 && parts[1] !== 'svc' ? (parts[1] as string) : namespace;
    if (parts.length > 2 && parts[2] !== 'svc') return undefined;
    return services.find((service) => service.name === name && service.namespace === serviceNamespace);
  };
  for (const match of text.matchAll(/([a-z][a-z0-9+.-]*):\/\/([a-z0-9.-]+)(?::(\d+))?/gi)) {
    const service = lookup(match[2] as string);
    if (!service) continue;
    const port = match[3] !== undefined ? Number(match[3]) : ownEntry(DEFAULT_SCHEME_PORTS, (match[1] as string).toLowerCase());
    references.push({ service, port: port !== undefined && service.ports.some((entry) => entry.port === port) ? port : undefined });
  }
  for (const match of text.matchAll(/(?:^|[\s,;="'(])([a-z0-9][a-z0-9.-]*):(\d{1,5})\b/gi)) {
    const service = lookup(match[1] as string);
    if (service) references.push({ service, port: Number(match[2]) });
  }
  for (const match of text.matchAll(/\b([A-Z][A-Z0-9_]*)_SERVICE_HOST\b/g)) {
    const service = services.find((candidate) => candidate.namespace === namespace && envPrefix(candidate.name) === match[1]);
    if (service) references.push({ service, port: undefined });
  }
  const bare = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)*$/.test(text.trim()) ? lookup(text.trim()) : undefined;
  if (bare) references.push({ service: bare, port: undefined });
  return references;
}

/** Endpoints behind a Service: its namespace, labels matching its selector. */
function backends(service: ServiceInfo, endpoints: EndpointTable): number[] {
  const found: number[] = [];
  endpoints.forEach((endpoint, index) => {
    if (endpoint.namespace === service.namespace && selectorMatches({ matchLabels: service.selector }, endpoint.labels)) found.push(index);
  });
  return found;
}

export function inferFlows(endpoints: EndpointTable, resources: readonly LoadedResource[], templateSpecs: ReadonlyMap<number, Json>): NeededFlow[] {
  const services = readServices(resources);
  const configMaps = new Map<string, Json>();
  for (const { object } of resources) {
    if (object.kind === 'ConfigMap' && object.apiVersion === 'v1') {
      const metadata = record(object.metadata) ?? {};
      configMaps.set(`${str(metadata.namespace) || 'default'}/${str(metadata.name) ?? ''}`, object);
    }
  }
  const flows: NeededFlow[] = [];
  const seen = new Set<string>();
  const add = (flow: NeededFlow) => {
    const key = `${String(flow.from)}>${typeof flow.to === 'number' ? flow.to : flow.to.address}/${flow.protocol}/${flow.port}`;
    if (seen.has(key)) return;
    seen.add(key);
    flows.push(flow);
  };
  for (const service of services) {
    if (service.type !== 'LoadBalancer' && service.type !== 'NodePort') continue;
    for (const backend of backends(service, endpoints)) {
      for (const port of service.ports) {
        add({ from: 'outside', to: backend, protocol: port.protocol, port: port.targetPort, reason: `Service ${service.namespace}/${service.name} is a ${service.type}: clients outside the cluster connect on port ${port.port}` });
      }
    }
  }
  endpoints.forEach((endpoint, from) => {
    const spec = templateSpecs.get(from);
    if (!spec) return;
    for (const { text, where } of configStrings(spec, configMaps, endpoint.namespace)) {
      for (const reference of referencesIn(text, endpoint.namespace, services)) {
        const ports = reference.service.ports.filter((entry) => reference.port === undefined || entry.port === reference.port);
        for (const backend of backends(reference.service, endpoints)) {
          if (backend === from) continue;
          for (const port of ports) {
            add({ from, to: backend, protocol: port.protocol, port: port.targetPort, reason: `${endpointName(endpoint)}: ${where} names Service ${reference.service.namespace}/${reference.service.name} port ${port.port}` });
          }
        }
      }
    }
  });
  return flows;
}
