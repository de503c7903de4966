/**
 * The escalation paths of the RBAC good practices that amount to cluster-admin (or node) in effect: admission
 * control, services/status, PersistentVolume creation, Node and Namespace modification. Each case binds one role
 * to User mallory and names the exact message, so the verbs, resources, scope and chain are all checked; peers'
 * published cases (Checkov CKV_K8S_155, Kubescape C-0278/C-0281) are among them, rewritten as bound grants.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTROLS } from '../../../src/controls/index.js';
import { assertCompleteMetadata } from '../../support/control-tester.js';
import { aggregatedClusterRole, binding, clusterRole, role, sa, user } from '../../support/rbac-objects.js';
import { scanAll } from '../../support/scan-text.js';

type Via = 'ClusterRoleBinding' | 'RoleBinding to ClusterRole' | 'RoleBinding to Role';

interface Case {
  readonly name: string;
  readonly rules: object[];
  /** How the role reaches mallory (default: a ClusterRoleBinding). */
  readonly via?: Via;
  readonly version?: string;
  readonly extra?: readonly string[];
  readonly bindingLabels?: Record<string, string>;
  readonly subject?: object;
  /** The ClusterRole r aggregates the ClusterRoles with these labels. */
  readonly aggregate?: Record<string, string>;
}

interface InvalidCase extends Case {
  /** What mallory can do, as the message says it ("create mutatingwebhookconfigurations"). */
  readonly can: string;
  readonly who?: string;
  readonly chainSuffix?: string;
}

const rule = (verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]) => ({ verbs, apiGroups, resources, ...(resourceNames ? { resourceNames } : {}) });

function manifest(testCase: Case): string {
  const via = testCase.via ?? 'ClusterRoleBinding';
  const subject = testCase.subject ?? user('mallory');
  const documents =
    via === 'RoleBinding to Role'
      ? [role('r', 'shop', testCase.rules), binding('RoleBinding', 'b', ['Role', 'r'], [subject], 'shop', testCase.bindingLabels)]
      : [testCase.aggregate ? aggregatedClusterRole('r', testCase.aggregate) : clusterRole('r', testCase.rules), binding(via === 'ClusterRoleBinding' ? 'ClusterRoleBinding' : 'RoleBinding', 'b', ['ClusterRole', 'r'], [subject], via === 'ClusterRoleBinding' ? undefined : 'shop', testCase.bindingLabels)];
  return [...documents, ...(testCase.extra ?? [])].join('\n---\n');
}

function expectedMessage(testCase: InvalidCase, clusterScoped: boolean): string {
  const via = testCase.via ?? 'ClusterRoleBinding';
  const scope = via === 'ClusterRoleBinding' ? (clusterScoped ? 'cluster-wide' : 'in every namespace') : 'in namespace shop';
  const chain = via === 'ClusterRoleBinding' ? 'ClusterRoleBinding b -> ClusterRole r' : via === 'RoleBinding to ClusterRole' ? 'RoleBinding shop/b -> ClusterRole r' : 'RoleBinding shop/b -> Role r';
  return `${testCase.who ?? 'User mallory'} can ${testCase.can} ${scope}, via ${chain}${testCase.chainSuffix ?? ''}`;
}

async function messages(testCase: Case, controlId: string): Promise<string[]> {
  const { findings, errors } = await scanAll(manifest(testCase), testCase.version ? { version: testCase.version } : {});
  assert.deepEqual(errors, []);
  return findings.filter((finding) => finding.controlId === controlId).map((finding) => finding.message);
}

