import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { posix } from 'node:path';
import { describeReadError, readInputFile, UnreadableInput } from '../loader/safe-read.js';
import type { InputError } from '../loader/source.js';
import type { ComponentConfig, HostFile, HostFileRole, HostReader } from './component-config.js';
import { resolveInRoot } from './confined-path.js';
import { FlagSet } from './flags.js';

/**
 * A host's filesystem under a root folder (`/`, or a mounted node image in tests and containers). Every path is
 * resolved inside the root as `chroot` would (see `resolveInRoot`), so a link on the host never makes the scan
 * read a file of the machine it runs on; only regular files are read, each at most the host-file cap.
 */
export class HostRoot implements HostReader {
  /** @param errors where folders that exist but cannot be listed are reported: what they hold was not judged. */
  constructor(
    readonly root: string,
    private readonly errors: InputError[] = [],
  ) {}

  /** The real path inside the root for a host path (`/etc/kubernetes/admin.conf`); throws when it cannot be looked up. */
  inRoot(hostPath: string): string {
    return resolveInRoot(this.root, posix.resolve('/', hostPath));
  }

  /** What `stat` says about the file a host path names (links followed inside the root), or undefined when there is none. */
  stat(hostPath: string): Stats | undefined {
    try {
      return lstatSync(this.inRoot(hostPath));
    } catch (error) {
      // Only a plain absence is silent: a link that leads nowhere, a loop, a folder without permission stand for a
      // file that was not judged.
      if (!isAbsent(error)) this.report(hostPath, describeReadError(error));
      return undefined;
    }
  }

  /** One error per file is enough: the first says why it was not judged. */
  private report(file: string, message: string): void {
    if (!this.errors.some((error) => error.file === file)) this.errors.push({ file, line: null, column: null, message });
  }

  /** The bytes of a regular file of the host; throws an error whose message says why not. */
  readBytes(hostPath: string): Buffer {
    return readInputFile(this.inRoot(hostPath), 'host', { noFollow: true });
  }

  read(hostPath: string): { text: string } | { error: string } {
    try {
      return { text: this.readBytes(hostPath).toString('utf8') };
    } catch (error) {
      return { error: `cannot read ${hostPath}: ${describeReadError(error)}` };
    }
  }

  /** The entries of a host folder; a folder that is absent is empty, one that cannot be read is an error. */
  list(hostDir: string): string[] {
    try {
      return readdirSync(this.inRoot(hostDir)).sort().map((name) => posix.join(hostDir, name));
    } catch (error) {
      if (!isAbsent(error)) this.report(hostDir, `cannot list the folder: ${describeReadError(error)}`);
      return [];
    }
  }
}

/** Nothing there (not a dangling link, which is an UnreadableInput with the same code). */
function isAbsent(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return !(error instanceof UnreadableInput) && (code === 'ENOENT' || code === 'ENOTDIR');
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
    if (stats) files.push({ path, role, mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid });
  };
  for (const path of host.list(MANIFESTS_DIR)) add(path, 'static-pod-manifest');
  for (const path of ADMIN_KUBECONFIGS) add(path, 'admin-kubeconfig');
  for (const path of COMPONENT_KUBECONFIGS) add(path, 'kubeconfig');
  if (host.stat(PKI_DIR)?.isDirectory()) {
    add(PKI_DIR, 'pki-dir');
    const seen = new Set<string>(); // a link back up the tree must not recurse forever
    const walk = (dir: string) => {
      let real: string;
      try {
        real = host.inRoot(dir);
      } catch {
        return;
      }
      if (seen.has(real)) return;
      seen.add(real);
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
