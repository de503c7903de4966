import type { FindingLocation } from '../vocabulary/finding.js';
import { loadResources, type InputError } from '../loader/source.js';
import type { ComponentConfig } from './component-config.js';
import { FlagSet, splitArguments } from './flags.js';
import type { HostRoot } from './host.js';
import { kubeletComponent } from './kubelet.js';

/** Where kubeadm, distribution packages and systemd put a kubelet's flags. */
const FLAG_FILES = ['/var/lib/kubelet/kubeadm-flags.env', '/etc/default/kubelet', '/etc/sysconfig/kubelet'];
const DROP_IN_DIRS = ['/etc/systemd/system/kubelet.service.d', '/usr/lib/systemd/system/kubelet.service.d', '/lib/systemd/system/kubelet.service.d'];
export const DEFAULT_KUBELET_CONFIG = '/var/lib/kubelet/config.yaml';

/** Flag arguments found in files, each with where it is written. */
interface FoundArgs {
  readonly args: string[];
  readonly locations: FindingLocation[];
}

/**
 * The kubelet's flags from its systemd unit drop-ins and environment files, in the order systemd would pass them.
 * Only arguments that look like flags are kept; `$KUBELET_EXTRA_ARGS` references expand from the files read.
 */
function findFlags(host: HostRoot): FoundArgs & { files: string[] } {
  const found: FoundArgs = { args: [], locations: [] };
  const files: string[] = [];
  const candidates = [...DROP_IN_DIRS.flatMap((dir) => host.list(dir).filter((path) => path.endsWith('.conf'))), ...FLAG_FILES];
  for (const path of candidates) {
    const read = host.read(path);
    if (!('text' in read)) continue;
    files.push(path);
    read.text.split('\n').forEach((line, index) => {
      // `Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"`, `KUBELET_KUBEADM_ARGS="--a=b"`, `ExecStart=/usr/bin/kubelet --x`
      const assignment = /^\s*(?:Environment=)?"?([A-Z_]+)=(.*?)"?\s*$/.exec(line) ?? /^\s*ExecStart=(\S*kubelet)\s+(.*)$/.exec(line);
      if (!assignment) return;
      const value = (assignment[2] ?? '').replace(/^"|"$/g, '');
      let column = line.indexOf(value) + 1;
      for (const arg of splitArguments(value)) {
        const at = line.indexOf(arg, column - 1);
        column = at === -1 ? column : at + 1;
        if (!arg.startsWith('-') && found.args.length === 0) continue;
        if (arg.startsWith('$')) continue;
        found.args.push(arg);
        found.locations.push({ file: path, line: index + 1, column });
      }
    });
  }
  return { ...found, files };
}

/** The kubelet of this host, or undefined when the host has neither kubelet flags nor a KubeletConfiguration. */
export function discoverKubelet(host: HostRoot, nodeName: string, errors: InputError[]): { component: ComponentConfig; configPath: string | undefined } | undefined {
  const found = findFlags(host);
  const flags = FlagSet.parse(found.args);
  const configPath = flags.value('config') ?? (host.stat(DEFAULT_KUBELET_CONFIG) ? DEFAULT_KUBELET_CONFIG : undefined);
  if (found.files.length === 0 && configPath === undefined) return undefined;
  let config: { object: Record<string, unknown>; document: import('../loader/source.js').ResourceDocument; prefix: [] } | undefined;
  if (configPath !== undefined) {
    const read = host.read(configPath);
    if ('error' in read) {
      errors.push({ file: configPath, line: null, column: null, message: `${read.error}; the kubelet is judged on its flags and their defaults` });
    } else {
      const resource = [...loadResources(configPath, Buffer.from(read.text), errors, false)].find((item) => item.object['kind'] === 'KubeletConfiguration');
      if (resource) config = { object: resource.object, document: resource.document, prefix: [] };
      else errors.push({ file: configPath, line: null, column: null, message: 'no KubeletConfiguration in the kubelet --config file' });
    }
  }
  const fallback: FindingLocation = { file: found.files[0] ?? configPath ?? '/', line: found.files.length > 0 ? 1 : 0, column: found.files.length > 0 ? 1 : 0 };
  const component = kubeletComponent({
    name: nodeName,
    flags,
    flagLocation: (index) => (index === undefined ? fallback : (found.locations[index] ?? fallback)),
    ...(config ? { config } : {}),
    reader: host,
  });
  return { component, configPath };
}