/** `clusterScoped`: the right is on cluster-scoped resources, so a ClusterRoleBinding grants it "cluster-wide". */
function testGrantControl(controlId: string, clusterScoped: boolean, cases: { valid: readonly Case[]; invalid: readonly InvalidCase[] }): void {
  describe(controlId, () => {
    const control = CONTROLS.find((candidate) => candidate.meta.id === controlId);
    it('is in the catalog with complete metadata', () => {
      assert.ok(control, `${controlId} is not registered`);
      assertCompleteMetadata(control.meta);
    });
    for (const testCase of cases.valid) {
      it(`valid: ${testCase.name}`, async () => assert.deepEqual(await messages(testCase, controlId), []));
    }
    for (const testCase of cases.invalid) {
      it(`invalid: ${testCase.name}`, async () => assert.deepEqual(await messages(testCase, controlId), [expectedMessage(testCase, clusterScoped)]));
    }
  });
}

const ADMISSION = 'admissionregistration.k8s.io';
const WEBHOOKS = ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'];
const bootstrap = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

testGrantControl('RBAC-ADMISSION-CONTROL', true, {
  valid: [
    { name: 'read-only on every resource (Checkov passed-1)', rules: [rule(['get'], ['*'], ['*'])] },
    { name: 'get, list and watch on webhook configurations (Checkov passed-2)', rules: [rule(['get', 'list', 'watch'], ['*'], ['validatingwebhookconfigurations'])] },
    { name: 'a RoleBinding cannot grant cluster-scoped webhook configurations (Kubescape clusterrole-rolebinding flags it)', via: 'RoleBinding to ClusterRole', rules: [rule(['create', 'update', 'delete'], [ADMISSION], WEBHOOKS)] },
    { name: 'nor a Role with wildcards (Kubescape role-rolebinding flags it)', via: 'RoleBinding to Role', rules: [rule(['*', 'watch', 'create', 'update'], ['*'], ['rolebindings', 'deployments', 'pods', ...WEBHOOKS])] },
    {
      name: 'a RoleBinding cannot grant admission policies or their bindings either (cluster-scoped too)',
      via: 'RoleBinding to ClusterRole',
      rules: [rule(['create', 'update', 'patch'], [ADMISSION], ['validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings'])],
    },
    { name: 'the right resources in another API group', rules: [rule(['create'], ['apps'], WEBHOOKS)] },
    { name: 'create limited by resourceNames grants nothing (create requests carry no name)', rules: [rule(['create'], [ADMISSION], WEBHOOKS, ['mine'])] },
    { name: 'delete only (removes a guard, grants no control)', rules: [rule(['delete', 'deletecollection'], [ADMISSION], WEBHOOKS)] },
    { name: 'mutatingadmissionpolicies before 1.32 do not exist', version: '1.31', rules: [rule(['create'], [ADMISSION], ['mutatingadmissionpolicies'])] },
    { name: 'validatingadmissionpolicies before 1.26 do not exist', version: '1.25', rules: [rule(['create'], [ADMISSION], ['validatingadmissionpolicies'])] },
    { name: 'before 1.9 there is no admissionregistration API', version: '1.8', rules: [rule(['*'], ['*'], ['*'])] },
    { name: 'Kubernetes bootstrap bindings', bindingLabels: bootstrap, rules: [rule(['*'], ['*'], ['*'])] },
  ],
  invalid: [
    { name: 'create on mutating webhooks (Checkov failed-1)', rules: [rule(['create', 'list'], [ADMISSION], ['mutatingwebhookconfigurations']), rule(['get'], [''], ['pods'])], can: 'create mutatingwebhookconfigurations' },
    { name: 'patch on validating webhooks (Checkov failed-2)', rules: [rule(['patch'], [ADMISSION], ['validatingwebhookconfigurations'])], can: 'patch validatingwebhookconfigurations' },
    { name: 'every verb on both webhook kinds', rules: [rule(['*'], [ADMISSION], WEBHOOKS)], can: 'create, update or patch mutatingwebhookconfigurations and validatingwebhookconfigurations' },
    {
      name: 'update on everything, 1.37: webhooks and both kinds of admission policies',
      rules: [rule(['update'], ['*'], ['*'])],
      can: 'update mutatingwebhookconfigurations, validatingwebhookconfigurations, validatingadmissionpolicies, validatingadmissionpolicybindings, mutatingadmissionpolicies and mutatingadmissionpolicybindings',
    },
    { name: 'update on everything, 1.31: no mutating admission policies yet', version: '1.31', rules: [rule(['update'], ['*'], ['*'])], can: 'update mutatingwebhookconfigurations, validatingwebhookconfigurations, validatingadmissionpolicies and validatingadmissionpolicybindings' },
    { name: 'update on everything, 1.25: webhooks only', version: '1.25', rules: [rule(['update'], ['*'], ['*'])], can: 'update mutatingwebhookconfigurations and validatingwebhookconfigurations' },
    { name: 'a ValidatingAdmissionPolicyBinding (1.30)', version: '1.30', rules: [rule(['create'], [ADMISSION], ['validatingadmissionpolicybindings'])], can: 'create validatingadmissionpolicybindings' },
    { name: 'a MutatingAdmissionPolicy (1.34)', version: '1.34', rules: [rule(['patch'], [ADMISSION], ['mutatingadmissionpolicies'])], can: 'patch mutatingadmissionpolicies' },
    {
      name: 'update limited by resourceNames still controls that webhook',
      rules: [rule(['get', 'update'], [ADMISSION], ['validatingwebhookconfigurations'], ['ingress-nginx-admission'])],
      can: 'update validatingwebhookconfigurations named ingress-nginx-admission',
    },
    {
      name: 'through an aggregated ClusterRole',
      rules: [],
      aggregate: { 'example.com/aggregate-to-r': 'true' },
      extra: [clusterRole('webhook-admin', [rule(['create'], [ADMISSION], ['mutatingwebhookconfigurations'])], { 'example.com/aggregate-to-r': 'true' })],
      can: 'create mutatingwebhookconfigurations',
      chainSuffix: ' (aggregated from webhook-admin)',
    },
    { name: 'a ServiceAccount', subject: sa('injector', 'tools'), rules: [rule(['patch'], [ADMISSION], ['mutatingwebhookconfigurations'])], can: 'patch mutatingwebhookconfigurations', who: 'ServiceAccount tools/injector' },
  ],
});

