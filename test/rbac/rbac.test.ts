import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { scanInputs } from '../../src/scan/scan.js';
import { TemplatePaths } from '../../src/kube/pod-templates.js';
import { parseKubeVersion } from '../../src/kube/version.js';
import { collectInputs } from '../../src/loader/inputs.js';
import type { InputError } from '../../src/loader/source.js';
import { isClusterScoped, parseResourceArgument, resourceOfKind, ruleAllows, ruleAllowsNonResource, type ResourceRequest } from '../../src/rbac/authorize.js';
import { describeChain } from '../../src/rbac/graph.js';
import { loadRbac } from '../../src/rbac/load.js';
import { parseRule } from '../../src/rbac/model.js';
import { needsShared, sharedPath } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';

const rule = (value: object) => parseRule(value);

describe('ruleAllows (exact RBAC matching)', () => {
  const cases: [object, object, boolean][] = [
    [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }, { verb: 'get', group: '', resource: 'secrets' }, true],
    [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }, { verb: 'list', group: '', resource: 'secrets' }, false],
    [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verb: 'delete', group: 'apps', resource: 'deployments' }, true],
    [{ verbs: ['get'], apiGroups: ['apps'], resources: ['secrets'] }, { verb: 'get', group: '', resource: 'secrets' }, false],
    [{ verbs: ['create'], apiGroups: [''], resources: ['pods'] }, { verb: 'create', group: '', resource: 'pods', subresource: 'exec' }, false],
    [{ verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] }, { verb: 'create', group: '', resource: 'pods', subresource: 'exec' }, true],
    [{ verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] }, { verb: 'update', group: 'apps', resource: 'deployments', subresource: 'scale' }, true],
    [{ verbs: ['get'], apiGroups: [''], resources: ['pods/*'] }, { verb: 'get', group: '', resource: 'pods', subresource: 'log' }, false],
    [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }, { verb: 'get', group: '', resource: 'secrets', name: 'a' }, true],
    [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }, { verb: 'get', group: '', resource: 'secrets' }, false],
  ];
  for (const [ruleValue, request, expected] of cases) {
    it(`${JSON.stringify(ruleValue)} ${JSON.stringify(request)} → ${expected}`, () => assert.equal(ruleAllows(rule(ruleValue), request as never), expected));
  }
  it('matches non-resource URLs exactly or by trailing *', () => {
    const discovery = rule({ verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*'] });
    assert.ok(ruleAllowsNonResource(discovery, 'get', '/healthz'));
    assert.ok(ruleAllowsNonResource(discovery, 'get', '/apis/apps/v1'));
    assert.ok(!ruleAllowsNonResource(discovery, 'get', '/metrics'));
  });
  it('parses resource arguments like kubectl', () => {
    assert.deepEqual(parseResourceArgument('pods/exec'), { group: '', resource: 'pods', subresource: 'exec' });
    assert.deepEqual(parseResourceArgument('deployments.apps'), { group: 'apps', resource: 'deployments' });
    assert.deepEqual(parseResourceArgument('deployments.apps/scale'), { group: 'apps', resource: 'deployments', subresource: 'scale' });
  });
});

