/**
 * The RBAC model against the real authorizer: the same Roles and bindings are loaded by kubeharden and created in a
 * real kube-apiserver, and every question is put to both (SubjectAccessReview, and real requests as a user), so the
 * escalation-path controls rest on the API server's own answers: a RoleBinding grants patch on its own Namespace
 * object, never cluster-scoped webhooks or admission policies, and a resourceNames rule allows update of that object.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import yaml from 'js-yaml';
import type { ResourceRequest } from '../../src/rbac/authorize.js';
import type { RbacGraph } from '../../src/rbac/graph.js';
import { loadRbac } from '../../src/rbac/load.js';
import { createRbacObjects } from '../support/rbac-objects.js';
import type { Cluster } from '../support/cluster-harness.js';
import { useCluster } from '../support/use-cluster.js';
import { tempDir } from '../support/temp-dir.js';

const RBAC = `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: relabel, namespace: shop }
rules:
- { apiGroups: [""], resources: [namespaces], verbs: [get, patch] }
- { apiGroups: [""], resources: [services/status], verbs: [patch] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: relabel, namespace: shop }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: relabel }
subjects: [{ kind: User, name: tenant, apiGroup: rbac.authorization.k8s.io }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: admission }
rules:
- { apiGroups: [admissionregistration.k8s.io], resources: [validatingwebhookconfigurations, validatingadmissionpolicies, mutatingadmissionpolicybindings], verbs: [create, update, patch] }
- { apiGroups: [""], resources: [persistentvolumes, nodes], verbs: [create, patch] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: admission-in-shop, namespace: shop }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admission }
subjects: [{ kind: User, name: tenant, apiGroup: rbac.authorization.k8s.io }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: own-webhook }
rules:
- { apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], resourceNames: [injector], verbs: [create, update] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: own-webhook }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: own-webhook }
subjects: [{ kind: User, name: operator, apiGroup: rbac.authorization.k8s.io }]
`;

interface Question {
  readonly user: string;
  readonly request: ResourceRequest;
  /** The namespace of the request as the API server files it: '' for cluster-scoped resources. */
  readonly namespace: string;
}

const ADMISSION = 'admissionregistration.k8s.io';
const QUESTIONS: Question[] = [
  { user: 'tenant', request: { verb: 'patch', group: '', resource: 'namespaces', name: 'shop' }, namespace: 'shop' },
  { user: 'tenant', request: { verb: 'patch', group: '', resource: 'namespaces', name: 'other' }, namespace: 'other' },
  { user: 'tenant', request: { verb: 'patch', group: '', resource: 'services', subresource: 'status', name: 'web' }, namespace: 'shop' },
  { user: 'tenant', request: { verb: 'patch', group: '', resource: 'services', subresource: 'status', name: 'web' }, namespace: 'other' },
  { user: 'tenant', request: { verb: 'create', group: ADMISSION, resource: 'validatingwebhookconfigurations' }, namespace: '' },
  { user: 'tenant', request: { verb: 'create', group: ADMISSION, resource: 'validatingadmissionpolicies' }, namespace: '' },
  { user: 'tenant', request: { verb: 'create', group: ADMISSION, resource: 'mutatingadmissionpolicybindings' }, namespace: '' },
  { user: 'tenant', request: { verb: 'create', group: '', resource: 'persistentvolumes' }, namespace: '' },
  { user: 'tenant', request: { verb: 'patch', group: '', resource: 'nodes', name: 'worker-1' }, namespace: '' },
  { user: 'operator', request: { verb: 'update', group: ADMISSION, resource: 'mutatingwebhookconfigurations', name: 'injector' }, namespace: '' },
  { user: 'operator', request: { verb: 'update', group: ADMISSION, resource: 'mutatingwebhookconfigurations', name: 'other' }, namespace: '' },
  { user: 'operator', request: { verb: 'create', group: ADMISSION, resource: 'mutatingwebhookconfigurations', name: 'injector' }, namespace: '' },
];

/** What kubeharden's graph says: some grant of the user allows the request where the API server files it. */
function ours(graph: RbacGraph, question: Question): boolean {
  return graph.whoCan(question.request, question.namespace === '' ? null : question.namespace).some((grant) => grant.subject.kind === 'User' && grant.subject.name === question.user);
}

async function theirs(cluster: Cluster, question: Question): Promise<boolean> {
  const { verb, group, resource, subresource, name } = question.request;
  const review = await cluster.request('admin', 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    // The API server never puts a name on the create of a whole object: it is in the body.
    spec: { user: question.user, resourceAttributes: { verb, group, resource, subresource: subresource ?? '', name: verb === 'create' && !subresource ? '' : (name ?? ''), namespace: question.namespace } },
  });
  assert.equal(review.status, 201, review.text);
  return (review.json as { status: { allowed: boolean } }).status.allowed;
}

describe('RBAC model against the real authorizer (escalation paths)', { timeout: 180_000 }, () => {
  let graph: RbacGraph;

  before(async () => {
    const dir = tempDir('rbac-oracle');
    writeFileSync(join(dir, 'rbac.yaml'), RBAC);
    graph = await loadRbac([dir], []);
  });
  const shared = useCluster({ profile: 'insecure', users: { tenant: {}, operator: {} } }, async (cluster) => {
    await cluster.createNamespace('shop');
    await cluster.createNamespace('other');
    await createRbacObjects(cluster, yaml.loadAll(RBAC));
  });

  for (const question of QUESTIONS) {
    const { verb, resource, subresource, name } = question.request;
    it(`${question.user} ${verb} ${resource}${subresource ? `/${subresource}` : ''}${name ? ` ${name}` : ''}${question.namespace ? ` in ${question.namespace}` : ''}: the same answer`, async (t) => {
      const cluster = shared.ready(t);
      if (!cluster) return;
      assert.equal(ours(graph, question), await theirs(cluster, question));
    });
  }

  it('the answers are the interesting ones: a RoleBinding relabels its own Namespace, nothing cluster-scoped', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    assert.deepEqual(
      QUESTIONS.map((question) => ours(graph, question)),
      [true, false, true, false, false, false, false, false, false, true, false, false],
    );
    // Not only the review: the tenant really relabels its Namespace to privileged, and is refused another one.
    const labels = { metadata: { labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } };
    assert.equal((await cluster.request('tenant', 'PATCH', '/api/v1/namespaces/shop', labels)).status, 200);
    assert.equal((await cluster.request('tenant', 'PATCH', '/api/v1/namespaces/other', labels)).status, 403);
  });
});
