import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ComponentConfig } from '../components/component-config.js';
import { hostComponent, hostFiles, HostRoot, MANIFESTS_DIR } from '../components/host.js';
import { describeHostVersion, hostVersion, type VersionEvidence } from '../components/host-version.js';
import { discoverKubelet } from '../components/kubelet-discovery.js';
import { releaseComponent } from '../components/release.js';
import { componentFromStaticPod } from '../components/static-pod.js';
import { parseReleaseVersion } from '../controls/lifecycle/kubernetes-releases.js';
import { scanInputs } from '../scan/scan.js';
import type { Input } from '../loader/inputs.js';
import { loadResources, type InputError, type LoadedResource } from '../loader/source.js';
import { terminalText } from '../report/terminal-text.js';
import { emitReports, prepareScan } from './scan-command.js';
import { supportDay } from './support-date.js';
import { UsageError } from './usage-error.js';

/**
 * `kubeharden node`: a control-plane or worker host's configuration, from files under `--root` the way kube-bench
 * reads them: static pod manifests, the kubelet's flags and KubeletConfiguration, the files their flags name
 * (EncryptionConfiguration, audit policy), and the ownership and permissions of PKI files and kubeconfigs.
 */
export async function runNode(command: Command): Promise<number> {
  const { root } = command.opts() as { root: string };
  const errors: InputError[] = [];
  const host = new HostRoot(resolve(root), errors);
  if (!host.stat('/')?.isDirectory()) throw new UsageError(`--root ${root} is not a folder`);
  const session = prepareScan(command, []);
  const day = supportDay(command);
  const nodeName = root === '/' ? hostname() : root;

  // A manifest that is a dangling link is reported by `stat`, once.
  const manifests = host.list(MANIFESTS_DIR).filter((path) => /\.(ya?ml|json)$/.test(path) && host.stat(path) !== undefined);
  const inputs: Input[] = manifests.map((path) => ({
    name: path,
    preferJson: path.endsWith('.json'),
    read: async () => host.readBytes(path),
  }));
  const staticPods = readStaticPods(host, manifests);
  const kubelet = discoverKubelet(host, nodeName, errors);
  const extraFiles = [
    ...(kubelet?.configPath ? [{ path: kubelet.configPath, role: 'kubelet-config' as const }] : []),
    ...etcdDataDirs(staticPods).map((path) => ({ path, role: 'etcd-data-dir' as const })),
  ];
  const files = hostFiles(host, extraFiles);
  // Nothing found is a usage error, unless something was there but could not be read: that is reported as such.
  if (manifests.length === 0 && !kubelet && files.length === 0 && errors.length === 0) {
    throw new UsageError(`no Kubernetes configuration under ${root}: looked for ${MANIFESTS_DIR}, the kubelet's systemd unit and config, /etc/kubernetes/*.conf and /etc/kubernetes/pki`);
  }
  const extra: ComponentConfig[] = [...(kubelet ? [kubelet.component] : []), hostComponent(nodeName, files)];
  // Judge the host by the version it runs (its own images and packages) unless the user chose one.
  const versionFromFlag = session.options.k8sVersion !== undefined;
  const found = hostVersion(host, staticPods);
  const version = versionFromFlag ? session.version : (found?.version ?? session.version);
  const versionDetail = describeHostVersion(found, version, versionFromFlag);
  // The root is a path and the detail quotes image tags from the host: neither may act on the terminal.
  process.stderr.write(`kubeharden: ${terminalText(`node ${root}: judging it as ${versionDetail}`)}\n`);
  // The release is judged by what the host shows, never by --k8s-version or the default: without evidence, not assessed.
  const oldest = found ? oldestRelease(found.evidence) : undefined;
  if (oldest) {
    extra.push(releaseComponent({ apiVersion: 'v1', kind: 'Node', namespace: null, name: nodeName }, { file: oldest.file, field: oldest.what }, { version: oldest.version, source: `${oldest.what}, ${oldest.file}`, day }));
  }
  const only = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kubelet', 'host', 'release'] as const;
  const result = await scanInputs(inputs, errors, { ...session.scanOptions, version, components: { reader: host, extra, only: [...only] } });
  const versionSource = versionFromFlag ? 'flag' : found ? 'host' : 'default';
  return emitReports({ ...session, version }, result, { target: { kind: 'node', name: root, versionSource, versionDetail }, notAssessed: [] });
}

/** The evidence of the oldest release, by its real minor (the scan's version clamps 1.38 to the newest known). */
function oldestRelease(evidence: readonly VersionEvidence[]): VersionEvidence | undefined {
  const minor = (item: VersionEvidence) => parseReleaseVersion(item.version)?.minor ?? item.minor;
  return evidence.reduce<VersionEvidence | undefined>((low, item) => (low === undefined || minor(item) < minor(low) ? item : low), undefined);
}

/** The static pod manifests, parsed once for what the scan needs besides judging them (version, etcd data). */
function readStaticPods(host: HostRoot, manifests: readonly string[]): LoadedResource[] {
  return manifests.flatMap((path) => {
    const read = host.read(path);
    return 'text' in read ? [...loadResources(path, Buffer.from(read.text), [], path.endsWith('.json'))] : [];
  });
}

/** etcd's `--data-dir` from its static pod (default /var/lib/etcd), so its permissions are judged too. */
function etcdDataDirs(staticPods: readonly LoadedResource[]): string[] {
  return staticPods.flatMap((resource) => {
    const etcd = componentFromStaticPod(resource);
    return etcd?.component === 'etcd' ? [etcd.flags.value('data-dir') ?? '/var/lib/etcd'] : [];
  });
}
