/** `kubeharden scan` judges control-plane components run by ordinary manifests with the node's component controls. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { CONTROLS } from '../../src/controls/index.js';
import type { Report } from '../../src/report/report.js';
import { runCli } from '../support/cli-process.js';
import { needsShared, sharedPath } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';

const COMPONENT_CONTROLS = new Map(CONTROLS.flatMap((control) => (control.scope === 'component' ? [[control.meta.id, control.components] as const] : [])));

function scan(t: TestContext, manifest: string, ...args: string[]): { report: Report; file: string; lines: string[]; code: number | null } {
  const dir = tempDir('scan-control-plane', t);
  const file = join(dir, 'control-plane.yaml');
  writeFileSync(file, manifest);
  const result = runCli(['scan', file, '--format', 'json', ...args]);
  assert.ok(result.stdout.startsWith('{'), result.stderr);
  return { report: JSON.parse(result.stdout) as Report, file, lines: manifest.split('\n'), code: result.code };
}

/** The component controls a report ran, by the components they judge. */
function componentControlsRun(report: Report): Set<string> {
  return new Set(report.summary.controls.run.flatMap((id) => COMPONENT_CONTROLS.get(id) ?? []));
}

const APISERVER_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hosted-apiserver
  namespace: tenant-a
spec:
  selector:
    matchLabels: {app: apiserver}
  template:
    metadata:
      labels: {app: apiserver}
    spec:
      containers:
      - name: apiserver
        image: registry.k8s.io/kube-apiserver:v1.30.2
        command: [/usr/local/bin/kube-apiserver]
        args:
        - --anonymous-auth=true
        - --token-auth-file=/etc/kubernetes/tokens.csv
        - --authorization-mode=AlwaysAllow
`;

describe('kubeharden scan: control-plane components in manifests', () => {
  it('a Deployment running kube-apiserver gets the API server controls, at the lines of its flags', (t) => {
    const { report, file, lines, code } = scan(t, APISERVER_DEPLOYMENT);
    assert.equal(code, 1);
    const at = (id: string) => report.findings.filter((f) => f.controlId === id).map((f) => [f.resource.kind, f.resource.name, f.location.file, lines[f.location.line - 1]?.trim(), f.field]);
    assert.deepEqual(at('CP-APISERVER-ANONYMOUS-AUTH'), [['Deployment', 'hosted-apiserver', file, '- --anonymous-auth=true', 'spec.template.spec.containers[0].args[0] (--anonymous-auth)']]);
    assert.deepEqual(at('CP-APISERVER-NO-TOKEN-AUTH-FILE'), [['Deployment', 'hosted-apiserver', file, '- --token-auth-file=/etc/kubernetes/tokens.csv', 'spec.template.spec.containers[0].args[1] (--token-auth-file)']]);
    assert.deepEqual(at('CP-APISERVER-AUTHZ-NOT-ALWAYSALLOW').map((f) => f[3]), ['- --authorization-mode=AlwaysAllow']);
    // A missing flag points at the list it belongs in.
    assert.deepEqual(at('CP-APISERVER-PROFILING').map((f) => [f[3], f[4]]), [['args:', 'spec.template.spec.containers[0].args (--profiling)']]);
    assert.deepEqual([...componentControlsRun(report)], ['kube-apiserver'], 'only the controls of the component the input holds');
    const scores = report.summary.score.controls ?? [];
    const anonymous = scores.find((s) => s.id === 'CP-APISERVER-ANONYMOUS-AUTH');
    assert.deepEqual(anonymous && [anonymous.assessed, anonymous.failed], [1, 1]);
  });

  it('DaemonSets, StatefulSets and kubeadm Pods: each container by the binary it runs, wrappers looked through', (t) => {
    const manifest = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: scheduler, namespace: kube-system}
spec:
  template:
    spec:
      containers:
      - name: kube-apiserver
        command: [/go-runner, --log-file=/var/log/kube-scheduler.log, /usr/local/bin/kube-scheduler]
        args: [--profiling=true, --bind-address=0.0.0.0]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: etcd, namespace: kube-system}
spec:
  template:
    spec:
      containers:
      - name: etcd
        command: [etcd, --auto-tls=true, --client-cert-auth=false]
---
apiVersion: v1
kind: Pod
metadata: {name: kube-controller-manager-cp1, namespace: kube-system, labels: {component: kube-controller-manager}}
spec:
  containers:
  - name: kube-controller-manager
    command: [kube-controller-manager, --profiling=false, --use-service-account-credentials=true, --bind-address=127.0.0.1]
`;
    const { report, lines } = scan(t, manifest);
    const byResource = (name: string) => [...new Set(report.findings.filter((f) => f.resource.name === name && COMPONENT_CONTROLS.has(f.controlId)).map((f) => f.controlId))].sort();
    assert.deepEqual(byResource('scheduler'), ['CP-SCHED-BIND-LOCALHOST', 'CP-SCHED-PROFILING'], 'the command runs the scheduler, whatever the container is called');
    assert.ok(byResource('etcd').includes('ETCD-CLIENT-CERT-AUTH') && byResource('etcd').includes('ETCD-NO-AUTO-TLS'), byResource('etcd').join());
    const autoTls = report.findings.find((f) => f.controlId === 'ETCD-NO-AUTO-TLS');
    assert.match(lines[(autoTls?.location.line ?? 0) - 1] ?? '', /--auto-tls=true/);
    assert.deepEqual([...componentControlsRun(report)].sort(), ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].filter((name) => name !== 'kube-apiserver'));
    const managerScores = (report.summary.score.controls ?? []).filter((s) => (COMPONENT_CONTROLS.get(s.id) ?? []).includes('kube-controller-manager'));
    assert.ok(managerScores.length > 0 && managerScores.every((s) => s.status === 'passed' || s.id === 'CP-CM-SA-PRIVATE-KEY' || s.id === 'CP-CM-ROOT-CA'), JSON.stringify(managerScores));
  });

  it('ordinary workloads: no component control runs or counts as not assessed', (t) => {
    const { report } = scan(t, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: etcd\n        image: bitnami/etcd\n        command: [etcdctl, get, /]\n');
    assert.deepEqual([...componentControlsRun(report)], []);
    assert.ok(!(report.summary.score.controls ?? []).some((s) => COMPONENT_CONTROLS.has(s.id)));
  });

  it('component controls keep their version gates and the exceptions of the manifest', (t) => {
    const old = scan(t, APISERVER_DEPLOYMENT.replace('--anonymous-auth=true', '--basic-auth-file=/etc/kubernetes/users.csv'), '-k', '1.18');
    assert.ok(old.report.findings.some((f) => f.controlId === 'CP-APISERVER-NO-TOKEN-AUTH-FILE' && /--basic-auth-file/.test(f.message)));
    assert.ok(!old.report.findings.some((f) => f.controlId === 'CP-APISERVER-REMOVED-FLAGS'), 'nothing is removed yet in 1.18');
    const removed = scan(t, APISERVER_DEPLOYMENT.replace('--anonymous-auth=true', '--insecure-port=0'), '-k', '1.30');
    assert.deepEqual(removed.report.findings.filter((f) => f.controlId === 'CP-APISERVER-REMOVED-FLAGS').map((f) => f.field), ['spec.template.spec.containers[0].args[0] (--insecure-port)']);
    const excepted = scan(
      t,
      APISERVER_DEPLOYMENT.replace('  namespace: tenant-a\n', '  namespace: tenant-a\n  annotations:\n    kubeharden.io/ignore: "CP-APISERVER-ANONYMOUS-AUTH: health checks of the load balancer, owner platform-team"\n'),
    );
    assert.deepEqual(excepted.report.errors, []);
    const anonymous = excepted.report.findings.filter((f) => f.controlId === 'CP-APISERVER-ANONYMOUS-AUTH');
    assert.equal(anonymous.length, 1);
    assert.ok(anonymous[0]?.suppression, 'suppressed by the annotation, and still shown');
  });
});

