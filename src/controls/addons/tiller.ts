import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { addonFindings, versionFact } from './exposure.js';

export const meta: ControlMeta = {
  id: 'ADDON-NO-TILLER',
  title: 'Helm v2\'s Tiller must not be deployed',
  rationale:
    'Tiller, the in-cluster half of Helm v2, installs charts with its own service account, which is usually ' +
    'cluster-admin, and by default listens on gRPC port 44134 without authentication: any pod that reaches it can ' +
    'deploy anything. Helm v2 reached end of life in November 2020 and gets no security fixes; Helm v3 has no ' +
    'Tiller. The finding names the version from the image tag and anything in the input that exposes it.',
  nsaSection: 'Authentication and authorization; Upgrading and application security practices',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Migrate the releases to Helm v3 (helm-2to3 plugin), then delete the tiller-deploy Deployment, its Service and its service account\'s bindings.',
    snippet: 'helm 2to3 convert <release>\nhelm 2to3 cleanup\n',
  },
  references: {},
  frameworks: ['nsa'],
};

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  check: (inventory) => addonFindings(inventory, 'tiller', 'Helm v2 Tiller', (addon) => [versionFact(addon)]),
};
