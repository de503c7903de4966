import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { grantsAllowingWhich, requests } from './grants.js';

export const meta: ControlMeta = {
  id: 'RBAC-PV-CREATE',
  title: 'Minimise who can create PersistentVolumes',
  rationale:
    'A PersistentVolume can be a hostPath volume: whoever can create one, and a claim that binds to it, mounts any ' +
    'directory of the node into a pod. Pod Security Admission judges pods, not PersistentVolumes, so even a ' +
    'restricted namespace lets that pod in.',
  nsaSection: 'Authentication and authorization › RBAC (privilege escalation)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Remove create on persistentvolumes; let users claim storage through PersistentVolumeClaims and StorageClasses, provisioned dynamically.',
    snippet: 'rules:\n- apiGroups: [""]\n  resources: ["persistentvolumeclaims"]\n  verbs: ["get", "list", "watch", "create"]\n',
  },
  references: { kubescape: ['C-0278'], cis: ['5.1.9'] },
  frameworks: ['nsa'],
};

const REQUESTS = requests(['create'], '', 'persistentvolumes');

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  check: (inventory) => grantsAllowingWhich(inventory, REQUESTS),
};
