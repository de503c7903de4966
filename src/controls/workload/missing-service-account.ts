import { describeNamespace } from '../../engine/inventory.js';
import type { ControlMeta, InventoryControl } from '../../engine/types.js';

export const meta: ControlMeta = {
  id: 'SA-MISSING-SERVICE-ACCOUNT',
  title: 'Workloads should run as ServiceAccounts that are defined',
  rationale:
    'A pod that names a ServiceAccount the input does not define is either refused at admission or runs as an ' +
    'account created elsewhere, whose RBAC bindings and automountServiceAccountToken nobody reviewing these ' +
    'manifests can see: its rights are unknown. The `default` account exists in every namespace and is never ' +
    'reported (POD-NO-DEFAULT-SERVICE-ACCOUNT judges its use). With --namespace-objects-elsewhere the control does ' +
    'not run, and in `cluster` scans the ServiceAccounts listed from the API server count.',
  nsaSection: 'Authentication and authorization › Service accounts',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Define the ServiceAccount beside the workload (with automountServiceAccountToken: false unless it calls the API), or fix the name.',
    snippet: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: storefront\n  namespace: shop\nautomountServiceAccountToken: false\n',
  },
  references: {},
  frameworks: ['nsa'],
};

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  // ServiceAccounts are namespace-level objects: declared elsewhere, their absence here means nothing.
  needsNamespaceObjects: true,
  *check(inventory, { namespaceObjectsElsewhere }) {
    if (namespaceObjectsElsewhere) return 0;
    let assessed = 0;
    for (const entry of inventory.namespaces.values()) {
      for (const workload of entry.workloads) {
        if (workload.serviceAccountSubject === undefined) continue;
        assessed++;
        if (entry.serviceAccounts.has(workload.serviceAccount)) continue;
        yield {
          subject: workload.serviceAccountSubject,
          message: `pod runs as ServiceAccount ${workload.serviceAccount}, which is not ${inventory.searched} in ${describeNamespace(entry)}`,
        };
      }
    }
    return assessed;
  },
};
