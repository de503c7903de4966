import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { checkFiles } from './file-mode.js';

export const meta: ControlMeta = {
  id: 'KCFG-COMPONENT-KUBECONFIGS',
  title: 'Component kubeconfigs must be readable only by root',
  rationale:
    'scheduler.conf, controller-manager.conf, kubelet.conf and the kube-proxy kubeconfig hold the credentials of those ' +
    'components; the controller-manager\'s can read every Secret. They must be mode 0600 or stricter and owned by root:root.',
  nsaSection: 'Control plane hardening › Kubeconfig files',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Restrict each component kubeconfig to root.',
    snippet: 'chmod 600 /etc/kubernetes/scheduler.conf /etc/kubernetes/controller-manager.conf /etc/kubernetes/kubelet.conf\nchown root:root /etc/kubernetes/scheduler.conf /etc/kubernetes/controller-manager.conf /etc/kubernetes/kubelet.conf\n',
  },
  references: {
    kubescape: ['C-0164', 'C-0165'],
    trivy: ['KCV-0062', 'KCV-0063', 'KCV-0064', 'KCV-0065', 'KCV-0071', 'KCV-0072', 'KCV-0073', 'KCV-0074'],
    cis: ['1.1.15', '1.1.16', '1.1.17', '1.1.18', '4.1.3', '4.1.4', '4.1.5', '4.1.6'],
  },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['host'],
  check: ({ component }) => checkFiles(component, [{ role: 'kubeconfig', what: 'the kubeconfig', maxMode: 0o600, rootOwned: true }]),
};
