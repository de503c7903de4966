/**
 * What an attacker who owns a workload's container gets, and who can reach it: from the objects kubeharden already
 * reads. Reachability from the NetworkPolicy engine plus Services (LoadBalancer, NodePort) and Ingresses; the pod's
 * privileges (privileged, host namespaces, sensitive host paths, root); the RBAC rights of its service account
 * token (who-can). Each fact is kept with the phrase that explains it.
 */
import { containersOf } from '../../kube/containers.js';
import { podTemplateOf, TemplatePaths } from '../../kube/pod-templates.js';
import { resourceRef } from '../../kube/resource-ref.js';
import { ServiceExposure } from '../../kube/service-exposure.js';
import { Reachability } from '../../netpol/engine.js';
import { NetworkModelBuilder } from '../../netpol/model.js';
import { grantAllows, RbacGraph } from '../../rbac/graph.js';
import { isRbacKind, parseBinding, parseRole } from '../../rbac/model.js';
import { array, isRecord, record, str, type Json } from '../../util/object.js';
import type { ResourceRef } from '../../vocabulary/finding.js';
import type { WorkloadObject } from '../workload-images.js';

export interface Exposure {
  /** A Service of type LoadBalancer/NodePort or an Ingress reaches it, and no NetworkPolicy isolates its ingress. */
  readonly internetReachable: string | null;
  /** No NetworkPolicy isolates its ingress, so every pod of every namespace can connect. */
  readonly allNamespaces: boolean;
  readonly privileged: boolean;
  readonly hostNamespaces: readonly string[];
  readonly sensitiveHostPaths: readonly string[];
  /** Runs as root: by its securityContext, or by the image's user when the pod does not say. */
  readonly root: boolean;
  readonly secretsClusterWide: boolean;
  readonly secretsInNamespace: boolean;
  readonly createPods: boolean;
  /** escalate, bind, impersonate, or every verb on every resource. */
  readonly escalate: boolean;
}

export const NO_EXPOSURE: Exposure = {
  internetReachable: null,
  allNamespaces: false,
  privileged: false,
  hostNamespaces: [],
  sensitiveHostPaths: [],
  root: false,
  secretsClusterWide: false,
  secretsInNamespace: false,
  createPods: false,
  escalate: false,
};

/** Host folders whose access hands over the node: its configuration, runtimes' sockets, kubelet credentials. */
const SENSITIVE_HOST_PATHS = ['/', '/etc', '/root', '/home', '/boot', '/proc', '/sys', '/dev', '/var/run', '/run', '/var/lib/kubelet', '/var/lib/docker', '/var/lib/containerd', '/var/log'];

function sensitiveHostPath(path: string): boolean {
  const normalised = path.replace(/\/+$/, '') || '/';
  return SENSITIVE_HOST_PATHS.some((sensitive) => normalised === sensitive || (sensitive !== '/' && normalised.startsWith(`${sensitive}/`)));
}

