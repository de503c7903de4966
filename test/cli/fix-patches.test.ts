/**
 * `kubeharden fix --patches DIR` proven with a real kustomize (built from its Go module by scripts/build-go-tool.mjs):
 * render → fix --patches → kustomize build → scan. The findings reported fixed are gone, and every object equals
 * the one `fix` edits in place, so the patches carry exactly the fixes and nothing else.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadAll } from 'js-yaml';
import { runCli, tempTree } from '../support/cli-process.js';
import { needsShared, sharedPath } from '../support/paths.js';
import { goToolBinary } from '../support/go-tool.js';

const kustomize = goToolBinary('kustomize');
const skip = typeof kustomize === 'string' ? false : kustomize.missing;

// Rendered Helm output: `# Source:` comments, two objects of one name in two namespaces, keyed lists the fixes
// write into (containers, init containers, volumes, mounts), a drop list that is replaced whole, an untouched Service.
const RENDERED = `---
# Source: shop/templates/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      initContainers:
      - name: migrate
        image: migrate@sha256:1111
      containers:
      - name: web
        image: nginx@sha256:2222
        ports:
        - containerPort: 80
        volumeMounts:
        - name: cache
          mountPath: /var/cache/nginx
      - name: sidecar
        image: busybox@sha256:3333
        securityContext:
          capabilities:
            drop: [NET_RAW]
      volumes:
      - name: cache
        emptyDir: {}
---
# Source: shop/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  ports:
  - port: 80
---
# Source: shop/templates/worker.yaml
apiVersion: v1
kind: Pod
metadata:
  name: worker
  namespace: a
spec:
  containers:
  - name: worker
    image: worker@sha256:4444
---
# Source: shop/templates/worker.yaml
apiVersion: v1
kind: Pod
metadata:
  name: worker
  namespace: b
spec:
  securityContext:
    runAsUser: 2000
  containers:
  - name: worker
    image: worker@sha256:4444
---
# Source: shop/templates/report.yaml
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: report
            image: report@sha256:5555
            securityContext: {allowPrivilegeEscalation: true}
`;

type KubeObject = { kind: string; metadata: { name: string; namespace?: string } };
const identity = (object: KubeObject) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
const byIdentity = (text: string) => new Map((loadAll(text) as KubeObject[]).filter(Boolean).map((object) => [identity(object), sortKeyedLists(object)]));

/**
 * kustomize puts the items a patch adds to a merged list (the fix's /tmp volume and mount) before the existing ones,
 * the API server after them; Kubernetes gives these lists no order, so they are compared sorted by their merge key.
 */
function sortKeyedLists<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeyedLists) as T;
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).map(([key, item]) => {
    const sorted = sortKeyedLists(item);
    const mergeKey = ({ volumes: 'name', volumeMounts: 'mountPath' } as Record<string, string>)[key];
    if (mergeKey === undefined || !Array.isArray(sorted)) return [key, sorted];
    return [key, [...(sorted as Record<string, string>[])].sort((a, b) => String(a[mergeKey]).localeCompare(String(b[mergeKey])))];
  });
  return Object.fromEntries(entries) as T;
}

/** "CONTROL Kind/ns/name field" of each finding the summary reports fixed. */
function reportedFixed(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((line) => /^fixed \((?:safe|review)\): (\S+) (\S+) \S+ (\S+):/.exec(line))
    .filter((match) => match !== null)
    .map((match) => `${match[1]} ${match[2]} ${match[3]}`);
}

