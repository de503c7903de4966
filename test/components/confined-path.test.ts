/** Host paths resolve inside the scan root as chroot would: no link and no `..` leads out of it. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { resolveInRoot } from '../../src/components/confined-path.js';
import { HostRoot } from '../../src/components/host.js';
import type { InputError } from '../../src/loader/source.js';

/** A root beside an `outside` folder holding a file the scan must never read. */
function layout(t: { after: (fn: () => void) => void }, links: Record<string, string>): { root: string; outside: string } {
  const base = mkdtempSync(join(tmpdir(), 'kubeharden-confined-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.yaml'), 'outside');
  for (const dir of ['etc/kubernetes/manifests', 'var/lib/kubelet', 'opt/kubelet', 'etc/kubernetes/pki']) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, 'opt/kubelet/config.yaml'), 'inside');
  for (const [path, target] of Object.entries(links)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    symlinkSync(target.replace('OUTSIDE', outside), join(root, path));
  }
  return { root, outside };
}

describe('resolveInRoot', () => {
  const cases: { name: string; links: Record<string, string>; path: string; expect: string | { code: string } }[] = [
    { name: 'an absolute link target starts at the root', links: { 'var/lib/kubelet/config.yaml': '/opt/kubelet/config.yaml' }, path: '/var/lib/kubelet/config.yaml', expect: 'opt/kubelet/config.yaml' },
    { name: 'an absolute link to a file outside the root is looked up under the root', links: { 'var/lib/kubelet/config.yaml': 'OUTSIDE/secret.yaml' }, path: '/var/lib/kubelet/config.yaml', expect: { code: 'ENOENT' } },
    { name: 'a relative link climbing out through .. stops at the root', links: { 'etc/kubernetes/manifests/x.yaml': '../../../../../../../../outside/secret.yaml' }, path: '/etc/kubernetes/manifests/x.yaml', expect: { code: 'ENOENT' } },
    { name: '.. climbing out stops at the root, then goes down inside it', links: { 'etc/kubernetes/manifests/x.yaml': '../../../../../../opt/kubelet/config.yaml' }, path: '/etc/kubernetes/manifests/x.yaml', expect: 'opt/kubelet/config.yaml' },
    { name: 'a folder link to / is the root', links: { 'etc/kubernetes/manifests/up': '/' }, path: '/etc/kubernetes/manifests/up/opt/kubelet/config.yaml', expect: 'opt/kubelet/config.yaml' },
    { name: '.. in the path itself stays inside', links: {}, path: '/../../../opt/kubelet/config.yaml', expect: 'opt/kubelet/config.yaml' },
    { name: 'a link loop ends with ELOOP', links: { 'etc/a': '/etc/b', 'etc/b': '/etc/a' }, path: '/etc/a', expect: { code: 'ELOOP' } },
    { name: 'a file used as a folder is ENOTDIR', links: {}, path: '/opt/kubelet/config.yaml/../config.yaml', expect: { code: 'ENOTDIR' } },
  ];
  for (const { name, links, path, expect } of cases) {
    it(name, (t) => {
      const { root } = layout(t, links);
      if (typeof expect === 'string') assert.equal(resolveInRoot(root, path), join(root, expect));
      else assert.throws(() => resolveInRoot(root, path), expect);
    });
  }
});

describe('HostRoot', () => {
  it('never reads a file outside the root through a link, and says the link leads nowhere', (t) => {
    const { root } = layout(t, {
      'var/lib/kubelet/config.yaml': 'OUTSIDE/secret.yaml',
      'etc/kubernetes/manifests/kube-apiserver.yaml': '../../../../outside/secret.yaml',
      'etc/kubernetes/admin.conf': 'OUTSIDE/secret.yaml',
    });
    const errors: InputError[] = [];
    const host = new HostRoot(root, errors);
    for (const path of ['/var/lib/kubelet/config.yaml', '/etc/kubernetes/manifests/kube-apiserver.yaml']) {
      const read = host.read(path);
      assert.ok('error' in read, `${path} must not be read`);
      assert.match(read.error, /dangling symbolic link: .* which does not exist under the root/);
    }
    assert.equal(host.stat('/etc/kubernetes/admin.conf'), undefined, 'the mode of a file outside the root is not judged');
    assert.deepEqual(errors.map((error) => error.file), ['/etc/kubernetes/admin.conf']);
  });

  it('lists a folder it cannot open as an error, an absent one as empty', (t) => {
    const { root } = layout(t, { 'etc/kubernetes/pki/loop': '/etc/kubernetes/pki' });
    const errors: InputError[] = [];
    const host = new HostRoot(root, errors);
    assert.deepEqual(host.list('/etc/no-such-folder'), []);
    assert.deepEqual(host.list('/opt/kubelet/config.yaml'), []);
    assert.deepEqual(errors, []);
    assert.deepEqual(host.list('/etc/kubernetes/pki/loop/loop/loop'), ['/etc/kubernetes/pki/loop/loop/loop/loop']);
  });
});