/** Whether an image's configured user is root (empty means root). */
export function imageUserIsRoot(user: string | null): boolean {
  if (user === null) return true;
  const name = user.split(':')[0]!.trim();
  return name === '' || name === 'root' || name === '0';
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** Judges the workloads of `objects`; `exposureOf` answers for one workload, given its image's configured user. */
export class ExposureIndex {
  private readonly services = new ServiceExposure();
  private readonly rbac = new RbacGraph();
  private readonly reachability: Reachability;
  private readonly endpointIndex = new Map<string, number>();
  private readonly workloads = new Map<string, Json>();
  private readonly templatePaths = new TemplatePaths();

  constructor(objects: readonly WorkloadObject[]) {
    const builder = new NetworkModelBuilder();
    for (const { object, file } of objects) {
      const kind = String(object.kind);
      const namespace = str(record(object.metadata)?.namespace) ?? null;
      if (kind === 'Service') this.services.addService(namespace, object);
      else if (kind === 'Ingress') this.services.addIngress(namespace, object);
      else if (isRbacKind(String(object.apiVersion), kind)) {
        if (kind === 'Role' || kind === 'ClusterRole') this.rbac.addRole(parseRole(object));
        else this.rbac.addBinding(parseBinding(object));
      }
      builder.add(object, file);
      const ref = resourceRef(object);
      if (this.templatePaths.pathFor(ref.apiVersion, ref.kind) !== undefined) this.workloads.set(workloadKey(ref), object);
    }
    const model = builder.build();
    model.endpoints.forEach((endpoint, index) => this.endpointIndex.set(`${endpoint.kind}\u0000${endpoint.namespace}\u0000${endpoint.name}`, index));
    this.reachability = new Reachability(model);
  }

  exposureOf(workload: ResourceRef, imageUser: string | null): Exposure {
    const object = this.workloads.get(workloadKey(workload));
    const path = this.templatePaths.pathFor(workload.apiVersion, workload.kind);
    const template = object && path ? podTemplateOf(object, path) : undefined;
    if (!object || !template) return NO_EXPOSURE;
    const namespace = workload.namespace ?? 'default';
    const spec = template.spec;
    const endpoint = this.endpointIndex.get(`${workload.kind}\u0000${namespace}\u0000${workload.name ?? ''}`);
    const isolated = endpoint !== undefined && this.reachability.isolated(endpoint, 'Ingress');
    const ways = this.services.exposureOf(workload.namespace, isRecord(template.metadata.labels) ? (template.metadata.labels as Record<string, string>) : {});
    const containers = containersOf(spec, template.specPath);
    const podContext = record(spec.securityContext) ?? {};
    const root = containers.some(({ container }) => {
      const context = record(container.securityContext) ?? {};
      const user = num(context.runAsUser) ?? num(podContext.runAsUser);
      if (user !== undefined) return user === 0;
      if ((context.runAsNonRoot ?? podContext.runAsNonRoot) === true) return false;
      return imageUserIsRoot(imageUser);
    });
    const hostNamespaces = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((field) => spec[field] === true);
    const sensitiveHostPaths = array(spec.volumes)
      .map((volume) => str(record(record(volume)?.hostPath)?.path))
      .filter((hostPath): hostPath is string => hostPath !== undefined && sensitiveHostPath(hostPath));
    const rights = this.tokenRights(spec, namespace);
    return {
      internetReachable: ways.length > 0 && !isolated ? ways[0]! : null,
      allNamespaces: endpoint !== undefined && !isolated,
      privileged: containers.some(({ container }) => record(container.securityContext)?.privileged === true),
      hostNamespaces,
      sensitiveHostPaths: [...new Set(sensitiveHostPaths)].sort(),
      root,
      ...rights,
    };
  }

  /** What the pod's service account token may do; nothing when no token is mounted. */
  private tokenRights(spec: Json, namespace: string): Pick<Exposure, 'secretsClusterWide' | 'secretsInNamespace' | 'createPods' | 'escalate'> {
    if (spec.automountServiceAccountToken === false) return { secretsClusterWide: false, secretsInNamespace: false, createPods: false, escalate: false };
    const account = str(spec.serviceAccountName) ?? str(spec.serviceAccount) ?? 'default';
    const grants = this.rbac.grantsOf('ServiceAccount', account, namespace).filter((grant) => grant.clusterWide || grant.namespace === null || grant.namespace === namespace);
    const allows = (verb: string, group: string, resource: string, clusterWide: boolean) =>
      grants.some((grant) => (!clusterWide || grant.clusterWide) && grantAllows(grant, { verb, group, resource }));
    const readsSecrets = (clusterWide: boolean) => allows('get', '', 'secrets', clusterWide) || allows('list', '', 'secrets', clusterWide);
    return {
      secretsClusterWide: readsSecrets(true),
      secretsInNamespace: readsSecrets(false),
      createPods: allows('create', '', 'pods', false),
      escalate:
        allows('escalate', 'rbac.authorization.k8s.io', 'clusterroles', false) ||
        allows('bind', 'rbac.authorization.k8s.io', 'clusterroles', false) ||
        allows('impersonate', '', 'users', false) ||
        allows('impersonate', '', 'serviceaccounts', false),
    };
  }
}

function workloadKey(ref: ResourceRef): string {
  return `${ref.kind}\u0000${ref.namespace ?? 'default'}\u0000${ref.name ?? ''}`;
}
