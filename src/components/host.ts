import { lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { join, posix } from 'node:path';
import type { ComponentConfig, HostFile, HostFileRole, HostReader } from './component-config.js';
import { FlagSet } from './flags.js';

/** A host's filesystem under a root folder (`/`, or a mounted node image in tests and containers). */
export class HostRoot implements HostReader {
  constructor(readonly root: string) {}

  /** The path inside the root for a host path (`/etc/kubernetes/admin.conf`). */
  inRoot(hostPath: string): string {
    return join(this.root, posix.resolve('/', hostPath));
  }

  stat(hostPath: string): Stats | undefined {
    try {
      return lstatSync(this.inRoot(hostPath));
    } catch {
      return undefined;
    }
  }

  read(hostPath: string): { text: string } | { error: string } {
    try {
      return { text: readFileSync(this.inRoot(hostPath), 'utf8') };
    } catch (error) {
      return { error: `cannot read ${hostPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
    }
  }

  list(hostDir: string): string[] {
    try {
      return readdirSync(this.inRoot(hostDir)).sort().map((name) => posix.join(hostDir, name));
    } catch {
      return [];
    }
  }
}

export const MANIFESTS_DIR = '/etc/kubernetes/manifests';
const ADMIN_KUBECONFIGS = ['/etc/kubernetes/admin.conf', '/etc/kubernetes/super-admin.conf'];
const COMPONENT_KUBECONFIGS = ['/etc/kubernetes/controller-manager.conf', '/etc/kubernetes/scheduler.conf', '/etc/kubernetes/kubelet.conf', '/etc/kubernetes/bootstrap-kubelet.conf'];
const PKI_DIR = '/etc/kubernetes/pki';

/** The files whose ownership and permissions the host-file controls judge, with what each is for. */
export function hostFiles(host: HostRoot, extra: readonly { path: string; role: HostFileRole }[]): HostFile[] {
  const files: HostFile[] = [];
  const add = (path: string, role: HostFileRole) => {
    const stats = host.stat(path);
    if (stats && !stats.isSymbolicLink()) files.push({ path, role, mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid });
  };
  for (const path of host.list(MANIFESTS_DIR)) add(path, 'static-pod-manifest');
  for (const path of ADMIN_KUBECONFIGS) add(path, 'admin-kubeconfig');
  for (const path of COMPONENT_KUBECONFIGS) add(path, 'kubeconfig');
  if (host.stat(PKI_DIR)?.isDirectory()) {
    add(PKI_DIR, 'pki-dir');
    const walk = (dir: string) => {
      for (const path of host.list(dir)) {
        const stats = host.stat(path);
        if (stats?.isDirectory()) walk(path);
        else if (path.endsWith('.key')) add(path, 'pki-key');
        else if (path.endsWith('.crt') || path.endsWith('.pem')) add(path, 'pki-cert');
      }
    };
    walk(PKI_DIR);
  }
  for (const { path, role } of extra) add(path, role);
  return files;
}

export function hostComponent(name: string, files: readonly HostFile[]): ComponentConfig {
  return {
    component: 'host',
    resource: { apiVersion: 'v1', kind: 'Node', namespace: null, name },
    flags: new FlagSet([]),
    files,
    locate: (at) => ({ location: { file: 'file' in at ? at.file : '/', line: 0, column: 0 }, field: 'file' in at ? 'mode and owner' : '' }),
  };
}
