import { control } from '../../../src/controls/host-files/static-pod-manifests.js';
import { testComponentControl } from '../../support/component-tester.js';

const manifest = (name: string, mode: number, uid = 0, gid = 0) => ({ path: `/etc/kubernetes/manifests/${name}.yaml`, mode, uid, gid, role: 'static-pod-manifest' as const });

testComponentControl(control, {
  valid: [{ name: 'kubeadm defaults (0600 root:root)', files: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'].map((name) => manifest(name, 0o600)) }],
  invalid: [
    { name: 'world-readable manifest', files: [manifest('kube-apiserver', 0o644), manifest('etcd', 0o600)], messages: [/^mode 0644 lets group and others read the static Pod manifest; want 0600 or stricter$/] },
    { name: 'group-writable manifest', files: [manifest('etcd', 0o620)], messages: [/^mode 0620 lets group write the static Pod manifest;/] },
    { name: 'not owned by root', files: [manifest('kube-scheduler', 0o600, 0, 1000)], messages: [/^owner 0:1000; want root:root/] },
  ],
}, 'host');
