import { lstatSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { UnreadableInput } from '../loader/safe-read.js';

/** Linux gives up after 40 links in one lookup (ELOOP); so do we. */
const MAX_LINKS = 40;

/**
 * The path under `root` that `hostPath` names on the scanned host, resolved as `chroot root` would: every symbolic
 * link is followed by hand, an absolute target starts again at `root`, and `..` stops at `root`. The result holds
 * no symbolic link and never leaves `root`, whatever the host's files point at (`/var/lib/kubelet/config.yaml ->
 * /etc/shadow`, `manifests/x.yaml -> ../../../../../tmp/x`). Throws the lookup's error (ENOENT, ENOTDIR, ELOOP)
 * rather than returning a path that could be resolved differently later.
 *
 * Links are resolved at one moment: someone who can change the host's files while the scan runs could still swap
 * a folder for a link between this lookup and the open (the last component is opened with O_NOFOLLOW).
 */
export function resolveInRoot(root: string, hostPath: string): string {
  const pending = hostPath.split('/').reverse();
  let resolved: string[] = [];
  let links = 0;
  let lastLink: { readonly at: string; readonly target: string } | undefined;
  while (pending.length > 0) {
    const part = pending.pop() as string;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      resolved.pop(); // at the root, `..` is the root
      continue;
    }
    const candidate = join(root, ...resolved, part);
    let stats;
    try {
      stats = lstatSync(candidate);
    } catch (error) {
      // Missing because a link led there: say so, the host path alone would not explain it.
      if (lastLink && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw Object.assign(new UnreadableInput(`dangling symbolic link: ${lastLink.at} points to ${lastLink.target}, which does not exist under the root`), { code: 'ENOENT' });
      }
      throw error;
    }
    if (stats.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw Object.assign(new Error(`ELOOP: too many symbolic links, ${hostPath}`), { code: 'ELOOP' });
      const target = readlinkSync(candidate);
      lastLink = { at: `/${[...resolved, part].join('/')}`, target };
      if (target.startsWith('/')) resolved = [];
      pending.push(...target.split('/').reverse());
      continue;
    }
    if (pending.some((rest) => rest !== '' && rest !== '.') && !stats.isDirectory()) {
      throw Object.assign(new Error(`ENOTDIR: not a directory, ${hostPath}`), { code: 'ENOTDIR' });
    }
    resolved.push(part);
  }
  return join(root, ...resolved);
}
