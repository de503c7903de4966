import type { DetectionMeta, DetectionRule } from '../rule.js';
import { eventRule, username } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-PRIVILEGED-IMPERSONATION',
  title: 'A request impersonated a privileged identity',
  rationale:
    'Impersonating system:masters, a system: user (a node, the controller manager) or a kube-system service account ' +
    'borrows rights the caller does not hold (MITRE T1134). Administrators testing RBAC impersonate ordinary users, ' +
    'not these.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Confirm who impersonated whom and why; restrict the impersonate verb to named users and groups.', snippet: 'kubeharden rbac who-can impersonate users manifests/\n' },
  references: {},
  frameworks: ['nsa'],
  needs: { level: 'Metadata', stage: 'ResponseComplete', requests: [{ verb: 'get', resource: 'secrets' }] },
  covers: { elastic: ['Kubernetes API Request Impersonating Privileged Identity'] },
  attack: ['T1134'],
};

const PRIVILEGED_GROUPS = new Set(['system:masters', 'system:nodes', 'kubeadm:cluster-admins']);

export const rule: DetectionRule = eventRule(meta, undefined, (event) => {
  const target = event.impersonatedUser;
  if (!target) return undefined;
  const name = target.username ?? '';
  const group = (target.groups ?? []).find((candidate) => PRIVILEGED_GROUPS.has(candidate));
  const privileged = name === 'admin' || name.startsWith('system:') || group !== undefined;
  if (!privileged) return undefined;
  return { field: 'impersonatedUser', message: `${username(event)} acted as ${name || '(no user)'}${group ? ` in group ${group}` : ''}: ${event.verb} ${event.requestURI}` };
});
