/**
 * `kubeharden node --root R` reads only inside R, as chroot would: links out of the root (absolute, or relative
 * through ..) are never followed out, FIFOs and devices are not read, and folders that cannot be listed are input
 * errors. Each host is built in a temp folder beside an `outside` folder holding files that would give findings.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { Report } from '../../src/report/report.js';
import { runCli, tempTree } from '../support/cli-process.js';

const DROP_IN = '[Service]\nEnvironment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"\nExecStart=/usr/bin/kubelet $KUBELET_CONFIG_ARGS\n';
const INSECURE_KUBELET = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: true\n';
const APISERVER = (flags: string[]) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\n  labels:\n    component: kube-apiserver\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.37.0\n    command:\n    - kube-apiserver\n${flags.map((flag) => `    - ${flag}\n`).join('')}`;
const IDENTITY_FIRST = 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - identity: {}\n';

interface Host {
  readonly root: string;
  readonly outside: string;
}

/** `files` under the root; `links` under the root, where OUTSIDE in a target is the folder beside the root. */
function host(t: TestContext, files: Record<string, string>, links: Record<string, string> = {}): Host {
  const base = tempTree(t, 'node-root');
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'kubelet.yaml'), INSECURE_KUBELET);
  writeFileSync(join(outside, 'kube-apiserver.yaml'), APISERVER(['--anonymous-auth=true', '--profiling=true']));
  writeFileSync(join(outside, 'encryption.yaml'), IDENTITY_FIRST);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  for (const [path, target] of Object.entries(links)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    symlinkSync(target.replace('OUTSIDE', outside), join(root, path));
  }
  return { root, outside };
}

function scanNode(root: string, options: { env?: Record<string, string>; unprivileged?: boolean } = {}) {
  const result = runCli(['node', '--root', root, '--format', 'json', '--fail-on', 'none'], { ...options, timeoutMs: 15_000 });
  assert.equal(result.timedOut, false, 'the scan must end on its own');
  assert.doesNotMatch(result.stderr, /internal error/);
  const report = JSON.parse(result.stdout) as Report;
  return { code: result.code, report, errors: report.errors.map((error) => `${error.file}: ${error.message}`), files: new Set(report.findings.map((finding) => finding.location.file)) };
}

