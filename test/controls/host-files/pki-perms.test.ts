import { control } from '../../../src/controls/host-files/pki-perms.js';
import { testComponentControl } from '../../support/component-tester.js';

const dir = (mode: number, uid = 0, gid = 0) => ({ path: '/etc/kubernetes/pki', mode, uid, gid, role: 'pki-dir' as const });
const key = (name: string, mode: number, uid = 0, gid = 0) => ({ path: `/etc/kubernetes/pki/${name}.key`, mode, uid, gid, role: 'pki-key' as const });
const cert = (name: string, mode: number, uid = 0, gid = 0) => ({ path: `/etc/kubernetes/pki/${name}.crt`, mode, uid, gid, role: 'pki-cert' as const });

testComponentControl(control, {
  valid: [
    { name: 'kubeadm defaults', files: [dir(0o755), key('ca', 0o600), cert('ca', 0o644), key('sa', 0o600)] },
    { name: 'stricter certificates', files: [cert('apiserver', 0o600), cert('front-proxy-ca', 0o400)] },
    { name: 'the directory mode is not judged', files: [dir(0o777)] },
  ],
  invalid: [
    { name: 'a group-readable key', files: [key('ca', 0o640), cert('ca', 0o644)], messages: [/^mode 0640 lets group read the private key; want 0600 or stricter$/] },
    { name: 'a world-readable key', files: [key('sa', 0o644)], messages: [/^mode 0644 lets group and others read the private key; want 0600/] },
    { name: 'a writable certificate', files: [cert('ca', 0o664)], messages: [/^mode 0664 lets group write the certificate; want 0644 or stricter$/] },
    { name: 'a directory not owned by root', files: [dir(0o755, 1000, 1000)], messages: [/^owner 1000:1000; want root:root \(0:0\)$/] },
    { name: 'a certificate not owned by root', files: [cert('apiserver', 0o644, 0, 1000)], messages: [/^owner 0:1000; want root:root/] },
    { name: 'a key with both problems', files: [key('apiserver', 0o644, 1000, 0)], messages: [/^mode 0644 lets group and others read the private key; want 0600 or stricter; owner 1000:0; want root:root \(0:0\)$/] },
    { name: 'one finding per file', files: [dir(0o755), key('ca', 0o644), key('etcd/ca', 0o640), cert('ca', 0o666)], messages: [/private key/, /private key/, /certificate/] },
  ],
}, 'host');
