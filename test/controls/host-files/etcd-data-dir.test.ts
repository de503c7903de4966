import { control } from '../../../src/controls/host-files/etcd-data-dir.js';
import { testComponentControl } from '../../support/component-tester.js';

const dataDir = (mode: number, uid = 0, gid = 0) => ({ path: '/var/lib/etcd', mode, uid, gid, role: 'etcd-data-dir' as const });

testComponentControl(control, {
  valid: [
    { name: '0700 root:root (kubeadm)', files: [dataDir(0o700)] },
    { name: '0700 owned by an etcd user (the owner is not judged)', files: [dataDir(0o700, 998, 998)] },
    { name: 'directory type bits from stat are ignored', files: [dataDir(0o40700)] },
  ],
  invalid: [
    { name: '0755', files: [dataDir(0o755)], messages: [/^mode 0755 lets group and others list and enter the etcd data directory; want 0700 or stricter$/] },
    { name: '0770', files: [dataDir(0o770, 998, 998)], messages: [/^mode 0770 lets group list, write to and enter the etcd data directory;/] },
    { name: 'sticky bit', files: [dataDir(0o1700)], messages: [/^mode 1700 sets the sticky bit on the etcd data directory;/] },
  ],
}, 'host');