describe('kubeharden node --root: confined to the root', () => {
  it('an absolute link at the kubelet config to a file outside the root is not read', (t) => {
    const { root, outside } = host(t, { 'etc/systemd/system/kubelet.service.d/10-kubeadm.conf': DROP_IN }, { 'var/lib/kubelet/config.yaml': 'OUTSIDE/kubelet.yaml' });
    const result = scanNode(root);
    assert.equal(result.code, 2);
    assert.ok(!result.files.has('/var/lib/kubelet/config.yaml'), 'no finding from the file outside the root');
    assert.deepEqual(result.errors, [
      `/var/lib/kubelet/config.yaml: cannot read /var/lib/kubelet/config.yaml: dangling symbolic link: /var/lib/kubelet/config.yaml points to ${outside}/kubelet.yaml, which does not exist under the root; the kubelet is judged on its flags and their defaults`,
    ]);
  });

  it('an absolute link target is followed under the root, as chroot would', (t) => {
    const { root } = host(t, { 'etc/systemd/system/kubelet.service.d/10-kubeadm.conf': DROP_IN, 'opt/kubelet/config.yaml': INSECURE_KUBELET }, { 'var/lib/kubelet/config.yaml': '/opt/kubelet/config.yaml' });
    const result = scanNode(root);
    assert.deepEqual(result.errors, []);
    const anonymous = result.report.findings.find((finding) => finding.controlId === 'NODE-KUBELET-ANONYMOUS-AUTH');
    assert.equal(anonymous?.location.file, '/var/lib/kubelet/config.yaml');
    assert.equal(anonymous?.location.line, 5, 'judged from the KubeletConfiguration the link leads to');
  });

  it('a static pod linked out through .. is not read, and neither is a file its flags name through a link', (t) => {
    const { root } = host(
      t,
      { 'etc/kubernetes/manifests/kube-apiserver.yaml': APISERVER(['--encryption-provider-config=/etc/kubernetes/enc/enc.yaml']) },
      { 'etc/kubernetes/manifests/kube-apiserver-2.yaml': '../../../../../../../../../../../outside/kube-apiserver.yaml', 'etc/kubernetes/enc/enc.yaml': 'OUTSIDE/encryption.yaml' },
    );
    const result = scanNode(root);
    assert.equal(result.code, 2);
    assert.ok(!result.files.has('/etc/kubernetes/manifests/kube-apiserver-2.yaml'), [...result.files].join('\n'));
    assert.match(result.errors.join('\n'), /^\/etc\/kubernetes\/manifests\/kube-apiserver-2\.yaml: dangling symbolic link: .* points to \.\.\/\.\.\/.*outside\/kube-apiserver\.yaml, which does not exist under the root$/m);
    const encryption = result.report.findings.find((finding) => finding.controlId === 'ENC-SECRETS-AT-REST');
    assert.ok(encryption, 'the EncryptionConfiguration is judged');
    assert.doesNotMatch(encryption.message, /identity first/, 'judged without the file outside the root');
    assert.match(encryption.message, /dangling symbolic link/);
  });

  it('FIFOs and links to devices under the root end with input errors, not a hang', (t) => {
    const { root } = host(t, { 'etc/systemd/system/kubelet.service.d/10-kubeadm.conf': DROP_IN }, { 'etc/kubernetes/manifests/zero.yaml': '/dev/zero' });
    mkdirSync(join(root, 'var/lib/kubelet'), { recursive: true });
    for (const fifo of ['var/lib/kubelet/config.yaml', 'etc/kubernetes/manifests/fifo.yaml']) assert.equal(spawnSync('mkfifo', [join(root, fifo)]).status, 0);
    const result = scanNode(root);
    assert.equal(result.code, 2);
    assert.deepEqual(result.errors, [
      '/etc/kubernetes/manifests/zero.yaml: dangling symbolic link: /etc/kubernetes/manifests/zero.yaml points to /dev/zero, which does not exist under the root',
      '/var/lib/kubelet/config.yaml: cannot read /var/lib/kubelet/config.yaml: is a FIFO (named pipe), not a regular file; the kubelet is judged on its flags and their defaults',
      '/etc/kubernetes/manifests/fifo.yaml: cannot read: is a FIFO (named pipe), not a regular file',
    ]);
  });

  it('a link to /dev/zero on a root with its own /dev (a mounted host) meets the device and refuses it', { skip: process.getuid?.() === 0 ? false : 'mknod needs root' }, (t) => {
    const { root } = host(t, { 'etc/systemd/system/kubelet.service.d/10-kubeadm.conf': DROP_IN }, { 'var/lib/kubelet/config.yaml': '/dev/zero', 'etc/kubernetes/manifests/zero.yaml': '../../../dev/zero' });
    mkdirSync(join(root, 'dev'));
    assert.equal(spawnSync('mknod', [join(root, 'dev/zero'), 'c', '1', '5']).status, 0);
    const result = scanNode(root);
    assert.equal(result.code, 2);
    assert.deepEqual(result.errors, [
      '/var/lib/kubelet/config.yaml: cannot read /var/lib/kubelet/config.yaml: is a character device, not a regular file; the kubelet is judged on its flags and their defaults',
      '/etc/kubernetes/manifests/zero.yaml: cannot read: is a character device, not a regular file',
    ]);
  });

  it('host files are capped by KUBEHARDEN_MAX_HOST_FILE_SIZE', (t) => {
    const { root } = host(t, { 'etc/systemd/system/kubelet.service.d/10-kubeadm.conf': DROP_IN, 'var/lib/kubelet/config.yaml': `${INSECURE_KUBELET}# ${'x'.repeat(2048)}\n` });
    const result = scanNode(root, { env: { KUBEHARDEN_MAX_HOST_FILE_SIZE: '1K' } });
    assert.equal(result.code, 2);
    assert.match(result.errors.join('\n'), /^\/var\/lib\/kubelet\/config\.yaml: cannot read \/var\/lib\/kubelet\/config\.yaml: larger than 1 KiB, the limit for host files under node --root \(raise it with KUBEHARDEN_MAX_HOST_FILE_SIZE/m);
  });

  it('a manifests folder that cannot be listed is an input error; the kubelet is still judged', (t) => {
    const { root } = host(t, { 'etc/systemd/system/kubelet.service.d/10-kubeadm.conf': DROP_IN, 'var/lib/kubelet/config.yaml': INSECURE_KUBELET, 'etc/kubernetes/manifests/kube-apiserver.yaml': APISERVER(['--anonymous-auth=true']) });
    chmodSync(join(root, 'etc/kubernetes/manifests'), 0o000);
    const result = scanNode(root, { unprivileged: true });
    assert.equal(result.code, 2);
    assert.deepEqual(result.errors, ['/etc/kubernetes/manifests: cannot list the folder: permission denied']);
    assert.ok(result.report.findings.some((finding) => finding.controlId === 'NODE-KUBELET-ANONYMOUS-AUTH'), 'the readable kubelet config is judged');
  });

  it('a link loop in the PKI folder ends', (t) => {
    const { root } = host(t, { 'etc/kubernetes/pki/ca.key': 'key' }, { 'etc/kubernetes/pki/again': '/etc/kubernetes/pki', 'etc/kubernetes/pki/self': 'self' });
    chmodSync(join(root, 'etc/kubernetes/pki/ca.key'), 0o644);
    const result = scanNode(root);
    assert.ok(result.files.has('/etc/kubernetes/pki/ca.key'));
    assert.match(result.errors.join('\n'), /\/etc\/kubernetes\/pki\/self/);
  });
});
