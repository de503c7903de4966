/**
 * Mappings where scalars belong, with keys named `toString` and `valueOf` (valid YAML, and valid label keys):
 * `String()`, `Number()` and template literals throw on such a value, which ended every command that read one
 * with an internal error instead of judging the other objects.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Report } from '../../src/report/report.js';
import { runCli, tempTree } from '../support/cli-process.js';

const HOSTILE = '{toString: x, valueOf: y}';

const MANIFESTS = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: ${HOSTILE}
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels: {app: web, tier: ${HOSTILE}}
  annotations:
    container.apparmor.security.beta.kubernetes.io/c: ${HOSTILE}
    seccomp.security.alpha.kubernetes.io/pod: ${HOSTILE}
spec:
  priorityClassName: ${HOSTILE}
  securityContext:
    runAsNonRoot: ${HOSTILE}
    sysctls: [{name: ${HOSTILE}, value: "1"}]
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions: [{key: cores, operator: Gt, values: [${HOSTILE}]}]
  containers:
  - name: c
    image: nginx
    ports: [{containerPort: ${HOSTILE}, hostPort: ${HOSTILE}}]
    securityContext:
      readOnlyRootFilesystem: ${HOSTILE}
      allowPrivilegeEscalation: ${HOSTILE}
      runAsNonRoot: ${HOSTILE}
      procMount: ${HOSTILE}
      capabilities: {add: [${HOSTILE}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: LoadBalancer
  selector: {app: web, tier: ${HOSTILE}}
  externalIPs: [${HOSTILE}]
  loadBalancerSourceRanges: [${HOSTILE}]
  ports: [{port: ${HOSTILE}, targetPort: ${HOSTILE}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np, namespace: shop}
spec:
  podSelector:
    matchLabels: {app: ${HOSTILE}}
  policyTypes: [${HOSTILE}]
  ingress:
  - ports: [{port: 80, endPort: ${HOSTILE}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: r
  namespace: shop
  labels: {a: ${HOSTILE}}
rules:
- verbs: [${HOSTILE}]
  apiGroups: [""]
  resources: [pods]
---
apiVersion: v1
kind: Pod
metadata: {name: after, namespace: shop}
spec:
  containers:
  - name: c
    image: nginx
    securityContext: {privileged: true}
`;

describe('values that cannot be converted to a string or number', () => {
  it('scan judges every object and reports the privileged pod after them', (t) => {
    const root = tempTree(t, 'hostile-values');
    writeFileSync(join(root, 'all.yaml'), MANIFESTS);
    const result = runCli(['scan', join(root, 'all.yaml'), '--framework', 'all', '--format', 'json']);
    assert.doesNotMatch(result.stderr, /internal error|\n\s+at /);
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout) as Report;
    assert.ok(report.findings.some((finding) => finding.resource.name === 'after' && finding.controlId === 'POD-NO-PRIVILEGED'));
  });

  it('fix, netpol, rbac and psa plan end without an internal error', (t) => {
    const root = tempTree(t, 'hostile-values');
    const file = join(root, 'all.yaml');
    writeFileSync(file, MANIFESTS);
    for (const args of [['fix', file, '--risk', 'review'], ['netpol', 'reach', file], ['netpol', 'generate', file], ['rbac', 'who-can', 'get', 'pods', file], ['psa', 'plan', file]]) {
      const result = runCli(args);
      assert.doesNotMatch(result.stderr, /internal error|\n\s+at /, args.join(' '));
      assert.ok(result.code === 0 || result.code === 1 || result.code === 2, `${args.join(' ')}: exit code ${result.code}`);
    }
  });

  it('audit lint names a rule level that is such a mapping; audit detect names a GKE entry whose @type is one', (t) => {
    const root = tempTree(t, 'hostile-values');
    const policy = join(root, 'policy.yaml');
    writeFileSync(policy, `apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: ${HOSTILE}\n`);
    const lint = runCli(['audit', 'lint', policy, '--format', 'json']);
    assert.doesNotMatch(lint.stderr, /internal error|\n\s+at /);
    assert.equal(lint.code, 2);
    assert.match(lint.stdout, /rules\[0\]\.level: level \\"\[object Object\]\\" is not one of None, Metadata, Request, RequestResponse/);
    const log = join(root, 'gke.jsonl');
    const entry = { protoPayload: { '@type': { toString: 1, valueOf: 2 }, methodName: 'io.k8s.core.v1.pods.get' }, insertId: { toString: 1 } };
    writeFileSync(log, `${JSON.stringify(entry)}\n`);
    const detect = runCli(['audit', 'detect', log, '--format', 'json']);
    assert.doesNotMatch(detect.stderr, /internal error|\n\s+at /);
    assert.equal(detect.code, 2);
    assert.deepEqual((JSON.parse(detect.stdout) as Report).errors.map((error) => [error.line, error.message]), [[1, 'not an audit event (no kind)']]);
  });

  it('audit detect judges pod and binding bodies holding such mappings', (t) => {
    const root = tempTree(t, 'hostile-values');
    const hostile = { toString: 1, valueOf: 2 };
    const event = (resource: string, namespace: string | undefined, requestObject: unknown) => ({
      kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'RequestResponse', auditID: resource, stage: 'ResponseComplete', verb: 'create',
      requestURI: namespace ? `/api/v1/namespaces/${namespace}/${resource}` : `/apis/rbac.authorization.k8s.io/v1/${resource}`,
      user: { username: 'mallory', groups: ['system:authenticated'] }, sourceIPs: ['10.0.0.1'],
      objectRef: namespace ? { resource, namespace, apiVersion: 'v1' } : { resource, apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1' },
      responseStatus: { code: 201 }, requestReceivedTimestamp: '2024-01-01T00:00:00.000000Z', stageTimestamp: '2024-01-01T00:00:00.100000Z', requestObject,
    });
    const pod = { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p', namespace: 'kube-system' }, spec: { volumes: [{ name: hostile, hostPath: { path: hostile } }], containers: [{ name: hostile, image: hostile, securityContext: { privileged: true } }] } };
    const binding = { kind: 'ClusterRoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name: 'b' }, roleRef: { kind: 'ClusterRole', name: 'cluster-admin', apiGroup: 'rbac.authorization.k8s.io' }, subjects: [{ kind: hostile, name: hostile, namespace: hostile }] };
    const log = join(root, 'audit.jsonl');
    writeFileSync(log, `${JSON.stringify(event('pods', 'kube-system', pod))}\n${JSON.stringify(event('clusterrolebindings', undefined, binding))}\n`);
    const detect = runCli(['audit', 'detect', log, '--format', 'json']);
    assert.doesNotMatch(detect.stderr, /internal error|\n\s+at /);
    const found = new Set((JSON.parse(detect.stdout) as Report).findings.map((finding) => finding.controlId));
    assert.ok(found.has('AUDIT-PRIVILEGED-POD') && found.has('AUDIT-CLUSTER-ADMIN-BINDING'), [...found].join(', '));
  });
});
