import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { checkFiles } from './file-mode.js';

export const meta: ControlMeta = {
  id: 'NODE-KUBELET-FILE-PERMS',
  title: 'The kubelet configuration file must be writable and readable only by root',
  rationale:
    'Whoever can write the KubeletConfiguration can turn on anonymous access or AlwaysAllow at the next restart. It must ' +
    'be mode 0600 or stricter and owned by root:root.',
  nsaSection: 'Worker node segmentation; Control plane hardening › Kubeconfig files',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Restrict the kubelet configuration file to root.',
    snippet: 'chmod 600 /var/lib/kubelet/config.yaml\nchown root:root /var/lib/kubelet/config.yaml\n',
  },
  references: { trivy: ['KCV-0077', 'KCV-0078'], cis: ['4.1.9', '4.1.10'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['host'],
  check: ({ component }) => checkFiles(component, [{ role: 'kubelet-config', what: 'the kubelet configuration', maxMode: 0o600, rootOwned: true }]),
};