describe('RbacGraph on the Kubernetes default roles', { skip: needsShared }, () => {
  const extra = tempDir('rbac');
  writeFileSync(
    join(extra, 'bindings.yaml'),
    [
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: alice-edit\n  namespace: shop\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: edit\nsubjects:\n- kind: User\n  name: alice\n',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ci-admin\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: admin\nsubjects:\n- kind: ServiceAccount\n  name: deployer\n  namespace: ci\n',
    ].join('---\n'),
  );

  it('resolves aggregated ClusterRoles (admin ⊇ edit ⊇ system:aggregate-to-edit)', async () => {
    const graph = await loadRbac([sharedPath('corpus', 'rbac'), extra], []);
    const edit = graph.rulesOf('ClusterRole', 'edit', null);
    assert.ok(edit.from.includes('system:aggregate-to-edit'));
    const admin = graph.rulesOf('ClusterRole', 'admin', null);
    assert.ok(admin.from.includes('edit') && admin.from.includes('system:aggregate-to-edit'));
  });

  it('answers who can read secrets, with scope and chain', async () => {
    const graph = await loadRbac([sharedPath('corpus', 'rbac'), extra], []);
    const inShop = graph.whoCan({ verb: 'get', group: '', resource: 'secrets' }, 'shop').map((grant) => `${grant.subject.kind}:${grant.subject.name}`);
    assert.deepEqual(inShop.sort(), ['Group:system:masters', 'ServiceAccount:deployer', 'User:alice', 'User:system:kube-controller-manager']);
    const inOther = graph.whoCan({ verb: 'get', group: '', resource: 'secrets' }, 'other').map((grant) => grant.subject.name);
    assert.ok(!inOther.includes('alice'), 'a RoleBinding grants only in its namespace');
    const alice = graph.grantsOf('User', 'alice', null)[0];
    assert.ok(alice);
    assert.match(describeChain(alice), /RoleBinding shop\/alice-edit -> ClusterRole edit \(aggregated from .*system:aggregate-to-edit/);
  });

  it('knows who can exec into pods and impersonate', async () => {
    const graph = await loadRbac([sharedPath('corpus', 'rbac'), extra], []);
    const exec = graph.whoCan({ verb: 'create', group: '', resource: 'pods', subresource: 'exec' }, 'shop').map((grant) => grant.subject.name);
    assert.deepEqual(exec.sort(), ['alice', 'deployer', 'system:masters']);
    const impersonate = graph.whoCan({ verb: 'impersonate', group: '', resource: 'serviceaccounts' }, 'shop').map((grant) => grant.subject.name);
    assert.ok(impersonate.includes('alice'));
  });

  it('on the escalation paths only system:masters holds a right, so the controls (which leave bootstrap bindings out) find nothing', async () => {
    const graph = await loadRbac([sharedPath('corpus', 'rbac')], []);
    const rights: ResourceRequest[] = [
      { verb: 'patch', group: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations', someObject: true },
      { verb: 'create', group: 'admissionregistration.k8s.io', resource: 'validatingadmissionpolicybindings' },
      { verb: 'update', group: '', resource: 'services', subresource: 'status', someObject: true },
      { verb: 'create', group: '', resource: 'persistentvolumes' },
      { verb: 'patch', group: '', resource: 'nodes', subresource: 'status', someObject: true },
      { verb: 'patch', group: '', resource: 'namespaces', someObject: true },
    ];
    for (const right of rights) {
      assert.deepEqual(graph.whoCan(right, null).map((grant) => `${grant.subject.kind}:${grant.subject.name}`), ['Group:system:masters'], JSON.stringify(right));
    }
    const errors: InputError[] = [];
    const inputs = await collectInputs([sharedPath('corpus', 'rbac')], errors);
    const result = await scanInputs(inputs, errors, { framework: 'nsa', version: parseKubeVersion('latest'), templatePaths: new TemplatePaths() });
    assert.deepEqual(errors, []);
    const escalation = ['RBAC-ADMISSION-CONTROL', 'RBAC-SERVICES-STATUS', 'RBAC-PV-CREATE', 'RBAC-NODES-MODIFY', 'RBAC-NAMESPACES-MODIFY'];
    assert.deepEqual(result.findings.filter((finding) => escalation.includes(finding.controlId)), []);
    assert.equal(result.findings.filter((finding) => finding.controlId === 'RBAC-CLUSTER-ADMIN-BINDING').length, 0, 'system:masters is bootstrap policy too');
  });

  it('survives ClusterRoles that aggregate each other', async () => {
    const loop = tempDir('rbac-loop');
    const role = (name: string, selects: string) =>
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${name}\n  labels:\n    ${name}: "true"\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels:\n      ${selects}: "true"\nrules:\n- apiGroups: [""]\n  resources: ["${name}"]\n  verbs: ["get"]\n`;
    writeFileSync(join(loop, 'loop.yaml'), `${role('a', 'b')}---\n${role('b', 'a')}`);
    const graph = await loadRbac([loop], []);
    assert.deepEqual(graph.rulesOf('ClusterRole', 'a', null).rules.map((r) => r.resources[0]).sort(), ['a', 'b']);
  });
});

describe('RBAC scope and identity rules (regressions)', () => {
  const write = (text: string) => {
    const dir = tempDir('rbac-scope');
    writeFileSync(join(dir, 'rbac.yaml'), text);
    return dir;
  };
  const clusterRole = (name: string, rules: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${name}\nrules:\n${rules}`;

  it('a RoleBinding never grants cluster-scoped resources (nodes/proxy, CSR approval, impersonating users)', async () => {
    const dir = write(
      [
        clusterRole('proxy', '- apiGroups: [""]\n  resources: ["nodes/proxy", "users"]\n  verbs: ["get", "impersonate"]\n'),
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\n  namespace: team\nroleRef:\n  kind: ClusterRole\n  name: proxy\nsubjects:\n- kind: ServiceAccount\n  name: app\n',
      ].join('---\n'),
    );
    const graph = await loadRbac([dir], []);
    assert.deepEqual(graph.whoCan({ verb: 'get', group: '', resource: 'nodes', subresource: 'proxy' }, null), []);
    assert.deepEqual(graph.whoCan({ verb: 'impersonate', group: '', resource: 'users' }, 'team'), []);
  });

  it('a ServiceAccount holds the grants of its user name and its groups', async () => {
    const dir = write(
      [
        clusterRole('reader', '- apiGroups: [""]\n  resources: ["secrets"]\n  verbs: ["get"]\n'),
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: by-user\n  namespace: team\nroleRef:\n  kind: ClusterRole\n  name: reader\nsubjects:\n- kind: User\n  name: system:serviceaccount:team:app2\n',
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: by-group\nroleRef:\n  kind: ClusterRole\n  name: reader\nsubjects:\n- kind: Group\n  name: system:serviceaccounts:team\n',
      ].join('---\n'),
    );
    const graph = await loadRbac([dir], []);
    assert.deepEqual(graph.grantsOf('ServiceAccount', 'app2', 'team').map((grant) => grant.binding.name).sort(), ['by-group', 'by-user']);
    assert.deepEqual(graph.grantsOf('ServiceAccount', 'app2', 'other').map((grant) => grant.binding.name), []);
  });

  it('who-can in a namespace keeps RoleBindings whose namespace is set on apply', async () => {
    const dir = write(
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\nrules:\n- apiGroups: [""]\n  resources: ["secrets"]\n  verbs: ["get"]\n---\n' +
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\nroleRef:\n  kind: Role\n  name: reader\nsubjects:\n- kind: ServiceAccount\n  name: app\n',
    );
    const graph = await loadRbac([dir], []);
    assert.equal(graph.whoCan({ verb: 'get', group: '', resource: 'secrets' }, 'team').length, 1);
  });
});

describe('cluster-scoped resources, as the API server scopes RoleBindings', () => {
  const cases: [object, boolean][] = [
    [{ verb: 'create', group: 'admissionregistration.k8s.io', resource: 'validatingadmissionpolicies' }, true],
    [{ verb: 'create', group: 'admissionregistration.k8s.io', resource: 'mutatingadmissionpolicybindings' }, true],
    [{ verb: 'create', group: 'flowcontrol.apiserver.k8s.io', resource: 'flowschemas' }, true],
    [{ verb: 'get', group: 'networking.k8s.io', resource: 'ipaddresses' }, true],
    [{ verb: 'use', group: 'policy', resource: 'podsecuritypolicies' }, true],
    [{ verb: 'get', group: '', resource: 'componentstatuses' }, true],
    [{ verb: 'impersonate', group: 'authentication.k8s.io', resource: 'userextras', subresource: 'scopes' }, true],
    [{ verb: 'patch', group: '', resource: 'services', subresource: 'status' }, false],
    // A Namespace object is filed under its own name: a RoleBinding there grants get, update, patch and delete on it.
    [{ verb: 'patch', group: '', resource: 'namespaces' }, false],
    [{ verb: 'delete', group: '', resource: 'namespaces' }, false],
    [{ verb: 'update', group: '', resource: 'namespaces', subresource: 'finalize' }, false],
    [{ verb: 'create', group: '', resource: 'namespaces' }, true],
    [{ verb: 'list', group: '', resource: 'namespaces' }, true],
  ];
  for (const [request, expected] of cases) {
    it(`${JSON.stringify(request)} → ${expected ? 'cluster-scoped' : 'namespaced'}`, () => assert.equal(isClusterScoped(request as never), expected));
  }
  it('derives resource names from kinds as Kubernetes does', () => {
    assert.deepEqual(['Node', 'ComponentStatus', 'PodSecurityPolicy', 'IPAddress', 'ServiceCIDR'].map(resourceOfKind), ['nodes', 'componentstatuses', 'podsecuritypolicies', 'ipaddresses', 'servicecidrs']);
  });
  it('a rule limited by resourceNames allows some object, never a create', () => {
    const named = rule({ verbs: ['create', 'update'], apiGroups: [''], resources: ['nodes'], resourceNames: ['n1'] });
    assert.ok(ruleAllows(named, { verb: 'update', group: '', resource: 'nodes', someObject: true }));
    assert.ok(!ruleAllows(named, { verb: 'update', group: '', resource: 'nodes' }));
    assert.ok(!ruleAllows(named, { verb: 'create', group: '', resource: 'nodes', someObject: true }));
    assert.ok(!ruleAllows(named, { verb: 'create', group: '', resource: 'nodes', name: 'n1' }), 'a create carries no name');
    const token = rule({ verbs: ['create'], apiGroups: [''], resources: ['serviceaccounts/token'], resourceNames: ['builder'] });
    assert.ok(ruleAllows(token, { verb: 'create', group: '', resource: 'serviceaccounts', subresource: 'token', name: 'builder' }), 'a create on a subresource names its object');
    assert.ok(!ruleAllows(token, { verb: 'create', group: '', resource: 'serviceaccounts', subresource: 'token', name: 'other' }));
  });
});
