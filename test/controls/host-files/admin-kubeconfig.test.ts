import { control } from '../../../src/controls/host-files/admin-kubeconfig.js';
import { testComponentControl } from '../../support/component-tester.js';

const admin = { path: '/etc/kubernetes/admin.conf', role: 'admin-kubeconfig' } as const;

testComponentControl(control, {
  valid: [
    { name: '0600 root:root', files: [{ ...admin, mode: 0o600, uid: 0, gid: 0 }] },
    { name: '0400 root:root (stricter)', files: [{ ...admin, mode: 0o400, uid: 0, gid: 0 }] },
    { name: 'the file type bits from stat are ignored', files: [{ ...admin, mode: 0o100600, uid: 0, gid: 0 }] },
    { name: 'other roles are not judged here', files: [{ path: '/etc/kubernetes/pki/ca.crt', role: 'pki-cert', mode: 0o644, uid: 0, gid: 0 }] },
    { name: 'no files', files: [] },
  ],
  invalid: [
    { name: '0644', files: [{ ...admin, mode: 0o644, uid: 0, gid: 0 }], messages: [/^mode 0644 lets group and others read the admin kubeconfig; want 0600 or stricter$/] },
    { name: '0640', files: [{ ...admin, mode: 0o640, uid: 0, gid: 0 }], messages: [/^mode 0640 lets group read the admin kubeconfig; want 0600/] },
    { name: '0666', files: [{ ...admin, mode: 0o666, uid: 0, gid: 0 }], messages: [/^mode 0666 lets group and others read and write the admin kubeconfig;/] },
    { name: '0700 (executable)', files: [{ ...admin, mode: 0o700, uid: 0, gid: 0 }], messages: [/^mode 0700 lets the owner execute the admin kubeconfig;/] },
    { name: '0604', files: [{ ...admin, mode: 0o604, uid: 0, gid: 0 }], messages: [/^mode 0604 lets others read the admin kubeconfig;/] },
    { name: '0647', files: [{ ...admin, mode: 0o647, uid: 0, gid: 0 }], messages: [/^mode 0647 lets group read, and others read, write and execute the admin kubeconfig;/] },
    { name: 'setuid', files: [{ ...admin, mode: 0o4600, uid: 0, gid: 0 }], messages: [/^mode 4600 sets setuid on the admin kubeconfig; want 0600/] },
    { name: 'owned by a user', files: [{ ...admin, mode: 0o600, uid: 1000, gid: 1000 }], messages: [/^owner 1000:1000; want root:root \(0:0\)$/] },
    { name: 'group not root', files: [{ ...admin, mode: 0o600, uid: 0, gid: 4 }], messages: [/^owner 0:4; want root:root/] },
    { name: 'mode and owner in one finding', files: [{ ...admin, mode: 0o644, uid: 1000, gid: 0 }], messages: [/^mode 0644 lets group and others read the admin kubeconfig; want 0600 or stricter; owner 1000:0; want root:root \(0:0\)$/] },
    {
      name: 'one finding per file (super-admin.conf too)',
      files: [{ ...admin, mode: 0o644, uid: 0, gid: 0 }, { path: '/etc/kubernetes/super-admin.conf', role: 'admin-kubeconfig', mode: 0o640, uid: 0, gid: 0 }],
      messages: [/^mode 0644/, /^mode 0640/],
    },
  ],
}, 'host');
