import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { KUBERNETES_RELEASES, parseReleaseVersion, supportOn, type KubernetesRelease } from './kubernetes-releases.js';

export const meta: ControlMeta = {
  id: 'CLUSTER-VERSION-SUPPORTED',
  title: 'The cluster must run a Kubernetes release that upstream still supports',
  rationale:
    'Upstream patches each minor release for about 14 months. After its end-of-life date no security fix reaches ' +
    'it, so every vulnerability found later (in the API server, the kubelet, kube-proxy) stays open for good. The ' +
    'guide asks for prompt upgrades and patches; a release past its end of life cannot get them. Judged in ' +
    '`kubeharden cluster` (the server\'s /version) and `kubeharden node` (the oldest version the host shows), ' +
    'against the end-of-life dates of kubernetes.io/releases kept in the catalog.',
  nsaSection: 'Upgrading and application security practices',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Upgrade the control plane, then the nodes, one minor release at a time to a release upstream still supports (kubernetes.io/releases); a managed cluster is upgraded through its provider, whose own support window may be longer.',
    snippet: '# kubeadm clusters, one minor at a time:\nkubeadm upgrade plan\nkubeadm upgrade apply v1.NN.P\n',
  },
  references: {},
  frameworks: ['nsa'],
};

/** The control over any release table: the catalog's own, or a test's. */
export function versionSupportedControl(table: readonly KubernetesRelease[]): ComponentControl {
  return {
    meta,
    scope: 'component',
    components: ['release'],
    check: ({ component }) => {
      const running = component.release;
      if (!running) return [{ notAssessed: 'the Kubernetes version that runs is not known' }];
      const parsed = parseReleaseVersion(running.version);
      if (!parsed) return [{ notAssessed: `${JSON.stringify(running.version)} (${running.source}) is not a Kubernetes version kubeharden can read` }];
      const support = supportOn(parsed.minor, running.day, table);
      if (support.status === 'unknown') return [{ notAssessed: support.reason }];
      if (support.status === 'supported') return [];
      const ended = support.endOfLife === undefined ? 'before the first published end-of-life date' : `on ${support.endOfLife}`;
      return [
        {
          at: { config: [] },
          message:
            `Kubernetes ${running.version} (${running.source}) is out of upstream support: 1.${parsed.minor} reached its end of life ${ended} ` +
            `and gets no security fixes; ${supportedOn(running.day, table)}`,
        },
      ];
    },
  };
}

/** What the user can upgrade to, on that day. */
function supportedOn(day: string, table: readonly KubernetesRelease[]): string {
  const supported = table.filter((release) => day <= release.endOfLife).map((release) => release.minor);
  if (supported.length === 0) return `kubeharden's release table knows no release supported on ${day}: update kubeharden`;
  const range = supported.length === 1 ? `1.${supported[0]}` : `1.${supported[0]} to 1.${supported[supported.length - 1]}`;
  return `supported on ${day}: ${range}`;
}

export const control = versionSupportedControl(KUBERNETES_RELEASES);
