/** The Kubernetes objects of generated roles: each Role or ClusterRole followed by the binding to its subject. */
import type { GeneratedRole } from './generate.js';
import type { PolicyRule, RbacSubject } from './model.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const API_VERSION = `${RBAC_GROUP}/v1`;

/** `kubeharden:user:alice`, `kubeharden:sa:ns1:sa1`: names that say whom they are for and cannot collide between kinds. */
export function generatedName(subject: RbacSubject): string {
  const who = subject.kind === 'ServiceAccount' ? `sa:${subject.namespace}:${subject.name}` : `${subject.kind.toLowerCase()}:${subject.name}`;
  // Role names are path segments: audit2rbac's sanitizing (anything but letters, digits and ':' becomes '-').
  return `kubeharden:${who}`.toLowerCase().replace(/[^a-z0-9:]/g, '-');
}

/** Objects in a stable order: the ClusterRole and its binding, then each namespace's Role and binding. */
export function generatedObjects(subject: RbacSubject, roles: readonly GeneratedRole[], source: string): object[] {
  const name = generatedName(subject);
  const metadataOf = (namespace: string | null) => ({
    name,
    ...(namespace === null ? {} : { namespace }),
    labels: { 'app.kubernetes.io/managed-by': 'kubeharden' },
    annotations: { 'kubeharden.io/generated-from': source },
  });
  const objects: object[] = [];
  for (const role of roles) {
    const roleKind = role.namespace === null ? 'ClusterRole' : 'Role';
    objects.push({ apiVersion: API_VERSION, kind: roleKind, metadata: metadataOf(role.namespace), rules: role.rules.map(ruleObject) });
    objects.push({
      apiVersion: API_VERSION,
      kind: role.namespace === null ? 'ClusterRoleBinding' : 'RoleBinding',
      metadata: metadataOf(role.namespace),
      roleRef: { apiGroup: RBAC_GROUP, kind: roleKind, name },
      subjects: [subjectObject(subject)],
    });
  }
  return objects;
}

/** A rule as the API writes it: empty lists left out. */
function ruleObject(rule: PolicyRule): object {
  if (rule.nonResourceURLs.length > 0) return { nonResourceURLs: rule.nonResourceURLs, verbs: rule.verbs };
  return { apiGroups: rule.apiGroups, resources: rule.resources, ...(rule.resourceNames.length > 0 ? { resourceNames: rule.resourceNames } : {}), verbs: rule.verbs };
}

function subjectObject(subject: RbacSubject): object {
  if (subject.kind === 'ServiceAccount') return { kind: 'ServiceAccount', name: subject.name, namespace: subject.namespace };
  return { apiGroup: RBAC_GROUP, kind: subject.kind, name: subject.name };
}
