/**
 * Writes a synthetic but realistic kube-apiserver audit log (JSON lines, audit.k8s.io/v1) for the `audit detect`
 * benchmark. The mix follows what a busy cluster's log is made of: controllers and kubelets reading and watching,
 * leader-election lease updates, both RequestReceived and ResponseComplete stages, a few pod creations with request
 * bodies, secret reads, exec sessions, forbidden requests and anonymous health checks. A seeded generator keeps
 * the file the same from run to run, so figures are comparable.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';

/** Bump when the mix changes, so a log written by an older generator is not reused. */
const GENERATOR_VERSION = 2;
const FLUSH_BYTES = 4 << 20;

export interface GeneratedLog {
  readonly path: string;
  readonly bytes: number;
  readonly reused: boolean;
}

/** Returns a log of at least `sizeMb` MB in `dir`, writing it only when no complete one is there yet. */
export async function ensureAuditLog(dir: string, sizeMb: number): Promise<GeneratedLog> {
  const path = join(dir, `audit-${sizeMb}mb-v${GENERATOR_VERSION}.log`);
  if (existsSync(path) && statSync(path).size >= sizeMb * 1e6) return { path, bytes: statSync(path).size, reused: true };
  await mkdir(dir, { recursive: true });
  const partial = `${path}.partial`; // renamed only when complete, so an interrupted run is never mistaken for a log
  const file = await open(partial, 'w');
  const target = sizeMb * 1e6;
  const mix = new ClusterTraffic(0x5eed);
  let written = 0;
  try {
    let pending: string[] = [];
    let pendingBytes = 0;
    while (written + pendingBytes < target) {
      for (const line of mix.nextRequest()) {
        pending.push(line);
        pendingBytes += line.length; // the generator writes ASCII only, so characters are bytes
      }
      if (pendingBytes >= FLUSH_BYTES) {
        await file.write(pending.join(''));
        written += pendingBytes;
        pending = [];
        pendingBytes = 0;
      }
    }
    if (pending.length > 0) await file.write(pending.join(''));
    written += pendingBytes;
  } finally {
    await file.close();
  }
  await rename(partial, path);
  return { path, bytes: written, reused: false };
}

/** xorshift32: fast, seedable, good enough to vary names and pick request kinds. */
class Random {
  constructor(private state: number) {}
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.below(0x1_0000_0000).toString(16).padStart(8, '0');
    return out.slice(0, length);
  }
}

const NAMESPACES = ['default', 'kube-system', 'monitoring', 'payments', 'checkout', 'search', 'ingress-nginx', 'cert-manager', 'logging', 'data'];
const NODES = Array.from({ length: 40 }, (_, i) => `ip-10-0-${Math.floor(i / 8)}-${20 + i}.ec2.internal`);
const CONTROLLERS = ['deployment-controller', 'replicaset-controller', 'endpointslice-controller', 'namespace-controller', 'job-controller', 'daemon-set-controller', 'statefulset-controller', 'horizontal-pod-autoscaler', 'generic-garbage-collector'];
const WATCHED = ['pods', 'services', 'endpoints', 'configmaps', 'nodes', 'namespaces', 'deployments', 'replicasets', 'leases', 'events'];
const CLUSTER_SCOPED = new Set(['nodes', 'namespaces', 'clusterroles']);
const GROUP_OF: Record<string, string> = { deployments: 'apps', replicasets: 'apps', leases: 'coordination.k8s.io', endpointslices: 'discovery.k8s.io' };
const HUMANS = ['alice@example.com', 'bob@example.com', 'carol@example.com', 'deploy-bot'];
const IMAGES = ['nginx:1.27', 'registry.example.com/payments/api:4.2.1', 'redis:7.2', 'busybox:1.36', 'ghcr.io/example/search:2024.06'];

interface Actor {
  readonly username: string;
  readonly groups: readonly string[];
  readonly ip: string;
  readonly agent: string;
}

/** One request at a time, each as its audit lines (two stages for most, one for others). */
class ClusterTraffic {
  private readonly random: Random;
  private clock = Date.UTC(2026, 10, 1, 8, 0, 0);

