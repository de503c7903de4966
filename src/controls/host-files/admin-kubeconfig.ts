import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { checkFiles } from './file-mode.js';

export const meta: ControlMeta = {
  id: 'KCFG-ADMIN-KUBECONFIG',
  title: 'The admin kubeconfig must be readable only by root',
  rationale:
    'admin.conf (and super-admin.conf on newer kubeadm) holds a client certificate with cluster-admin rights: anyone ' +
    'who can read it owns the cluster. It must be mode 0600 or stricter and owned by root:root.',
  nsaSection: 'Control plane hardening › Kubeconfig files',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Restrict the admin kubeconfig to root, and hand out per-user credentials instead of copies of it.',
    snippet: 'chmod 600 /etc/kubernetes/admin.conf\nchown root:root /etc/kubernetes/admin.conf\n',
  },
  references: { kubescape: ['C-0104', 'C-0105'], trivy: ['KCV-0060', 'KCV-0061'], cis: ['1.1.13', '1.1.14'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['host'],
  check: ({ component }) => checkFiles(component, [{ role: 'admin-kubeconfig', what: 'the admin kubeconfig', maxMode: 0o600, rootOwned: true }]),
};
