import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { enabledAdmissionPlugins } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-ALWAYS-PULL-IMAGES',
  title: 'On nodes shared by tenants, the API server should enable the AlwaysPullImages admission plugin',
  rationale:
    'Once an image is on a node, any pod scheduled there can run it by name with imagePullPolicy IfNotPresent or ' +
    'Never, without the pull secret that fetched it. AlwaysPullImages sets every new pod\'s policy to Always, so the ' +
    'registry checks the pod\'s own credentials each time. It matters where tenants that must not see each other\'s ' +
    'private images share nodes; on single-tenant nodes it only adds registry traffic (and a registry outage stops pod ' +
    'starts), hence the low severity. From 1.35 the kubelet itself can verify credentials for cached images ' +
    '(KubeletEnsureSecretPulledImages, beta and on by default), which protects the same way without the plugin.',
  nsaSection: 'Kubernetes Pod security › Protecting images (private registries; kube-bench and CIS ask for the plugin)',
  pss: null,
  severity: 'low',
  versions: {
    sinceMinor: 0,
    changes: [
      { minor: 33, change: 'the kubelet can check pull credentials for cached images instead (KubeletEnsureSecretPulledImages, alpha)' },
      { minor: 35, change: 'KubeletEnsureSecretPulledImages beta and on by default: an alternative to the plugin' },
    ],
  },
  remediation: {
    text: 'On multi-tenant nodes, add AlwaysPullImages to --enable-admission-plugins (or, from 1.35, keep the kubelet\'s KubeletEnsureSecretPulledImages on).',
    snippet: '    - --enable-admission-plugins=NodeRestriction,AlwaysPullImages\n',
  },
  references: { kubescape: ['C-0123'], trivy: ['KCV-0012'], cis: ['1.2.11', '1.2.12 (cis-1.6)'], checkov: ['CKV_K8S_80'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => {
    const enabled = enabledAdmissionPlugins(component);
    if (enabled.names.includes('AlwaysPullImages')) return [];
    return [
      {
        at: { flag: enabled.flag },
        message: `AlwaysPullImages is not in --${enabled.flag}: on nodes shared by tenants, a pod can run another tenant's private image already pulled there without its pull secret`,
      },
    ];
  },
};