function kustomizeBuild(dir: string): string {
  const built = spawnSync(kustomize as string, ['build', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(built.status, 0, built.stderr);
  return built.stdout;
}

/**
 * `kustomize build` of DIR/overlay, re-scanned: none of `fixed` is left, and every object equals the in-place fix
 * (`fix --output-dir`) of DIR/INPUT. Gives kustomize's objects.
 */
function buildAndCompare(dir: string, input: string, fixed: readonly string[]): Map<string, KubeObject> {
  const built = kustomizeBuild(join(dir, 'overlay'));
  writeFileSync(join(dir, 'built.yaml'), built);
  const rescan = runCli(['scan', '--format', 'json', '--fail-on', 'none', 'built.yaml'], { cwd: dir });
  assert.equal(rescan.code, 0, rescan.stderr);
  const remaining = (JSON.parse(rescan.stdout) as { findings: { controlId: string; field: string; resource: { kind: string; namespace?: string; name: string } }[] }).findings.map(
    ({ controlId, field, resource }) => `${controlId} ${resource.kind}/${resource.namespace ? `${resource.namespace}/` : ''}${resource.name} ${field}`,
  );
  assert.deepEqual(fixed.filter((finding) => remaining.includes(finding)), [], input);
  // The in-place fix of the same input is the reference: kustomize's output must hold the same objects. It is read
  // by kustomize too (a kustomization with no patches), since kustomize reads YAML 1.1 (`0400` is octal) and
  // js-yaml YAML 1.2.
  const inPlace = runCli(['fix', '--output-dir', 'copy', input], { cwd: dir });
  assert.notEqual(inPlace.code, 2, inPlace.stderr);
  writeFileSync(join(dir, 'copy', 'kustomization.yaml'), `resources: [${input}]\n`);
  const expected = byIdentity(kustomizeBuild(join(dir, 'copy')));
  const actual = byIdentity(built);
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), input);
  for (const [key, object] of expected) assert.deepEqual(actual.get(key), object, `${input}: ${key}`);
  return actual;
}

describe('kubeharden fix --patches', () => {
  it('writes patches that a real kustomize build applies: the fixed findings are gone, the objects equal the in-place fix', { skip }, (t) => {
    const dir = tempTree(t, 'fix-patches');
    writeFileSync(join(dir, 'rendered.yaml'), RENDERED);
    const patched = runCli(['fix', '--patches', 'overlay', '-'], { cwd: dir, input: RENDERED });
    assert.notEqual(patched.code, 2, patched.stderr);
    const fixed = reportedFixed(patched.stderr);
    assert.ok(fixed.length >= 10, `expected many fixes, got: ${patched.stderr}`);
    // One patch per fixed object (the Service is untouched), distinct for the two Pods of one name.
    const patchFiles = readdirSync(join(dir, 'overlay')).filter((name) => !['kustomization.yaml', 'rendered.yaml'].includes(name)).sort();
    assert.deepEqual(patchFiles, ['cronjob-report.yaml', 'deployment-shop-web.yaml', 'pod-a-worker.yaml', 'pod-b-worker.yaml']);
    // Only fixed fields and the identity: no image, selector, labels or ports travel in a patch.
    for (const file of patchFiles) {
      const text = readFileSync(join(dir, 'overlay', file), 'utf8');
      assert.doesNotMatch(text, /image:|selector:|labels:|containerPort|schedule:/, `${file}:\n${text}`);
    }

    const actual = buildAndCompare(dir, 'rendered.yaml', fixed);
    assert.deepEqual(actual.get('Service/shop/web'), byIdentity(RENDERED).get('Service/shop/web'));
  });

  it('every rendered Helm file of the real-world corpus: kustomize applies the patches, the fixes hold, nothing else changes', { skip: skip || needsShared }, (t) => {
    const corpus = sharedPath('corpus', 'real-world');
    const rendered = (readdirSync(corpus, { recursive: true }) as string[]).filter((name) => /\.ya?ml$/.test(name) && /^# Source:/m.test(readFileSync(join(corpus, name), 'utf8'))).sort();
    assert.ok(rendered.length >= 10, `rendered Helm files found: ${rendered.length}`);
    let patches = 0;
    let fixes = 0;
    for (const name of rendered) {
      const dir = tempTree(t, 'fix-patches-corpus');
      writeFileSync(join(dir, 'rendered.yaml'), readFileSync(join(corpus, name)));
      const patched = runCli(['fix', '--patches', 'overlay', 'rendered.yaml'], { cwd: dir });
      assert.notEqual(patched.code, 2, `${name}: ${patched.stderr}`);
      const fixed = reportedFixed(patched.stderr);
      buildAndCompare(dir, 'rendered.yaml', fixed);
      patches += readdirSync(join(dir, 'overlay')).length - 2;
      fixes += fixed.length;
    }
    t.diagnostic(`${rendered.length} rendered files, ${patches} patches, ${fixes} findings fixed`);
    assert.ok(fixes > 0 && patches > 0);
  });

  it('refuses --patches with --write and a resource outside the folder', () => {
    const both = runCli(['fix', '--patches', 'out', '--write', 'x.yaml']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /one of --write, --output-dir and --patches/);
    const outside = runCli(['fix', '--patches', 'out', '--patches-resource', '../x.yaml', 'x.yaml']);
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /inside the patches folder/);
  });
});
