/** The resources an object control's kinds (`Service`, `networking.k8s.io/Ingress`) are matched by at admission. */
import type { AdmissionRule, Control, InventoryAdmissionRule } from '../../engine/types.js';
import type { ResourceRule, Variable } from './pod-variables.js';

/** group/Kind (core: Kind) → resource, for the kinds object controls judge. */
const RESOURCES: Readonly<Record<string, string>> = {
  Service: 'services',
  ConfigMap: 'configmaps',
  Secret: 'secrets',
  ServiceAccount: 'serviceaccounts',
  Namespace: 'namespaces',
  Pod: 'pods',
  Node: 'nodes',
  'apps/DaemonSet': 'daemonsets',
  'networking.k8s.io/Ingress': 'ingresses',
  'rbac.authorization.k8s.io/Role': 'roles',
  'rbac.authorization.k8s.io/ClusterRole': 'clusterroles',
  'rbac.authorization.k8s.io/RoleBinding': 'rolebindings',
  'rbac.authorization.k8s.io/ClusterRoleBinding': 'clusterrolebindings',
};

/** The kinds a non-pod control's policy matches: an object control's own, or those its inventory rule judges alone. */
export function admissionKinds(control: Exclude<Control, { scope: 'pod' }>, rule: AdmissionRule | InventoryAdmissionRule): readonly string[] {
  if (control.scope === 'object') return control.kinds;
  return 'kinds' in rule ? rule.kinds : [];
}

export interface ObjectMatch {
  readonly resourceRules: readonly ResourceRule[];
  readonly kindCondition: string | undefined;
  readonly variables: readonly Variable[];
}

/** Kinds no release since 1.28 serves (`extensions/Ingress`) are left out: nothing can be admitted as them. */
export function objectMatch(kinds: readonly string[]): ObjectMatch {
  const byGroup = new Map<string, string[]>();
  for (const kind of kinds) {
    const resource = RESOURCES[kind];
    if (resource === undefined) continue;
    const group = kind.includes('/') ? kind.slice(0, kind.indexOf('/')) : '';
    byGroup.set(group, [...(byGroup.get(group) ?? []), resource]);
  }
  return {
    resourceRules: [...byGroup].map(([group, resources]) => ({ apiGroups: [group], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources })),
    kindCondition: undefined,
    variables: [],
  };
}