  constructor(seed: number) {
    this.random = new Random(seed);
  }

  nextRequest(): string[] {
    this.clock += this.random.below(4); // about 500 requests a second
    const roll = this.random.below(1000);
    if (roll < 330) return this.controllerRead();
    if (roll < 560) return this.kubeletRead();
    if (roll < 700) return this.leaseUpdate();
    if (roll < 800) return this.watch();
    if (roll < 850) return this.statusPatch();
    if (roll < 880) return this.podCreate();
    if (roll < 910) return this.secretGet();
    if (roll < 925) return this.exec();
    if (roll < 960) return this.forbidden();
    return this.anonymousHealthz();
  }

  private controllerRead(): string[] {
    const controller = this.random.pick(CONTROLLERS);
    const actor: Actor = { username: `system:serviceaccount:kube-system:${controller}`, groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'], ip: '10.0.0.12', agent: `kube-controller-manager/v1.31.4 (linux/amd64) kubernetes/a78aa47/${controller}` };
    const resource = this.random.pick(WATCHED);
    const namespace = CLUSTER_SCOPED.has(resource) ? '' : this.random.pick(NAMESPACES);
    const name = `${resource.slice(0, -1)}-${this.random.hex(5)}`;
    const verb = this.random.below(3) === 0 ? 'list' : 'get';
    return this.request({ actor, verb, resource, namespace, name: verb === 'get' ? name : '', code: verb === 'get' && this.random.below(10) === 0 ? 404 : 200 });
  }

  private kubeletRead(): string[] {
    const node = this.random.pick(NODES);
    const actor: Actor = { username: `system:node:${node}`, groups: ['system:nodes', 'system:authenticated'], ip: `10.0.${this.random.below(5)}.${20 + this.random.below(40)}`, agent: `kubelet/v1.31.4 (linux/amd64) kubernetes/a78aa47` };
    const resource = this.random.pick(['configmaps', 'secrets', 'pods', 'nodes', 'services']);
    const namespace = CLUSTER_SCOPED.has(resource) ? '' : this.random.pick(NAMESPACES);
    const name = resource === 'nodes' ? node : `${resource.slice(0, -1)}-${this.random.hex(6)}`;
    return this.request({ actor, verb: 'get', resource, namespace, name, code: 200 });
  }

  private leaseUpdate(): string[] {
    const node = this.random.pick(NODES);
    const actor: Actor = { username: `system:node:${node}`, groups: ['system:nodes', 'system:authenticated'], ip: `10.0.${this.random.below(5)}.${20 + this.random.below(40)}`, agent: 'kubelet/v1.31.4 (linux/amd64) kubernetes/a78aa47' };
    const body = { kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', metadata: { name: node, namespace: 'kube-node-lease', resourceVersion: String(1_000_000 + this.random.below(9_000_000)) }, spec: { holderIdentity: node, leaseDurationSeconds: 40, renewTime: this.time(0) } };
    return this.request({ actor, verb: 'update', resource: 'leases', namespace: 'kube-node-lease', name: node, code: 200, level: 'RequestResponse', requestObject: body, responseObject: body });
  }

  private watch(): string[] {
    const actor: Actor = { username: 'system:kube-scheduler', groups: ['system:authenticated'], ip: '10.0.0.12', agent: 'kube-scheduler/v1.31.4 (linux/amd64) kubernetes/a78aa47/scheduler' };
    const resource = this.random.pick(WATCHED);
    return this.request({ actor, verb: 'watch', resource, namespace: '', name: '', code: 200, query: `?allowWatchBookmarks=true&resourceVersion=${this.random.below(9_000_000)}&timeout=7m${this.random.below(60)}s&watch=true` });
  }

  private statusPatch(): string[] {
    const node = this.random.pick(NODES);
    const actor: Actor = { username: `system:node:${node}`, groups: ['system:nodes', 'system:authenticated'], ip: `10.0.${this.random.below(5)}.${20 + this.random.below(40)}`, agent: 'kubelet/v1.31.4 (linux/amd64) kubernetes/a78aa47' };
    const namespace = this.random.pick(NAMESPACES);
    const patch = { status: { conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: this.time(0) }], podIP: `100.64.${this.random.below(250)}.${this.random.below(250)}` } };
    return this.request({ actor, verb: 'patch', resource: 'pods', subresource: 'status', namespace, name: `web-${this.random.hex(9)}-${this.random.hex(5)}`, code: 200, level: 'Request', requestObject: patch });
  }

