import { celHas, objectRule, RBAC_BOOTSTRAP_OBJECT } from '../../engine/admission-cel.js';
import type { ControlMeta, InventoryControl } from '../../engine/types.js';

export const meta: ControlMeta = {
  id: 'RBAC-WILDCARD-RULES',
  title: 'Roles must not use wildcard verbs or resources',
  rationale:
    'A "*" grants every verb or resource, including ones added later by new Kubernetes versions and CRDs; nobody ' +
    'reviewing the role can know what it allows.',
  nsaSection: 'Authentication and authorization › RBAC (least privilege)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'List the verbs and resources the role needs explicitly.',
    snippet: 'rules:\n- apiGroups: ["apps"]\n  resources: ["deployments"]\n  verbs: ["get", "list", "watch", "update"]\n',
  },
  references: { kubescape: ['C-0187'], trivy: ['KSV-0044', 'KSV-0045', 'KSV-0046'], cis: ['5.1.3'] },
  frameworks: ['nsa'],
};

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  // A role's own rules decide it, bound or not.
  admission: {
    kinds: ['rbac.authorization.k8s.io/Role', 'rbac.authorization.k8s.io/ClusterRole'],
    validations: () => [
      objectRule(meta, {
        violates: `!${RBAC_BOOTSTRAP_OBJECT} && ${celHas('object', 'rules')} && object.rules.exists(r, (${celHas('r', 'verbs')} && '*' in r.verbs) || (${celHas('r', 'resources')} && '*' in r.resources))`,
        field: 'rules',
        must: 'must not grant every verb or every resource ("*")',
      }),
    ],
  },
  *check(inventory) {
    const roles = inventory.rbac.roles.filter((role) => !role.bootstrap);
    for (const role of roles) {
      for (const [index, subject] of inventory.wildcardRules.get(role) ?? []) {
        const rule = role.rules[index];
        const what = [rule?.verbs.includes('*') ? 'every verb' : '', rule?.resources.includes('*') ? 'every resource' : ''].filter(Boolean).join(' on ');
        yield { subject, message: `${role.kind} ${role.namespace ? `${role.namespace}/` : ''}${role.name} grants ${what} (rule ${index})` };
      }
    }
    return roles.length;
  },
};
