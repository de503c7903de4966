import { control } from '../../../src/controls/host-files/kubelet-file-perms.js';
import { testComponentControl } from '../../support/component-tester.js';

const config = (mode: number, uid = 0, gid = 0) => ({ path: '/var/lib/kubelet/config.yaml', mode, uid, gid, role: 'kubelet-config' as const });

testComponentControl(control, {
  valid: [
    { name: '0600 root:root', files: [config(0o600)] },
    { name: '0400 root:root', files: [config(0o400)] },
  ],
  invalid: [
    { name: 'kubeadm writes 0644', files: [config(0o644)], messages: [/^mode 0644 lets group and others read the kubelet configuration; want 0600 or stricter$/] },
    { name: 'owned by a user', files: [config(0o600, 1000, 1000)], messages: [/^owner 1000:1000; want root:root/] },
  ],
}, 'host');
