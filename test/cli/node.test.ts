/** `kubeharden node` on host roots built from real files and permissions. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import type { Report } from '../../src/report/report.js';
import { CLI, PROJECT_ROOT } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';
import { checkJsonOutputs } from '../support/json-outputs.js';

function hostRoot(files: Record<string, { text: string; mode?: number }>): string {
  const root = tempDir('node');
  for (const [path, { text, mode }] of Object.entries(files)) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    chmodSync(target, mode ?? 0o600);
  }
  return root;
}

function node(root: string, ...args: string[]) {
  const result = spawnSync(CLI, ['node', '--root', root, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '1' } });
  checkJsonOutputs(['node', '--root', root, ...args], { code: result.status, stdout: result.stdout }, PROJECT_ROOT, process.env);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const KUBEADM_DROP_IN = '[Service]\nEnvironment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"\nEnvironment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"\n';

describe('kubeharden node', () => {
  it('a flags-only kubelet is judged by the legacy flag defaults, at the line that starts it', () => {
    const root = hostRoot({
      '/etc/systemd/system/kubelet.service.d/10-flags.conf': { text: '[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --kubeconfig=/etc/kubernetes/kubelet.conf --client-ca-file=/etc/kubernetes/pki/ca.crt\n' },
    });
    const result = node(root, '--format', 'json');
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as Report;
    assert.equal(report.target?.kind, 'node');
    const anonymous = report.findings.find((f) => f.controlId === 'NODE-KUBELET-ANONYMOUS-AUTH');
    assert.ok(anonymous, 'flags only: --anonymous-auth defaults to true');
    assert.equal(anonymous.location.file, '/etc/systemd/system/kubelet.service.d/10-flags.conf');
    assert.ok(report.findings.some((f) => f.controlId === 'NODE-KUBELET-READONLY-PORT'), 'flags only: read-only port 10255');
    assert.ok(report.findings.some((f) => f.controlId === 'NODE-KUBELET-AUTHZ-WEBHOOK'), 'flags only: AlwaysAllow');
    assert.ok(!report.findings.some((f) => f.controlId === 'NODE-KUBELET-CLIENT-CA'));
    assert.ok(report.findings.every((f) => !f.controlId.startsWith('POD-')), 'node scans judge configuration, not workloads');
  });

  it('a kubeadm kubelet with a KubeletConfiguration gets the secure defaults; a flag still overrides it', () => {
    const config = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  x509:\n    clientCAFile: /etc/kubernetes/pki/ca.crt\nrotateCertificates: true\n';
    const secure = hostRoot({ '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf': { text: KUBEADM_DROP_IN }, '/var/lib/kubelet/config.yaml': { text: config } });
    const ids = (root: string) => (JSON.parse(node(root, '--format', 'json', '--fail-on', 'none').stdout) as Report).findings.map((f) => f.controlId);
    const secureIds = ids(secure);
    for (const id of ['NODE-KUBELET-ANONYMOUS-AUTH', 'NODE-KUBELET-AUTHZ-WEBHOOK', 'NODE-KUBELET-READONLY-PORT', 'NODE-KUBELET-CLIENT-CA']) assert.ok(!secureIds.includes(id), id);
    const overridden = hostRoot({
      '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf': { text: KUBEADM_DROP_IN },
      '/var/lib/kubelet/config.yaml': { text: config },
      '/var/lib/kubelet/kubeadm-flags.env': { text: 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock --read-only-port=10255"\n' },
    });
    const report = JSON.parse(node(overridden, '--format', 'json').stdout) as Report;
    const port = report.findings.find((f) => f.controlId === 'NODE-KUBELET-READONLY-PORT');
    assert.equal(port?.location.file, '/var/lib/kubelet/kubeadm-flags.env');
    assert.equal(port?.location.line, 1);
  });

  it('judges file modes and owners of PKI files and kubeconfigs', () => {
    const root = hostRoot({
      '/etc/kubernetes/pki/ca.key': { text: 'key', mode: 0o644 },
      '/etc/kubernetes/pki/ca.crt': { text: 'cert', mode: 0o644 },
      '/etc/kubernetes/admin.conf': { text: 'apiVersion: v1\nkind: Config\n', mode: 0o644 },
    });
    const report = JSON.parse(node(root, '--format', 'json', '--fail-on', 'none').stdout) as Report;
    const files = report.findings.map((f) => `${f.controlId} ${f.location.file}`);
    assert.ok(files.includes('CP-PKI-PERMS /etc/kubernetes/pki/ca.key'), files.join('\n'));
    // Owners are whoever runs the test; only root-owned files would pass the owner check, so look at modes only.
    assert.ok(!report.findings.some((f) => f.location.file === '/etc/kubernetes/pki/ca.crt' && /mode/.test(f.message)), 'certificates may be 0644');
    assert.ok(files.includes('KCFG-ADMIN-KUBECONFIG /etc/kubernetes/admin.conf'));
  });

  it('a static pod labelled kube-apiserver whose command runs kube-scheduler is judged as the scheduler, and dated by its image as one', () => {
    const manifest = `apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system, labels: {component: kube-apiserver, tier: control-plane}}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-scheduler:v1.30.4
    command: [kube-scheduler, --bind-address=0.0.0.0]
`;
    const root = hostRoot({ '/etc/kubernetes/manifests/kube-apiserver.yaml': { text: manifest } });
    const result = node(root, '--format', 'json', '--fail-on', 'none');
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as Report;
    const ids = report.findings.filter((f) => f.location.file === '/etc/kubernetes/manifests/kube-apiserver.yaml').map((f) => f.controlId);
    assert.ok(ids.includes('CP-SCHED-BIND-LOCALHOST') && ids.includes('CP-SCHED-PROFILING'), ids.join(', '));
    assert.deepEqual(ids.filter((id) => id.startsWith('CP-APISERVER-') || id.startsWith('AUD-') || id.startsWith('ENC-')), [], 'none of the API server\'s controls');
    assert.match(report.target?.versionDetail ?? '', /kube-scheduler image v1\.30\.4/);
  });

  it('a root without any Kubernetes configuration is a usage error', () => {
    const result = node(tempDir('empty'));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no Kubernetes configuration under/);
  });
});

describe('kubeharden node: the version a host is judged by', () => {
  const apiserver = (image: string) => `apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system, labels: {component: kube-apiserver}}
spec:
  containers:
  - name: kube-apiserver
    image: ${image}
    command: [kube-apiserver, --insecure-port=8080, --authorization-mode=Node,RBAC]
`;
  const scheduler = (image: string) => `apiVersion: v1
kind: Pod
metadata: {name: kube-scheduler, namespace: kube-system, labels: {component: kube-scheduler}}
spec:
  containers:
  - {name: kube-scheduler, image: "${image}", command: [kube-scheduler, --bind-address=127.0.0.1]}
`;
  const scan = (files: Record<string, { text: string }>, ...args: string[]) => {
    const root = hostRoot(files);
    const result = node(root, '--format', 'json', '--fail-on', 'none', ...args);
    assert.equal(result.code, 0, result.stderr);
    return { report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
  };
  const ids = (report: Report) => report.findings.map((finding) => finding.controlId);

  const cases: { name: string; image: string; minor: string }[] = [
    { name: 'registry.k8s.io', image: 'registry.k8s.io/kube-apiserver:v1.22.17', minor: '1.22' },
    { name: 'a mirror with a digest', image: 'mirror.example.com:5000/k8s/kube-apiserver:v1.22.3@sha256:' + 'a'.repeat(64), minor: '1.22' },
    { name: 'a vendor suffix', image: '602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/kube-apiserver:v1.21.2-eks-1-21-4', minor: '1.21' },
  ];
  for (const { name, image, minor } of cases) {
    it(`reads the version from the API server's image (${name}) and judges the insecure port by it`, () => {
      const { report, stderr } = scan({ '/etc/kubernetes/manifests/kube-apiserver.yaml': { text: apiserver(image) } });
      assert.equal(report.kubernetesVersion, minor);
      assert.equal(report.target?.versionSource, 'host');
      assert.match(report.target?.versionDetail ?? '', /kube-apiserver image v1\.2\d/);
      assert.match(stderr, new RegExp(`judging it as Kubernetes ${minor.replace('.', '\\.')}, from kube-apiserver image`));
      assert.ok(ids(report).includes('CP-APISERVER-NO-INSECURE-PORT'), 'the insecure port is open on this version');
      assert.ok(!ids(report).includes('CP-APISERVER-REMOVED-FLAGS'), 'the flag still exists on this version');
    });
  }

  it('--k8s-version still wins, and says what the host showed', () => {
    const { report, stderr } = scan({ '/etc/kubernetes/manifests/kube-apiserver.yaml': { text: apiserver('registry.k8s.io/kube-apiserver:v1.22.17') } }, '--k8s-version', '1.30');
    assert.equal(report.kubernetesVersion, '1.30');
    assert.equal(report.target?.versionSource, 'flag');
    assert.match(stderr, /Kubernetes 1\.30 \(--k8s-version; the host shows kube-apiserver image v1\.22\.17/);
    assert.ok(ids(report).includes('CP-APISERVER-REMOVED-FLAGS'));
  });

  it('disagreeing components: the oldest, named with every source', () => {
    const { report } = scan({
      '/etc/kubernetes/manifests/kube-apiserver.yaml': { text: apiserver('registry.k8s.io/kube-apiserver:v1.23.1') },
      '/etc/kubernetes/manifests/kube-scheduler.yaml': { text: scheduler('registry.k8s.io/kube-scheduler:v1.22.0') },
      '/etc/kubernetes/kubeadm-config.yaml': { text: 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nkubernetesVersion: v1.23.1\n' },
      '/var/lib/dpkg/status': { text: 'Package: kubectl\nStatus: install ok installed\nVersion: 1.19.0-00\n\nPackage: kubelet\nStatus: install ok installed\nVersion: 1.21.14-00\n' },
    });
    assert.equal(report.kubernetesVersion, '1.21');
    assert.match(report.target?.versionDetail ?? '', /oldest of disagreeing versions: .*kube-scheduler image v1\.22\.0.*kubeadm ClusterConfiguration kubernetesVersion v1\.23\.1.*kubelet package 1\.21\.14-00 \(\/var\/lib\/dpkg\/status\)/);
  });

  it('a worker without static pods: the kubelet package; nothing at all: the newest, and says so', () => {
    const kubelet = { '/etc/systemd/system/kubelet.service.d/10-flags.conf': { text: '[Service]\nExecStart=/usr/bin/kubelet --kubeconfig=/etc/kubernetes/kubelet.conf\n' } };
    const withPackage = scan({ ...kubelet, '/var/lib/dpkg/status': { text: 'Package: kubelet\nStatus: install ok installed\nVersion: 1.28.2-1.1\n' } });
    assert.equal(withPackage.report.kubernetesVersion, '1.28');
    const bare = scan({ ...kubelet, '/etc/kubernetes/manifests/kube-apiserver.yaml': { text: apiserver('registry.k8s.io/kube-apiserver@sha256:' + 'b'.repeat(64)) } });
    assert.equal(bare.report.target?.versionSource, 'default');
    assert.match(bare.stderr, /the newest known: no version found under the root/);
  });
});

describe('kubeharden node: CLUSTER-VERSION-SUPPORTED, judged by what the host runs on the day given', () => {
  const manifest = (image: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver, namespace: kube-system, labels: {component: kube-apiserver}}\nspec:\n  containers:\n  - {name: kube-apiserver, image: "${image}", command: [kube-apiserver, --authorization-mode=Node,RBAC]}\n`;
  const releaseFindings = (root: string, ...args: string[]) => {
    const result = node(root, '--format', 'json', '--fail-on', 'none', ...args);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as Report;
    return { report, findings: report.findings.filter((finding) => finding.controlId === 'CLUSTER-VERSION-SUPPORTED') };
  };

  it('the oldest version the host shows, out of support after its end of life, at the file it was read from', () => {
    const root = hostRoot({
      '/etc/kubernetes/manifests/kube-apiserver.yaml': { text: manifest('registry.k8s.io/kube-apiserver:v1.35.1') },
      '/var/lib/dpkg/status': { text: 'Package: kubelet\nStatus: install ok installed\nVersion: 1.34.2-1.1\n' },
    });
    const before = releaseFindings(root, '--support-date', '2026-10-27');
    assert.deepEqual(before.findings, []);
    assert.ok(before.report.summary.controls.run.includes('CLUSTER-VERSION-SUPPORTED'));
    const [after, ...more] = releaseFindings(root, '--support-date', '2026-10-28').findings;
    assert.equal(more.length, 0);
    assert.match(after?.message ?? '', /^Kubernetes 1\.34\.2-1\.1 \(kubelet package, \/var\/lib\/dpkg\/status\) is out of upstream support: 1\.34 reached its end of life on 2026-10-27/);
    assert.deepEqual([after?.resource.kind, after?.location.file], ['Node', '/var/lib/dpkg/status']);
    // --k8s-version picks the rules, not the release the host runs.
    assert.equal(releaseFindings(root, '--support-date', '2026-10-28', '-k', '1.37').findings.length, 1);
  });

  it('the oldest by its real minor: a 1.37 kubelet under a 1.38 control plane (both judged as 1.37) is the one judged', () => {
    const root = hostRoot({
      '/etc/kubernetes/manifests/kube-apiserver.yaml': { text: manifest('registry.k8s.io/kube-apiserver:v1.38.0') },
      '/var/lib/dpkg/status': { text: 'Package: kubelet\nStatus: install ok installed\nVersion: 1.37.2-1.1\n' },
    });
    const [finding, ...more] = releaseFindings(root, '--support-date', '2027-10-29').findings;
    assert.equal(more.length, 0);
    assert.match(finding?.message ?? '', /^Kubernetes 1\.37\.2-1\.1 \(kubelet package, \/var\/lib\/dpkg\/status\) is out of upstream support/);
  });

  it('no version on the host: not assessed, whatever --k8s-version says', () => {
    const root = hostRoot({ '/etc/systemd/system/kubelet.service.d/10-flags.conf': { text: '[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --kubeconfig=/etc/kubernetes/kubelet.conf\n' } });
    const { report, findings } = releaseFindings(root, '-k', '1.20', '--support-date', '2026-12-03');
    assert.deepEqual(findings, []);
    assert.equal(report.summary.score.controls.find((control) => control.id === 'CLUSTER-VERSION-SUPPORTED')?.status, 'not-assessed');
  });

  it('--support-date must be a real day', () => {
    const root = hostRoot({ '/etc/kubernetes/manifests/kube-apiserver.yaml': { text: manifest('registry.k8s.io/kube-apiserver:v1.37.2') } });
    const result = node(root, '--support-date', 'tomorrow');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--support-date must be a date written YYYY-MM-DD, not "tomorrow"/);
  });
});
