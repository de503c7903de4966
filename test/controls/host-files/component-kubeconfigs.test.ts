import { control } from '../../../src/controls/host-files/component-kubeconfigs.js';
import { testComponentControl } from '../../support/component-tester.js';

const kubeconfig = (path: string, mode: number, uid = 0, gid = 0) => ({ path, mode, uid, gid, role: 'kubeconfig' as const });

testComponentControl(control, {
  valid: [
    { name: 'all 0600 root:root', files: [kubeconfig('/etc/kubernetes/scheduler.conf', 0o600), kubeconfig('/etc/kubernetes/kubelet.conf', 0o600)] },
    { name: 'admin.conf is judged by KCFG-ADMIN-KUBECONFIG', files: [{ path: '/etc/kubernetes/admin.conf', role: 'admin-kubeconfig', mode: 0o644, uid: 0, gid: 0 }] },
  ],
  invalid: [
    { name: 'a group-readable kubeconfig', files: [kubeconfig('/etc/kubernetes/controller-manager.conf', 0o640), kubeconfig('/etc/kubernetes/scheduler.conf', 0o600)], messages: [/^mode 0640 lets group read the kubeconfig; want 0600 or stricter$/] },
    { name: 'a kubeconfig owned by a user', files: [kubeconfig('/var/lib/kube-proxy/kubeconfig.conf', 0o600, 1000, 1000)], messages: [/^owner 1000:1000; want root:root/] },
    { name: 'one finding per file', files: [kubeconfig('/etc/kubernetes/scheduler.conf', 0o644), kubeconfig('/etc/kubernetes/kubelet.conf', 0o666)], messages: [/^mode 0644 lets group and others read/, /^mode 0666 lets group and others read and write/] },
  ],
}, 'host');