testGrantControl('RBAC-SERVICES-STATUS', false, {
  valid: [
    { name: 'patch on services, not their status', via: 'RoleBinding to Role', rules: [rule(['patch', 'update'], [''], ['services'])] },
    { name: 'read the status', rules: [rule(['get', 'list', 'watch'], [''], ['services/status'])] },
    { name: 'another API group', rules: [rule(['patch'], ['apps'], ['services/status'])] },
    { name: 'services/* is a literal name in RBAC, not a wildcard (only */status is)', rules: [rule(['patch'], [''], ['services/*'])] },
  ],
  invalid: [
    { name: 'patch in one namespace (Role)', via: 'RoleBinding to Role', rules: [rule(['patch'], [''], ['services/status'])], can: 'patch services/status' },
    { name: 'update through a RoleBinding to a ClusterRole', via: 'RoleBinding to ClusterRole', rules: [rule(['update'], [''], ['services/status'])], can: 'update services/status' },
    { name: 'the status of every resource (*/status)', rules: [rule(['update', 'patch'], [''], ['*/status'])], can: 'update or patch services/status' },
    { name: 'everything', rules: [rule(['*'], ['*'], ['*'])], can: 'update or patch services/status' },
    { name: 'one named Service is enough', rules: [rule(['patch'], [''], ['services/status'], ['web'])], can: 'patch services/status named web' },
  ],
});

