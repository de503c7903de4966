import { describeNamespace } from '../../engine/inventory.js';
import { SharedMessages } from '../../util/shared-messages.js';
import type { ControlMeta, InventoryControl } from '../../engine/types.js';

export const meta: ControlMeta = {
  id: 'POD-SA-TOKEN-NOT-AUTOMOUNTED',
  title: 'Pods must not mount a service account token they do not need',
  rationale:
    'Every pod gets an API token by default; an attacker in the pod can use it against the API server with whatever ' +
    'RBAC grants the account. Most applications never call the API.',
  nsaSection: 'Kubernetes Pod security › Protecting Pod service account tokens',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Set automountServiceAccountToken: false on the pod (or on its ServiceAccount); mount a projected token only where the API is used.',
    snippet: 'spec:\n  automountServiceAccountToken: false\n',
  },
  references: { kubescape: ['C-0034'], trivy: ['KSV-0036'], cis: ['5.1.6'] },
  frameworks: ['nsa'],
};

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  *check(inventory, { namespaceObjectsElsewhere }) {
    let assessed = 0;
    for (const entry of inventory.namespaces.values()) {
      // One message per ServiceAccount of the namespace, not one copy per workload.
      const messages = new SharedMessages<string>();
      for (const workload of entry.workloads) {
        assessed++;
        if (workload.automount === false) continue;
        if (workload.automount === true) {
          yield { subject: workload.automountSubject, message: 'pod sets automountServiceAccountToken: true' };
          continue;
        }
        // The pod is silent, so its ServiceAccount decides.
        const found = entry.serviceAccounts.has(workload.serviceAccount);
        if (found && entry.serviceAccounts.get(workload.serviceAccount) === false) continue;
        if (!found && namespaceObjectsElsewhere) continue;
        const message = messages.get(workload.serviceAccount, () =>
          found
            ? `pod mounts an API token: neither it nor ServiceAccount ${workload.serviceAccount} sets automountServiceAccountToken: false`
            : `pod mounts an API token: it does not set automountServiceAccountToken: false, and ServiceAccount ${workload.serviceAccount} in ${describeNamespace(entry)} is not ${inventory.searched}`,
        );
        yield { subject: workload.automountSubject, message };
      }
    }
    return assessed;
  },
};