describe('kubeharden scan: kubeadm control-plane Pods in the real-world corpus', { skip: needsShared }, () => {
  // minikube's `kubectl get pods -A -o yaml`, kept by netpol-analyzer's tests: the four kubeadm static pods each.
  const files = ['netpol/netpol-analyzer/tests/services/pods_list.yaml', 'netpol/netpol-analyzer/tests/minikube_resources/pods.yaml'];
  for (const relative of files) {
    it(relative, () => {
      const result = runCli(['scan', sharedPath('corpus', relative), '--format', 'json', '-k', '1.23']);
      const report = JSON.parse(result.stdout) as Report;
      assert.deepEqual([...componentControlsRun(report)].sort(), ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']);
      const judged = (report.summary.score.controls ?? []).filter((s) => COMPONENT_CONTROLS.has(s.id));
      // The EncryptionConfiguration the flag names is on the host, not in the manifest: not assessed, never passed.
      assert.deepEqual(judged.filter((s) => s.assessed !== 1).map((s) => [s.id, s.status]), [['ENC-SECRETS-KMS', 'not-assessed']]);
      assert.ok(judged.length >= 29, 'one Pod per component, each judged by its controls');
      const failed = report.findings.filter((f) => COMPONENT_CONTROLS.has(f.controlId)).map((f) => `${f.resource.name} ${f.controlId}`);
      assert.deepEqual([...new Set(failed)].sort(), [
        'kube-apiserver-minikube AUD-APISERVER-AUDIT-LOG',
        'kube-apiserver-minikube CP-APISERVER-ALWAYS-PULL-IMAGES',
        'kube-apiserver-minikube CP-APISERVER-ANONYMOUS-AUTH',
        'kube-apiserver-minikube CP-APISERVER-EVENT-RATE-LIMIT',
        'kube-apiserver-minikube CP-APISERVER-EXTERNAL-AUTHN',
        'kube-apiserver-minikube CP-APISERVER-KUBELET-CA',
        'kube-apiserver-minikube CP-APISERVER-PROFILING',
        'kube-apiserver-minikube ENC-SECRETS-AT-REST',
        'kube-controller-manager-minikube CP-CM-PROFILING',
        'kube-scheduler-minikube CP-SCHED-PROFILING',
      ]);
    });
  }
});