testGrantControl('RBAC-PV-CREATE', true, {
  valid: [
    { name: 'persistentvolumes in the wrong API group (Kubescape clusterrole-clusterrolebinding)', rules: [rule(['create', 'watch', 'list'], ['rbac.authorization.k8s.io'], ['pods', 'rolebindings', 'persistentvolumes'])] },
    { name: 'a RoleBinding cannot grant cluster-scoped PersistentVolumes (Kubescape clusterrole-rolebinding flags it)', via: 'RoleBinding to ClusterRole', rules: [rule(['*', 'watch', 'list'], [''], ['pods', 'services', 'persistentvolumes'])] },
    { name: 'nor a Role (Kubescape role-rolebinding flags it)', via: 'RoleBinding to Role', rules: [rule(['*'], ['*'], ['persistentvolumes'])] },
    { name: 'claims, not volumes', rules: [rule(['create'], [''], ['persistentvolumeclaims'])] },
    { name: 'create limited by resourceNames', rules: [rule(['create'], [''], ['persistentvolumes'], ['pv-1'])] },
    { name: 'update of existing volumes (their source is immutable)', rules: [rule(['update', 'patch'], [''], ['persistentvolumes'])] },
  ],
  invalid: [
    { name: 'create persistentvolumes', rules: [rule(['create'], [''], ['persistentvolumes'])], can: 'create persistentvolumes' },
    { name: 'every verb on every core resource', rules: [rule(['*'], [''], ['*'])], can: 'create persistentvolumes' },
    { name: 'a Group', subject: { kind: 'Group', name: 'storage-admins' }, rules: [rule(['create'], ['*'], ['persistentvolumes'])], can: 'create persistentvolumes', who: 'Group storage-admins' },
  ],
});

testGrantControl('RBAC-NODES-MODIFY', true, {
  valid: [
    { name: 'read nodes', rules: [rule(['get', 'list', 'watch'], [''], ['nodes', 'nodes/status'])] },
    { name: 'a RoleBinding cannot grant cluster-scoped Nodes', via: 'RoleBinding to ClusterRole', rules: [rule(['patch'], [''], ['nodes'])] },
    { name: 'nodes/proxy is another control', rules: [rule(['get', 'create'], [''], ['nodes/proxy'])] },
    { name: 'Kubernetes bootstrap bindings (system:node)', bindingLabels: bootstrap, rules: [rule(['patch', 'update'], [''], ['nodes', 'nodes/status'])] },
  ],
  invalid: [
    { name: 'patch nodes', rules: [rule(['patch'], [''], ['nodes'])], can: 'patch nodes' },
    { name: 'update and patch the status', rules: [rule(['update', 'patch'], [''], ['nodes/status'])], can: 'update or patch nodes/status' },
    { name: 'wildcard verbs on nodes and their status', rules: [rule(['*'], [''], ['nodes', 'nodes/status'])], can: 'update or patch nodes and nodes/status' },
    { name: 'one named Node', rules: [rule(['patch'], [''], ['nodes'], ['worker-1'])], can: 'patch nodes named worker-1' },
  ],
});

testGrantControl('RBAC-NAMESPACES-MODIFY', false, {
  valid: [
    { name: 'read namespaces', rules: [rule(['get', 'list', 'watch'], [''], ['namespaces'])] },
    { name: 'create namespaces (another right: nothing to relabel)', rules: [rule(['create'], [''], ['namespaces'])] },
    { name: 'the finalize and status subresources', rules: [rule(['update'], [''], ['namespaces/finalize', 'namespaces/status'])] },
  ],
  invalid: [
    { name: 'a Role in the namespace patches its own Namespace (the RBAC good practices case)', via: 'RoleBinding to Role', rules: [rule(['patch'], [''], ['namespaces'])], can: 'patch namespaces' },
    { name: 'a RoleBinding to a ClusterRole', via: 'RoleBinding to ClusterRole', rules: [rule(['update', 'patch'], [''], ['namespaces'])], can: 'update or patch namespaces' },
    { name: 'every namespace through a ClusterRoleBinding', rules: [rule(['*'], [''], ['*'])], can: 'update or patch namespaces' },
    { name: 'one named Namespace', rules: [rule(['patch'], [''], ['namespaces'], ['shop'])], can: 'patch namespaces named shop' },
  ],
});
