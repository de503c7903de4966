/**
 * Inputs for the memory benchmark: many findings from simple, reproducible inputs.
 * - Pods as one JSON List (what `kubectl get pods -A -o json` gives), as multi-document YAML files of 1,000 Pods
 *   and as one multi-document YAML file. Each Pod
 *   has two containers without a security context, so every Pod has about a dozen findings.
 * - An audit log in which every event is a finding: `kubectl exec` sessions (AUDIT-EXEC-INTO-POD), one
 *   ResponseComplete line each.
 * Files are written once into `.bench/memory/` and reused.
 */
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

/** Bump when the generated content changes, so old files are not reused. */
const VERSION = 1;
const PODS_PER_YAML_FILE = 1000;
const FLUSH_BYTES = 4 << 20;

function pod(index: number): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `app-${index}`, namespace: `team-${index % 50}`, labels: { app: `app-${index % 1000}` } },
    spec: {
      containers: [
        { name: 'app', image: `registry.example.com/app:1.${index % 10}`, ports: [{ containerPort: 8080 }] },
        { name: 'sidecar', image: 'busybox', command: ['sh', '-c', 'sleep 3600'] },
      ],
    },
  };
}

/** Writes text pieces to a file in large batches; the file gets its name only once complete. */
async function writeFileInPieces(path: string, pieces: Iterable<string>): Promise<void> {
  const partial = `${path}.partial`;
  const file = await open(partial, 'w');
  try {
    let pending: string[] = [];
    let bytes = 0;
    for (const piece of pieces) {
      pending.push(piece);
      bytes += piece.length;
      if (bytes >= FLUSH_BYTES) {
        await file.write(pending.join(''));
        pending = [];
        bytes = 0;
      }
    }
    await file.write(pending.join(''));
  } finally {
    await file.close();
  }
  renameSync(partial, path);
}

/** `count` Pods as one `v1/List` in a JSON file (kubectl's layout: two-space indentation). */
export async function podJsonList(dir: string, count: number): Promise<string> {
  const path = join(dir, `pods-${count}-v${VERSION}.json`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  function* pieces(): Generator<string> {
    yield '{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": [\n';
    for (let index = 0; index < count; index++) {
      yield `    ${JSON.stringify(pod(index), null, 2).replace(/\n/g, '\n    ')}${index + 1 < count ? ',' : ''}\n`;
    }
    yield '  ],\n  "metadata": {\n    "resourceVersion": ""\n  }\n}\n';
  }
  await writeFileInPieces(path, pieces());
  return path;
}

/** `count` Pods as YAML documents, PODS_PER_YAML_FILE to a file, in a folder. */
export async function podYamlFolder(dir: string, count: number): Promise<string> {
  const folder = join(dir, `pods-${count}-yaml-v${VERSION}`);
  const done = join(folder, '.complete');
  if (existsSync(done)) return folder;
  mkdirSync(folder, { recursive: true });
  for (let start = 0; start < count; start += PODS_PER_YAML_FILE) {
    const end = Math.min(count, start + PODS_PER_YAML_FILE);
    function* pieces(): Generator<string> {
      for (let index = start; index < end; index++) yield `---\n${yamlPod(index)}`;
    }
    await writeFileInPieces(join(folder, `pods-${String(start).padStart(7, '0')}.yaml`), pieces());
  }
  await writeFileInPieces(done, ['']);
  return folder;
}

/** `count` Pods as one multi-document YAML file (what `helm template` or a bundle gives). */
export async function podYamlStream(dir: string, count: number): Promise<string> {
  const path = join(dir, `pods-${count}-stream-v${VERSION}.yaml`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  function* pieces(): Generator<string> {
    for (let index = 0; index < count; index++) yield `---\n${yamlPod(index)}`;
  }
  await writeFileInPieces(path, pieces());
  return path;
}

function yamlPod(index: number): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: app-${index}`,
    `  namespace: team-${index % 50}`,
    '  labels:',
    `    app: app-${index % 1000}`,
    'spec:',
    '  containers:',
    '  - name: app',
    `    image: registry.example.com/app:1.${index % 10}`,
    '    ports:',
    '    - containerPort: 8080',
    '  - name: sidecar',
    '    image: busybox',
    '    command: ["sh", "-c", "sleep 3600"]',
    '',
  ].join('\n');
}

/** An audit log of about `sizeMb` MB of `kubectl exec` sessions: every event is an AUDIT-EXEC-INTO-POD finding. */
export async function execAuditLog(dir: string, sizeMb: number): Promise<string> {
  const path = join(dir, `audit-exec-${sizeMb}mb-v${VERSION}.log`);
  if (existsSync(path) && statSync(path).size >= sizeMb * 1e6) return path;
  mkdirSync(dir, { recursive: true });
  const target = sizeMb * 1e6;
  function* pieces(): Generator<string> {
    const start = Date.UTC(2026, 10, 1);
    for (let index = 0, written = 0; written < target; index++) {
      const namespace = `team-${index % 50}`;
      const name = `app-${index % 200_000}`;
      const user = `dev-${index % 300}@example.com`;
      const time = new Date(start + index * 37).toISOString();
      const line = `${JSON.stringify({
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        level: 'Metadata',
        auditID: `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`,
        stage: 'ResponseComplete',
        requestURI: `/api/v1/namespaces/${namespace}/pods/${name}/exec?command=sh&container=app&stdin=true&stdout=true&tty=true`,
        verb: 'create',
        user: { username: user, groups: ['developers', 'system:authenticated'] },
        sourceIPs: [`192.168.${index % 4}.${index % 250}`],
        userAgent: 'kubectl/v1.31.0 (darwin/arm64) kubernetes/9b3ab8e',
        objectRef: { resource: 'pods', namespace, name, apiVersion: 'v1', subresource: 'exec' },
        responseStatus: { metadata: {}, code: 101 },
        requestReceivedTimestamp: time,
        stageTimestamp: time,
        annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': `RBAC: allowed by ClusterRoleBinding "developers" of ClusterRole "edit" to Group "developers"` },
      })}\n`;
      written += line.length;
      yield line;
    }
  }
  await writeFileInPieces(path, pieces());
  return path;
}