  private podCreate(): string[] {
    const actor: Actor = { username: 'system:serviceaccount:kube-system:replicaset-controller', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'], ip: '10.0.0.12', agent: 'kube-controller-manager/v1.31.4 (linux/amd64) kubernetes/a78aa47/system:serviceaccount:kube-system:replicaset-controller' };
    const namespace = this.random.pick(NAMESPACES);
    const name = `web-${this.random.hex(9)}-${this.random.hex(5)}`;
    // About one creation in 200 is something a detection should flag.
    const risky = this.random.below(200);
    const securityContext = risky === 0 ? { privileged: true } : { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
    const pod = {
      kind: 'Pod', apiVersion: 'v1',
      metadata: { generateName: name.slice(0, -5), namespace, labels: { app: 'web', 'pod-template-hash': name.slice(4, 13) }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: name.slice(0, -6), uid: this.uid(), controller: true, blockOwnerDeletion: true }] },
      spec: {
        ...(risky === 1 ? { hostNetwork: true } : {}),
        ...(risky === 2 ? { volumes: [{ name: 'host', hostPath: { path: '/var/run/docker.sock', type: '' } }] } : { volumes: [{ name: 'kube-api-access', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }], defaultMode: 420 } }] }),
        containers: [{ name: 'app', image: this.random.pick(IMAGES), ports: [{ containerPort: 8080, protocol: 'TCP' }], resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } }, securityContext, terminationMessagePath: '/dev/termination-log', imagePullPolicy: 'IfNotPresent' }],
        restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', serviceAccountName: 'default', schedulerName: 'default-scheduler',
      },
    };
    return this.request({ actor, verb: 'create', resource: 'pods', namespace, name: '', code: 201, level: 'Request', requestObject: pod });
  }

  private secretGet(): string[] {
    const human = this.random.below(20) === 0;
    const actor: Actor = human
      ? { username: this.random.pick(HUMANS), groups: ['developers', 'system:authenticated'], ip: `192.168.${this.random.below(4)}.${this.random.below(250)}`, agent: 'kubectl/v1.31.0 (darwin/arm64) kubernetes/9b3ab8e' }
      : { username: `system:serviceaccount:${this.random.pick(NAMESPACES)}:default`, groups: ['system:serviceaccounts', 'system:authenticated'], ip: `100.64.${this.random.below(250)}.${this.random.below(250)}`, agent: 'Go-http-client/2.0' };
    return this.request({ actor, verb: 'get', resource: 'secrets', namespace: this.random.pick(NAMESPACES), name: `db-credentials-${this.random.below(30)}`, code: 200 });
  }

  private exec(): string[] {
    const actor: Actor = { username: this.random.pick(HUMANS), groups: ['developers', 'system:authenticated'], ip: `192.168.${this.random.below(4)}.${this.random.below(250)}`, agent: 'kubectl/v1.31.0 (darwin/arm64) kubernetes/9b3ab8e' };
    const namespace = this.random.pick(NAMESPACES);
    return this.request({ actor, verb: 'create', resource: 'pods', subresource: 'exec', namespace, name: `web-${this.random.hex(9)}-${this.random.hex(5)}`, code: 101, query: '?command=sh&container=app&stdin=true&stdout=true&tty=true' });
  }

  private forbidden(): string[] {
    const actor: Actor = { username: `system:serviceaccount:${this.random.pick(NAMESPACES)}:default`, groups: ['system:serviceaccounts', 'system:authenticated'], ip: `100.64.${this.random.below(250)}.${this.random.below(250)}`, agent: 'python-requests/2.31.0' };
    const resource = this.random.pick(['secrets', 'clusterroles', 'nodes', 'pods']);
    return this.request({ actor, verb: 'list', resource, namespace: CLUSTER_SCOPED.has(resource) ? '' : 'kube-system', name: '', code: 403 });
  }

  private anonymousHealthz(): string[] {
    const actor: Actor = { username: 'system:anonymous', groups: ['system:unauthenticated'], ip: `10.0.${this.random.below(5)}.${this.random.below(250)}`, agent: 'kube-probe/1.31' };
    return this.request({ actor, verb: 'get', resource: '', namespace: '', name: '', code: 200, path: this.random.pick(['/healthz', '/livez', '/readyz']) });
  }

  private request(r: {
    actor: Actor; verb: string; resource: string; subresource?: string; namespace: string; name: string; code: number;
    level?: string; requestObject?: unknown; responseObject?: unknown; query?: string; path?: string;
  }): string[] {
    const auditID = this.uid();
    const group = GROUP_OF[r.resource] ?? '';
    const version = 'v1'; // every resource in the mix is served at v1 of its group
    const prefix = group === '' ? '/api/v1' : `/apis/${group}/${version}`;
    const uri = r.path ?? `${prefix}${r.namespace ? `/namespaces/${r.namespace}` : ''}/${r.resource}${r.name ? `/${r.name}` : ''}${r.subresource ? `/${r.subresource}` : ''}${r.query ?? ''}`;
    const objectRef = r.resource
      ? { resource: r.resource, ...(r.namespace ? { namespace: r.namespace } : {}), ...(r.name ? { name: r.name } : {}), ...(group ? { apiGroup: group } : {}), apiVersion: version, ...(r.subresource ? { subresource: r.subresource } : {}) }
      : undefined;
    const received = this.time(0);
    const level = r.level ?? 'Metadata';
    const reason = r.code === 403
      ? { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' }
      : { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': `RBAC: allowed by ClusterRoleBinding "${r.actor.username.split(':').pop()}" of ClusterRole "edit" to User "${r.actor.username}"` };
    const common = {
      kind: 'Event', apiVersion: 'audit.k8s.io/v1', level, auditID, stage: 'RequestReceived', requestURI: uri, verb: r.verb,
      user: { username: r.actor.username, ...(r.actor.username.startsWith('system:node:') ? {} : { uid: this.uid() }), groups: r.actor.groups },
      sourceIPs: [r.actor.ip], userAgent: r.actor.agent, ...(objectRef ? { objectRef } : {}),
    };
    const lines: string[] = [];
    // Read-only health checks and watches are often logged at one stage only; everything else at two.
    if (r.path === undefined) {
      lines.push(JSON.stringify({ ...common, ...(level !== 'Metadata' && r.requestObject ? { requestObject: r.requestObject } : {}), requestReceivedTimestamp: received, stageTimestamp: received }) + '\n');
    }
    const status = r.code >= 400 ? { metadata: {}, status: 'Failure', message: `${r.resource} is forbidden: User "${r.actor.username}" cannot ${r.verb} resource "${r.resource}" in API group "${group}"`, reason: 'Forbidden', details: { kind: r.resource }, code: r.code } : { metadata: {}, code: r.code };
    lines.push(JSON.stringify({
      ...common, stage: 'ResponseComplete',
      ...(level !== 'Metadata' && r.requestObject ? { requestObject: r.requestObject } : {}),
      ...(level === 'RequestResponse' && r.responseObject ? { responseObject: r.responseObject } : {}),
      responseStatus: status, requestReceivedTimestamp: received, stageTimestamp: this.time(1 + this.random.below(40)), annotations: reason,
    }) + '\n');
    return lines;
  }

  private time(offsetMs: number): string {
    return new Date(this.clock + offsetMs).toISOString().replace('Z', `${String(this.random.below(1000)).padStart(3, '0')}Z`);
  }

  private uid(): string {
    const hex = this.random.hex(32);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}
