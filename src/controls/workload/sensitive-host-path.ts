import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { array, isRecord, str } from '../../util/object.js';
import { volumeRule, celField, celString } from '../../engine/admission-cel.js';

/** Host paths whose mount gives away the node: system directories, container runtime sockets, cluster state. */
export const SENSITIVE_HOST_PATHS: readonly string[] = [
  '/', '/boot', '/dev', '/etc', '/lib', '/proc', '/sys', '/usr', '/home', '/var/lib/docker',
  '/var/run/docker.sock', '/run/docker.sock', '/var/run/containerd/containerd.sock', '/run/containerd/containerd.sock',
  '/var/run/crio/crio.sock', '/run/crio/crio.sock', '/var/run/cri-dockerd.sock', '/var/run/dockershim.sock',
  '/var/run/containerd', '/run/containerd', '/var/run', '/run',
];
/** Trees that are sensitive at any depth: credentials of the node and the cluster. */
export const SENSITIVE_HOST_TREES: readonly string[] = ['/etc/kubernetes', '/var/lib/kubelet', '/var/lib/etcd', '/etc/cni', '/root'];

function normalise(path: string): string {
  const collapsed = path.replace(/\/+/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
}

export function isSensitiveHostPath(path: string): boolean {
  const normalised = normalise(path);
  return SENSITIVE_HOST_PATHS.includes(normalised) || SENSITIVE_HOST_TREES.some((tree) => normalised === tree || normalised.startsWith(`${tree}/`));
}

export const meta: ControlMeta = {
  id: 'POD-NO-SENSITIVE-HOSTPATH',
  title: 'Pods must not mount sensitive host paths',
  rationale:
    'Mounting the container runtime socket, the node root, /etc, /proc or kubelet and etcd state lets the pod take ' +
    'over the node and read the credentials of everything on it. This is worse than a hostPath volume in general.',
  nsaSection: 'Kubernetes Pod security › Pod security enforcement (allowedHostPaths)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove the hostPath volume; use the Kubernetes API, a CSI driver or a dedicated agent instead of host files.',
    snippet: 'volumes:\n- name: data\n  emptyDir: {}\n',
  },
  references: { trivy: ['KSV-0121', 'KSV-0006'] },
  frameworks: ['nsa'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () => {
      // The scanner collapses repeated slashes and drops a trailing one; RE2 says the same with /+ and /*.
      const segments = (path: string) => path.split('/').filter((part) => part !== '').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      const exact = SENSITIVE_HOST_PATHS.map((path) => (segments(path).length === 0 ? '/+' : `/+${segments(path).join('/+')}/*`));
      const trees = SENSITIVE_HOST_TREES.map((tree) => `/+${segments(tree).join('/+')}(/.*)?`);
      const pattern = `^(${[...exact, ...trees].join('|')})$`;
      return [volumeRule(meta, { violates: celField('v', 'hostPath.path', (p) => `${p}.matches(${celString(pattern)})`), field: 'hostPath.path', must: 'must not be a sensitive host path' })];
    },
  },
  check({ spec, specPath }) {
    const violations: Violation[] = [];
    array(spec.volumes).forEach((volume, index) => {
      if (!isRecord(volume) || !isRecord(volume.hostPath)) return;
      const path = str(volume.hostPath.path);
      if (path !== undefined && isSensitiveHostPath(path)) {
        violations.push({
          path: [...specPath, 'volumes', index, 'hostPath', 'path'],
          message: `volume "${str(volume.name) ?? index}" mounts the sensitive host path ${path}`,
        });
      }
    });
    return violations;
  },
};
