/**
 * A fixed, realistic request mix for measuring audit volume against the real API server: a team deploying an app
 * (writes), controllers and dashboards reading and watching (most of the volume), secrets read, exec attempts, RBAC
 * changes, a privileged pod, and an attacker's forbidden and unauthenticated probing. The same mix runs under each
 * policy, so the bytes the API server writes are comparable.
 */
import { readFileSync } from 'node:fs';
import { detectInLogs } from '../../src/audit/detect/detect.js';
import { DEFAULT_DETECTION_SETTINGS } from '../../src/audit/detect/rule.js';
import { DETECTION_RULES } from '../../src/audit/detect/rules/index.js';
import type { InputError } from '../../src/loader/source.js';
import type { ApiResponse, Cluster } from './cluster-harness.js';

/** Users the mix needs besides the harness's admin: a developer with edit rights, a controller, an intruder. */
export const TRAFFIC_USERS = {
  dev: { groups: ['developers'] },
  'system:serviceaccount:kube-system:replicaset-controller': { groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system'] },
  mallory: {},
} as const;

export const NAMESPACE = 'shop';
/** A value that must never appear in a log that keeps Secrets at Metadata. */
export const SECRET_VALUE = 'hunter2-correct-horse-battery-staple';

export interface TrafficSummary {
  readonly requests: number;
  readonly byStatus: Record<string, number>;
}

export async function driveAuditTraffic(cluster: Cluster): Promise<TrafficSummary> {
  const byStatus: Record<string, number> = {};
  let requests = 0;
  const send = async (user: string | null, method: string, path: string, body?: unknown): Promise<ApiResponse> => {
    const response = await cluster.request(user, method, path, body);
    requests++;
    byStatus[response.status] = (byStatus[response.status] ?? 0) + 1;
    return response;
  };
  const core = `/api/v1/namespaces/${NAMESPACE}`;
  const apps = `/apis/apps/v1/namespaces/${NAMESPACE}`;
  const rbac = '/apis/rbac.authorization.k8s.io/v1';

  await cluster.createNamespace(NAMESPACE);
  // Access for the developer and the controller, as a platform team would grant it. (The built-in edit and view roles
  // are aggregated by kube-controller-manager, which the harness does not run, so the rules are spelled out.)
  await send('admin', 'POST', `${rbac}/clusterroles`, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'shop-developer' },
    rules: [
      { apiGroups: ['', 'apps'], resources: ['pods', 'pods/exec', 'pods/portforward', 'services', 'configmaps', 'secrets', 'deployments'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
    ],
  });
  await send('admin', 'POST', `${rbac}/namespaces/${NAMESPACE}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'developers' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'shop-developer' },
    subjects: [{ kind: 'Group', name: 'developers', apiGroup: 'rbac.authorization.k8s.io' }],
  });
  await send('admin', 'POST', `${rbac}/clusterroles`, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'workload-reader' },
    rules: [{ apiGroups: ['', 'apps'], resources: ['pods', 'deployments', 'configmaps'], verbs: ['get', 'list', 'watch'] }],
  });
  await send('admin', 'POST', `${rbac}/clusterrolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'controller-reads' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'workload-reader' },
    subjects: [{ kind: 'User', name: 'system:serviceaccount:kube-system:replicaset-controller', apiGroup: 'rbac.authorization.k8s.io' }],
  });

  // The team deploys: config, secrets, deployments, services, pods.
  for (let i = 0; i < 20; i++) {
    await send('dev', 'POST', `${core}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `config-${i}` }, data: { 'app.properties': `feature.${i}=on\n`.repeat(20) } });
  }
  for (let i = 0; i < 10; i++) {
    await send('dev', 'POST', `${core}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: `secret-${i}` }, stringData: { password: `${SECRET_VALUE}-${i}` } });
  }
  for (let i = 0; i < 5; i++) {
    await send('dev', 'POST', `${apps}/deployments`, deployment(`web-${i}`));
    await send('dev', 'POST', `${core}/services`, service(`web-${i}`, i === 4 ? 'NodePort' : 'ClusterIP'));
  }
  for (let i = 0; i < 8; i++) await send('dev', 'POST', `${core}/pods`, pod(`worker-${i}`, {}));
  await send('admin', 'POST', `${core}/pods`, pod('debug-privileged', { privileged: true }));
  await send('admin', 'POST', `${core}/pods`, pod('debug-hostnetwork', { hostNetwork: true }));

  // Day-to-day: updates, and a lot of reading and watching by controllers and people.
  for (let i = 0; i < 40; i++) {
    await send('dev', 'PATCH', `${core}/configmaps/config-${i % 20}`, { data: { revision: String(i) } });
  }
  for (let i = 0; i < 10; i++) await send('dev', 'PATCH', `${apps}/deployments/web-${i % 5}`, { spec: { replicas: 2 + (i % 3) } });
  const controller = 'system:serviceaccount:kube-system:replicaset-controller';
  for (let i = 0; i < 60; i++) {
    await send(controller, 'GET', '/api/v1/pods');
    await send(controller, 'GET', '/apis/apps/v1/deployments');
    await send(controller, 'GET', '/api/v1/configmaps');
  }
  for (let i = 0; i < 10; i++) await send(controller, 'GET', '/api/v1/pods?watch=true&timeoutSeconds=1');
  for (let i = 0; i < 100; i++) await send('dev', 'GET', `${core}/pods/worker-${i % 8}`);
  for (let i = 0; i < 30; i++) await send('dev', 'GET', `${core}/secrets/secret-${i % 10}`);
  for (let i = 0; i < 5; i++) await send('dev', 'GET', `${core}/secrets`);
  for (let i = 0; i < 40; i++) await send('dev', 'GET', '/healthz');

  // Attempts to run commands in containers (the pods never start: there is no kubelet, so these fail after audit).
  for (let i = 0; i < 3; i++) await send('dev', 'POST', `${core}/pods/worker-${i}/exec?command=sh&command=-c&command=id&stdout=true`);
  await send('dev', 'POST', `${core}/pods/worker-0/portforward?ports=5432`);

  // Privilege changes: a wildcard role, and a binding to cluster-admin.
  await send('admin', 'POST', `${rbac}/clusterroles`, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'everything' },
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  });
  await send('admin', 'POST', `${rbac}/clusterrolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'mallory-admin' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'User', name: 'mallory', apiGroup: 'rbac.authorization.k8s.io' }],
  });
  await send('admin', 'DELETE', `${rbac}/clusterrolebindings/mallory-admin`);

  // An intruder with a stolen low-privilege token enumerates secrets, then a scanner without credentials probes.
  for (let i = 0; i < 30; i++) await send('nobody', 'GET', i % 2 === 0 ? '/api/v1/secrets' : `/api/v1/namespaces/kube-system/secrets/secret-${i}`);
  for (let i = 0; i < 30; i++) await send(null, 'GET', i % 3 === 0 ? '/api/v1/namespaces/kube-system/secrets' : '/api/v1/pods');
  return { requests, byStatus };
}

function deployment(name: string): object {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels: { app: name } },
    spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec({}) } },
  };
}

function service(name: string, type: string): object {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type, selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } };
}

function pod(name: string, options: { privileged?: boolean; hostNetwork?: boolean }): object {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name } }, spec: podSpec(options) };
}

function podSpec(options: { privileged?: boolean; hostNetwork?: boolean }): object {
  return {
    automountServiceAccountToken: false,
    ...(options.hostNetwork ? { hostNetwork: true } : {}),
    containers: [{
      name: 'app',
      image: 'registry.example.com/shop/web:1.4.2',
      ports: [{ containerPort: 8080 }],
      resources: { limits: { cpu: '500m', memory: '256Mi' } },
      ...(options.privileged ? { securityContext: { privileged: true } } : {}),
    }],
  };
}

/** What the API server wrote: bytes, events, and events per stage and level. */
export interface LogVolume {
  readonly bytes: number;
  readonly events: number;
  readonly byStage: Record<string, number>;
  readonly byLevel: Record<string, number>;
}

export function measureText(text: string): LogVolume {
  const byStage: Record<string, number> = {};
  const byLevel: Record<string, number> = {};
  let events = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const event = JSON.parse(line) as { stage?: string; level?: string };
    events++;
    byStage[event.stage ?? '?'] = (byStage[event.stage ?? '?'] ?? 0) + 1;
    byLevel[event.level ?? '?'] = (byLevel[event.level ?? '?'] ?? 0) + 1;
  }
  return { bytes: Buffer.byteLength(text), events, byStage, byLevel };
}

export interface PolicyMeasurement {
  readonly traffic: TrafficSummary;
  readonly volume: LogVolume;
  /** The audit log's text, kept for detection runs after the cluster is gone. */
  readonly log: string;
}

/** Starts a hardened API server with POLICY, drives the mix, stops it, and measures what it wrote. */
export async function measurePolicy(policyYaml: string): Promise<PolicyMeasurement | { skip: string }> {
  const { startCluster } = await import('./cluster-harness.js');
  const cluster = await startCluster({ profile: 'hardened', auditPolicy: policyYaml, users: TRAFFIC_USERS });
  if ('skip' in cluster) return cluster;
  try {
    // Bytes before the mix are the API server's own start-up (bootstrap RBAC, priority classes): not the mix.
    const before = Buffer.byteLength(readFileSync(cluster.auditLogPath, 'utf8'));
    const traffic = await driveAuditTraffic(cluster);
    const full = readFileSync(cluster.auditLogPath, 'utf8');
    const log = Buffer.from(full).subarray(before).toString('utf8');
    return { traffic, volume: measureText(log), log };
  } finally {
    await cluster.stop();
  }
}

/** Runs the built-in detections over a log written to PATH; findings counted per rule id, with the input errors. */
export async function detectionCounts(path: string): Promise<{ counts: Map<string, number>; errors: InputError[] }> {
  const errors: InputError[] = [];
  const run = await detectInLogs([path], DETECTION_RULES, DEFAULT_DETECTION_SETTINGS, errors);
  const counts = new Map<string, number>();
  for (const finding of run.findings) counts.set(finding.controlId, (counts.get(finding.controlId) ?? 0) + 1);
  return { counts, errors };
}
