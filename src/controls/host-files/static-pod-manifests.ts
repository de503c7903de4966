import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { checkFiles } from './file-mode.js';

export const meta: ControlMeta = {
  id: 'CP-STATIC-POD-MANIFEST-PERMS',
  title: 'Control-plane static Pod manifests must be writable and readable only by root',
  rationale:
    'The kubelet runs whatever the manifests in /etc/kubernetes/manifests say, privileged and on the host network: ' +
    'whoever can write one runs code as the API server or etcd, and reading them reveals flags and paths. They must be ' +
    'mode 0600 or stricter and owned by root:root.',
  nsaSection: 'Control plane hardening',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Restrict every static Pod manifest to root.',
    snippet: 'chmod 600 /etc/kubernetes/manifests/*.yaml\nchown root:root /etc/kubernetes/manifests/*.yaml\n',
  },
  references: {
    trivy: ['KCV-0048', 'KCV-0049', 'KCV-0050', 'KCV-0051', 'KCV-0052', 'KCV-0053', 'KCV-0054', 'KCV-0055'],
    cis: ['1.1.1', '1.1.2', '1.1.3', '1.1.4', '1.1.5', '1.1.6', '1.1.7', '1.1.8'],
  },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['host'],
  check: ({ component }) => checkFiles(component, [{ role: 'static-pod-manifest', what: 'the static Pod manifest', maxMode: 0o600, rootOwned: true }]),
};
