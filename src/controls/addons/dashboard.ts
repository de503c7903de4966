import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { tagVersion } from '../../kube/addons.js';
import { addonFindings, versionFact } from './exposure.js';

export const meta: ControlMeta = {
  id: 'ADDON-NO-DASHBOARD',
  title: 'The Kubernetes Dashboard should not be deployed',
  rationale:
    'The Dashboard is a web UI with the rights of whoever logs in, or of its own service account when login is ' +
    'skipped: exposed, it is a target for credential theft and a way past audit-friendly tooling (the Tesla ' +
    'cryptojacking of 2018 went through an open Dashboard). Versions before 2.0 (kubernetes-dashboard-amd64 images) ' +
    'offered a Skip button that, before v1.10.1, acted as the Dashboard\'s own, often powerful, service account ' +
    '(CVE-2018-18264). `--enable-skip-login` brings that button back and `--enable-insecure-login` accepts logins ' +
    'over plain HTTP. The finding names the version (from the image tag), those flags, and any NodePort or ' +
    'LoadBalancer Service or Ingress in the input that reaches its pods (directly or through a Service an Ingress ' +
    'routes to; a proxy in between, such as the Kong gateway of Dashboard 7\'s chart, is not followed).',
  nsaSection: 'Authentication and authorization; Network separation and hardening (limit exposure of services)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text:
      'Remove the Dashboard, or keep it v2.0+ without --enable-skip-login and --enable-insecure-login, behind a ' +
      'ClusterIP Service reached with kubectl port-forward or an authenticating proxy.',
    snippet: 'args:\n- --auto-generate-certificates\n- --namespace=kubernetes-dashboard\n',
  },
  references: { checkov: ['CKV_K8S_33'] },
  frameworks: ['nsa'],
};

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  check: (inventory) =>
    addonFindings(inventory, 'dashboard', 'Kubernetes Dashboard', (addon) => {
      const version = tagVersion(addon.version);
      return [
        versionFact(addon),
        ...(version && version.major < 2 ? ['a 1.x release, whose Skip button signs visitors in as the Dashboard itself (CVE-2018-18264 before v1.10.1)'] : []),
        ...addon.riskyArgs.map((arg) => `it runs with ${arg}`),
      ];
    }),
};
