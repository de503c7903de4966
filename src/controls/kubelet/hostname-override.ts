import type { ComponentControl, ControlMeta } from '../../engine/types.js';

export const meta: ControlMeta = {
  id: 'NODE-KUBELET-HOSTNAME-OVERRIDE',
  title: 'The kubelet should not override its hostname',
  rationale:
    'A node name that differs from the host name can break the match between the kubelet serving certificate and the ' +
    'node, pushing operators toward skipping TLS verification. There is no KubeletConfiguration field for it; only the flag sets it.',
  nsaSection: 'Worker node segmentation (kubelet; from the CIS Benchmark, not named in the guide)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove --hostname-override from the kubelet flags and give the host the name the node should have (some cloud providers need the flag: then accept this finding).',
    snippet: '# remove from KUBELET_EXTRA_ARGS / kubeadm-flags.env:\n# --hostname-override=<name>\n',
  },
  references: { trivy: ['KCV-0086'], cis: ['4.2.7'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kubelet'],
  check: ({ component }) => {
    const name = component.flags.value('hostname-override');
    if (name === undefined) return [];
    return [{ at: { flag: 'hostname-override' }, message: `--hostname-override=${name} registers the node under a name other than the host's` }];
  },
};
