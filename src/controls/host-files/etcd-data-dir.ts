import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { checkFiles } from './file-mode.js';

export const meta: ControlMeta = {
  id: 'ETCD-DATA-DIR',
  title: 'The etcd data directory must be accessible only by its owner',
  rationale:
    'The etcd data directory holds every object of the cluster, Secrets included (in clear text unless encryption at ' +
    'rest is on). It must be mode 0700 or stricter. CIS also wants it owned by etcd:etcd; the scan sees only numeric ' +
    'ids, and kubeadm runs etcd as root, so the owner is not checked.',
  nsaSection: 'Control plane hardening › Etcd',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Restrict the etcd data directory (--data-dir, /var/lib/etcd by default) to its owner.',
    snippet: 'chmod 700 /var/lib/etcd\n',
  },
  references: { trivy: ['KCV-0058', 'KCV-0059'], cis: ['1.1.11', '1.1.12'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['host'],
  check: ({ component }) =>
    checkFiles(component, [{ role: 'etcd-data-dir', what: 'the etcd data directory', maxMode: 0o700, rootOwned: false, directory: true }]),
};
