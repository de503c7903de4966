import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binding, clusterRole, group, role, sa, user } from '../../support/rbac-objects.js';
import { scanAll } from '../../support/scan-text.js';

async function ids(text: string, controlId: string): Promise<string[]> {
  const { findings, errors } = await scanAll(text);
  assert.deepEqual(errors, []);
  return findings.filter((f) => f.controlId === controlId).map((f) => f.message);
}

describe('RBAC risk controls', () => {
  const reader = role('reader', 'shop', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }]);
  const viewer = role('viewer', 'shop', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]);

  it('RBAC-SECRETS-READ names the subject, scope and chain', async () => {
    const text = [reader, viewer, binding('RoleBinding', 'r', ['Role', 'reader'], [user('bob'), sa('app')], 'shop'), binding('RoleBinding', 'v', ['Role', 'viewer'], [user('eve')], 'shop')].join('\n---\n');
    assert.deepEqual(await ids(text, 'RBAC-SECRETS-READ'), [
      'User bob can read Secrets (get, list or watch) in namespace shop, via RoleBinding shop/r -> Role reader',
      'ServiceAccount shop/app can read Secrets (get, list or watch) in namespace shop, via RoleBinding shop/r -> Role reader',
    ]);
  });

  it('follows ClusterRole aggregation', async () => {
    const text = [
      clusterRole('base', [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }], { 'example.com/aggregate-to-ops': 'true' }),
      JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'ops' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-ops': 'true' } }] } }),
      binding('ClusterRoleBinding', 'ops', ['ClusterRole', 'ops'], [group('oncall')]),
    ].join('\n---\n');
    assert.deepEqual(await ids(text, 'RBAC-POD-EXEC'), [
      'Group oncall can exec into pods in every namespace, via ClusterRoleBinding ops -> ClusterRole ops (aggregated from base)',
    ]);
  });

  it('flags cluster-admin, anonymous, default service account bindings and wildcard rules, not Kubernetes bootstrap policy', async () => {
    const text = [
      binding('ClusterRoleBinding', 'ops-admin', ['ClusterRole', 'cluster-admin'], [user('ops')]),
      binding('ClusterRoleBinding', 'masters', ['ClusterRole', 'cluster-admin'], [group('system:masters')], undefined, { 'kubernetes.io/bootstrapping': 'rbac-defaults' }),
      binding('RoleBinding', 'open', ['Role', 'viewer'], [group('system:unauthenticated'), group('system:authenticated')], 'shop'),
      binding('RoleBinding', 'dflt', ['Role', 'viewer'], [sa('default', 'shop')], 'shop'),
      role('viewer', 'shop', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]),
      clusterRole('everything', [{ apiGroups: ['apps'], resources: ['*'], verbs: ['get'] }, { apiGroups: [''], resources: ['pods'], verbs: ['*'] }]),
    ].join('\n---\n');
    assert.equal((await ids(text, 'RBAC-CLUSTER-ADMIN-BINDING')).length, 1);
    assert.equal((await ids(text, 'RBAC-ANONYMOUS-BINDINGS')).length, 2);
    assert.equal((await ids(text, 'RBAC-DEFAULT-SA-BINDINGS')).length, 1);
    assert.deepEqual(await ids(text, 'RBAC-WILDCARD-RULES'), [
      'ClusterRole everything grants every resource (rule 0)',
      'ClusterRole everything grants every verb (rule 1)',
    ]);
  });

  it('flags escalation, workload creation, nodes/proxy, token creation and CSR approval', async () => {
    const text = [
      clusterRole('risky', [
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'] },
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] },
        { apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] },
        { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
        { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] },
      ]),
      binding('ClusterRoleBinding', 'risky', ['ClusterRole', 'risky'], [user('mallory')]),
    ].join('\n---\n');
    for (const control of ['RBAC-ESCALATE-BIND-IMPERSONATE', 'RBAC-CREATE-WORKLOADS', 'RBAC-NODES-PROXY', 'RBAC-SA-TOKEN-CREATE', 'RBAC-CSR-APPROVE']) {
      assert.equal((await ids(text, control)).length, 1, control);
    }
    assert.deepEqual(await ids(text, 'RBAC-SECRETS-READ'), []);
  });

  describe('RBAC-ESCALATE-BIND-IMPERSONATE and RBAC-POD-EXEC name each right they found', () => {
    const cases: { name: string; rules: object[]; control: string; message: string }[] = [
      {
        name: 'escalate alone',
        rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'] }],
        control: 'RBAC-ESCALATE-BIND-IMPERSONATE',
        message: 'User mallory can escalate (clusterroles) cluster-wide, via ClusterRoleBinding grant -> ClusterRole granted',
      },
      {
        name: 'bind on both role kinds',
        rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'clusterroles'], verbs: ['bind'] }],
        control: 'RBAC-ESCALATE-BIND-IMPERSONATE',
        message: 'User mallory can bind (roles, clusterroles) in every namespace, via ClusterRoleBinding grant -> ClusterRole granted',
      },
      {
        name: 'impersonate through a wildcard verb, on some identities',
        rules: [{ apiGroups: [''], resources: ['users', 'serviceaccounts'], verbs: ['*'] }],
        control: 'RBAC-ESCALATE-BIND-IMPERSONATE',
        message: 'User mallory can impersonate (users, serviceaccounts) in every namespace, via ClusterRoleBinding grant -> ClusterRole granted',
      },
      {
        name: 'all three',
        rules: [
          { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate', 'bind'] },
          { apiGroups: ['authentication.k8s.io'], resources: ['uids'], verbs: ['impersonate'] },
        ],
        control: 'RBAC-ESCALATE-BIND-IMPERSONATE',
        message: 'User mallory can escalate (roles), bind (roles) and impersonate (uids) in every namespace, via ClusterRoleBinding grant -> ClusterRole granted',
      },
      {
        name: 'port-forward and attach, not exec',
        rules: [{ apiGroups: [''], resources: ['pods/portforward', 'pods/attach'], verbs: ['get'] }],
        control: 'RBAC-POD-EXEC',
        message: 'User mallory can attach to and port-forward to pods in every namespace, via ClusterRoleBinding grant -> ClusterRole granted',
      },
    ];
    for (const testCase of cases) {
      it(testCase.name, async () => {
        const text = [clusterRole('granted', testCase.rules), binding('ClusterRoleBinding', 'grant', ['ClusterRole', 'granted'], [user('mallory')])].join('\n---\n');
        assert.deepEqual(await ids(text, testCase.control), [testCase.message]);
      });
    }

    it('a RoleBinding names only the rights it can grant in its namespace', async () => {
      const text = [
        clusterRole('granted', [{ apiGroups: ['', 'rbac.authorization.k8s.io'], resources: ['users', 'serviceaccounts', 'roles', 'clusterroles'], verbs: ['impersonate', 'bind'] }]),
        binding('RoleBinding', 'grant', ['ClusterRole', 'granted'], [user('mallory')], 'shop'),
      ].join('\n---\n');
      assert.deepEqual(await ids(text, 'RBAC-ESCALATE-BIND-IMPERSONATE'), [
        'User mallory can bind (roles) and impersonate (serviceaccounts) in namespace shop, via RoleBinding shop/grant -> ClusterRole granted',
      ]);
    });
  });
});
