import { isRecord, stringOf } from '../../../util/object.js';
import type { DetectionMeta, DetectionRule } from '../rule.js';
import { POD_CREATE_NEEDS, podCreateRule } from './pod-rule.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-SENSITIVE-MOUNT-POD',
  title: 'A pod mounting a sensitive host path was created',
  rationale:
    'Mounting the node\'s root, /etc, /proc, the kubelet\'s directory, the control-plane manifests or a container ' +
    'runtime socket hands the pod the node: it can read credentials, write static pods or start containers at will ' +
    '(MITRE T1611). The list is Falco\'s sensitive mounts plus /var/lib/kubelet and the runtime sockets Elastic names.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Confirm the pod is a node agent that needs the mount; otherwise use a PersistentVolume, ConfigMap or Secret.', snippet: 'volumes:\n- name: data\n  persistentVolumeClaim:\n    claimName: data\n' },
  references: {},
  frameworks: ['nsa'],
  needs: POD_CREATE_NEEDS,
  covers: { falco: ['Create Sensitive Mount Pod'], elastic: ['Kubernetes Pod Created with a Sensitive hostPath Volume'] },
  attack: ['T1611', 'T1610'],
};

/** Exact paths, as Falco compares them: a mount of /etc/nginx is not a mount of /etc. */
const SENSITIVE = new Set([
  '/', '/proc', '/etc', '/root', '/home/admin', '/var/lib/kubelet', '/var/lib/kubelet/pki', '/etc/kubernetes',
  '/etc/kubernetes/manifests', '/var/run/docker.sock', '/run/docker.sock', '/var/run/crio/crio.sock', '/run/crio/crio.sock',
  '/run/containerd/containerd.sock', '/var/run/containerd/containerd.sock', '/var/run/cri-dockerd.sock',
]);

const TRAILING_SLASHES = /(.)\/+$/;

export const rule: DetectionRule = podCreateRule(meta, (spec) => {
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  for (const [index, volume] of volumes.entries()) {
    if (!isRecord(volume) || !isRecord(volume.hostPath)) continue;
    const path = stringOf(volume.hostPath.path ?? '').replace(TRAILING_SLASHES, '$1');
    if (SENSITIVE.has(path)) return { what: `mounting the host's ${path} (volume ${stringOf(volume.name ?? index)})`, field: `spec.volumes[${index}].hostPath.path` };
  }
  return undefined;
});
