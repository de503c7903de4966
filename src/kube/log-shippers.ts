/**
 * Node log shippers, recognised by their image repository (any registry or mirror, any tag): the agents that read
 * /var/log on every node and send it off the node. Matched on the repository's last path segments, so
 * `public.ecr.aws/aws-observability/aws-for-fluent-bit` and `cr.fluentbit.io/fluent/fluent-bit` both count.
 */
import { array, detach, isRecord, record, str, type Json } from '../util/object.js';
import { parseImageReference } from './image-reference.js';

const SHIPPERS: readonly { readonly name: string; readonly matches: (repository: string) => boolean }[] = [
  { name: 'Fluent Bit', matches: (repo) => /(^|\/)(aws-for-)?fluent-?bit(-[a-z0-9-]+)?$/.test(repo) },
  { name: 'Fluentd', matches: (repo) => /(^|\/)fluentd(-[a-z0-9-]+)?$/.test(repo) },
  { name: 'Vector', matches: (repo) => /(^|\/)(timberio\/)?vector$/.test(repo) },
  { name: 'Promtail', matches: (repo) => /(^|\/)promtail$/.test(repo) },
  { name: 'Grafana Alloy', matches: (repo) => /(^|\/)grafana\/alloy$/.test(repo) },
  { name: 'Grafana Agent', matches: (repo) => /(^|\/)grafana\/agent$/.test(repo) },
  { name: 'OpenTelemetry Collector', matches: (repo) => /(^|\/)(opentelemetry-collector|otelcol)(-[a-z0-9-]+)?$/.test(repo) },
  { name: 'Filebeat', matches: (repo) => /(^|\/)filebeat(-oss)?$/.test(repo) },
  { name: 'Elastic Agent', matches: (repo) => /(^|\/)elastic-agent(-complete)?$/.test(repo) },
  { name: 'Datadog Agent', matches: (repo) => /(^|\/)(datadog|datadoghq)\/agent$/.test(repo) },
  { name: 'Splunk OpenTelemetry Collector', matches: (repo) => /(^|\/)splunk-otel-collector$/.test(repo) },
  { name: 'Amazon CloudWatch Agent', matches: (repo) => /(^|\/)cloudwatch-agent$/.test(repo) },
  { name: 'Azure Monitor Agent', matches: (repo) => /(^|\/)azuremonitor\/containerinsights\/ciprod$/.test(repo) },
  { name: 'Google Cloud Ops Agent', matches: (repo) => /(^|\/)(fluent-bit-gke|gke-fluent-bit|ops-agent)$/.test(repo) },
];

/** The shipper an image runs (`Fluent Bit`), or undefined. */
export function logShipperOf(image: string): string | undefined {
  const repository = parseImageReference(image).repository.toLowerCase();
  return SHIPPERS.find((shipper) => shipper.matches(repository))?.name;
}

/** What the logging controls need of a DaemonSet that runs a log shipper; small copies, never the object. */
export interface ShipperTemplate {
  readonly shippers: readonly string[];
  /** nodeName, nodeSelector, affinity and tolerations of the pod template: where its pods run. */
  readonly scheduling: Json;
  /** hostPath folders a container of the shipper mounts: the node files it can read. */
  readonly hostPaths: readonly string[];
}

/** The shipper a DaemonSet's pod spec runs, or undefined when none of its containers is a known shipper. */
export function shipperTemplate(spec: Json): ShipperTemplate | undefined {
  const containers = array(spec.containers).filter(isRecord);
  const shippers = [...new Set(containers.map((container) => logShipperOf(str(container.image) ?? '')).filter((name): name is string => name !== undefined))];
  if (shippers.length === 0) return undefined;
  const mounted = new Set(containers.flatMap((container) => array(container.volumeMounts).filter(isRecord).map((mount) => str(mount.name))));
  const hostPaths = array(spec.volumes)
    .filter(isRecord)
    .filter((volume) => mounted.has(str(volume.name)))
    .map((volume) => str(record(volume.hostPath)?.path))
    .filter((path): path is string => path !== undefined && path.startsWith('/'));
  const scheduling = JSON.parse(JSON.stringify({ nodeName: spec.nodeName, nodeSelector: spec.nodeSelector, affinity: spec.affinity, tolerations: spec.tolerations })) as Json;
  return { shippers, scheduling, hostPaths: hostPaths.map((path) => detach(path)) };
}

/** Does a hostPath mount of `mounted` show the file or folder `path`? */
export function hostPathCovers(mounted: string, path: string): boolean {
  const base = mounted.length > 1 ? mounted.replace(/\/+$/, '') : mounted;
  return base === '/' || path === base || path.startsWith(`${base}/`);
}
