/** Rules about rights and credentials: RBAC, impersonation, certificates, tokens, Secrets, ConfigMaps, webhooks. */
import { DEFAULT_DETECTION_SETTINGS } from '../../../src/audit/detect/rule.js';
import { done, kubelet, rbac, replicaSetController, testDetection } from './detection-tester.js';

testDetection('AUDIT-KUBE-NAMESPACE-SERVICE-ACCOUNT', {
  valid: [
    { name: "a controller's account", events: [done({ verb: 'create', objectRef: { resource: 'serviceaccounts', namespace: 'kube-system', name: 'job-controller' } })] },
    { name: 'a refused create', events: [done({ verb: 'create', responseStatus: { code: 403 }, objectRef: { resource: 'serviceaccounts', namespace: 'kube-system', name: 'helper' } })] },
    { name: 'another namespace', events: [done({ verb: 'create', objectRef: { resource: 'serviceaccounts', namespace: 'shop', name: 'helper' } })] },
  ],
  invalid: [
    { name: 'a new account in kube-system', events: [done({ verb: 'create', responseStatus: { code: 201 }, objectRef: { resource: 'serviceaccounts', namespace: 'kube-system', name: 'helper' } })], field: 'objectRef.name', message: /^alice created service account kube-system\/helper$/ },
    {
      name: 'a name only in the body (create requests carry none in the URL)',
      events: [done({ verb: 'create', objectRef: { resource: 'serviceaccounts', namespace: 'kube-public' }, requestObject: { metadata: { name: 'myacct' } } })],
      field: 'objectRef.name',
      message: /^alice created service account kube-public\/myacct$/,
    },
  ],
});

testDetection('AUDIT-CLUSTER-ADMIN-BINDING', {
  valid: [
    { name: 'a binding to view', events: [rbac('clusterrolebindings', 'create', { roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [] })] },
    { name: 'a namespaced Role that happens to be called cluster-admin', events: [rbac('rolebindings', 'create', { roleRef: { kind: 'Role', name: 'cluster-admin' }, subjects: [] }, 'x', 'shop')] },
  ],
  invalid: [
    {
      name: 'a RoleBinding to the cluster-admin ClusterRole',
      events: [rbac('rolebindings', 'create', { roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'build' }] }, 'ci-admin', 'build')],
      field: 'requestObject.roleRef.name',
      message: /^alice bound ServiceAccount build\/ci to cluster-admin \(RoleBinding build\/ci-admin\)$/,
    },
    {
      name: 'a ClusterRoleBinding, read from the response at RequestResponse',
      events: [{ ...rbac('clusterrolebindings', 'create', {}, 'backdoor'), responseObject: { kind: 'ClusterRoleBinding', roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'mallory' }, { kind: 'Group', name: 'devs' }] } }],
      field: 'responseObject.roleRef.name',
      message: /^alice bound User mallory, Group devs to cluster-admin \(ClusterRoleBinding backdoor\)$/,
    },
  ],
});

testDetection('AUDIT-WILDCARD-ROLE', {
  valid: [{ name: 'explicit rules', events: [rbac('clusterroles', 'create', { rules: [{ apiGroups: [''], verbs: ['get'], resources: ['pods'] }] })] }],
  invalid: [
    { name: 'all verbs on pods', events: [rbac('clusterroles', 'create', { rules: [{ apiGroups: [''], verbs: ['*'], resources: ['pods'] }] }, 'pod-admin')], field: 'requestObject.rules[0]', message: /^alice created ClusterRole pod-admin granting all verbs \("\*"\)$/ },
    {
      name: 'a patch that widens a Role (seen in the response, as Elastic reads it)',
      events: [{ ...rbac('roles', 'patch', { rules: [] }, 'r', 'shop'), responseObject: { kind: 'Role', rules: [{ verbs: ['get'], resources: ['pods'] }, { verbs: ['*'], resources: ['*'] }] } }],
      field: 'responseObject.rules[1]',
      message: /^alice changed Role shop\/r granting all verbs on all resources \("\*"\)$/,
    },
  ],
});

testDetection('AUDIT-ESCALATION-VERBS-ROLE', {
  valid: [{ name: 'ordinary verbs', events: [rbac('clusterroles', 'create', { rules: [{ verbs: ['get', 'create'], resources: ['pods'] }] })] }],
  invalid: [
    { name: 'impersonate', events: [rbac('clusterroles', 'create', { rules: [{ apiGroups: [''], verbs: ['impersonate'], resources: ['users', 'groups'] }] })], field: 'requestObject.rules[0]', message: /^alice created ClusterRole r granting impersonate on users, groups$/ },
    { name: 'bind and escalate added by an update', events: [rbac('clusterroles', 'update', { rules: [{ verbs: ['get'], resources: ['pods'] }, { verbs: ['bind', 'escalate'], resources: ['clusterroles'] }] })], field: 'requestObject.rules[1]', message: /^alice changed ClusterRole r granting bind, escalate on clusterroles$/ },
  ],
});

testDetection('AUDIT-POD-EXEC-ROLE', {
  valid: [
    { name: 'pods only', events: [rbac('roles', 'create', { rules: [{ verbs: ['get'], resources: ['pods'] }] }, 'r', 'shop')] },
    { name: 'an update (Falco judges creates)', events: [rbac('roles', 'update', { rules: [{ verbs: ['create'], resources: ['pods/exec'] }] }, 'r', 'shop')] },
  ],
  invalid: [
    { name: 'pods/exec', events: [rbac('clusterroles', 'create', { rules: [{ verbs: ['create'], resources: ['pods/exec'] }] }, 'debugger')], field: 'requestObject.rules[0]', message: /^alice created ClusterRole debugger granting pods\/exec$/ },
    { name: 'pods/attach', events: [rbac('roles', 'create', { rules: [{ verbs: ['get'], resources: ['pods'] }, { verbs: ['create'], resources: ['pods/attach'] }] }, 'r', 'shop')], field: 'requestObject.rules[1]', message: /^alice created Role shop\/r granting pods\/attach$/ },
  ],
});

testDetection('AUDIT-WRITE-PRIVILEGES-ROLE', {
  valid: [{ name: 'read-only', events: [rbac('clusterroles', 'create', { rules: [{ verbs: ['get', 'list', 'watch'], resources: ['pods'] }] })] }],
  invalid: [{ name: 'delete', events: [rbac('clusterroles', 'create', { rules: [{ verbs: ['get', 'delete'], resources: ['pods'] }] })], field: 'requestObject.rules[0]', message: /^alice created ClusterRole r granting delete on pods$/ }],
});

testDetection('AUDIT-SYSTEM-ROLE-MODIFIED', {
  valid: [
    { name: 'system:coredns is excepted, as in Falco', events: [rbac('clusterroles', 'patch', {}, 'system:coredns')] },
    { name: 'reading one', events: [rbac('clusterroles', 'get', {}, 'system:node')] },
    { name: 'deleting a role of ours', events: [rbac('clusterroles', 'delete', {}, 'shop-reader')] },
  ],
  invalid: [
    { name: 'deleting system:node', events: [rbac('clusterroles', 'delete', {}, 'system:node')], field: 'objectRef.name', message: /^alice deleted the built-in role system:node$/ },
    { name: 'patching a kube-system Role', events: [rbac('roles', 'patch', {}, 'system:controller:bootstrap-signer', 'kube-system')], field: 'objectRef.name', message: /^alice changed the built-in role kube-system\/system:controller:bootstrap-signer$/ },
  ],
});

testDetection('AUDIT-PRIVILEGED-IMPERSONATION', {
  valid: [
    { name: 'impersonating an ordinary user', events: [done({ verb: 'get', requestURI: '/api/v1/namespaces/shop/pods', impersonatedUser: { username: 'bob', groups: ['developers'] } })] },
    { name: 'no impersonation', events: [done({ verb: 'get', requestURI: '/api/v1/namespaces/shop/pods' })] },
  ],
  invalid: [
    { name: 'a group of system:masters', events: [done({ verb: 'list', requestURI: '/api/v1/secrets', impersonatedUser: { username: 'bob', groups: ['system:masters'] } })], field: 'impersonatedUser', message: /^alice acted as bob in group system:masters: list \/api\/v1\/secrets$/ },
    { name: 'a kube-system service account', events: [done({ verb: 'get', requestURI: '/api/v1/nodes', impersonatedUser: { username: 'system:serviceaccount:kube-system:clusterrole-aggregation-controller' } })], field: 'impersonatedUser', message: /acted as system:serviceaccount:kube-system:clusterrole-aggregation-controller: get \/api\/v1\/nodes$/ },
  ],
});

const csr = (extra: object) => ({ resource: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io', apiVersion: 'v1', ...extra });

testDetection('AUDIT-CERTIFICATE-SIGNING', {
  valid: [
    { name: 'a kubelet asking for its certificate', events: [done({ verb: 'create', user: kubelet, objectRef: csr({ name: 'csr-1' }) })] },
    { name: 'a refused approval', events: [done({ verb: 'update', responseStatus: { code: 403 }, objectRef: csr({ subresource: 'approval', name: 'csr-7' }) })] },
    { name: 'a read', events: [done({ verb: 'get', objectRef: csr({ name: 'csr-7' }) })] },
  ],
  invalid: [
    { name: 'a person approving', events: [done({ verb: 'update', objectRef: csr({ subresource: 'approval', name: 'csr-7' }) })], field: 'objectRef', message: /^alice approved certificate signing request csr-7$/ },
    { name: 'a person asking', events: [done({ verb: 'create', responseStatus: { code: 201 }, objectRef: csr({}), requestObject: { metadata: { name: 'mallory-admin' } } })], field: 'objectRef', message: /^alice created certificate signing request mallory-admin$/ },
  ],
});

const webhooks = (resource: string, name: string) => ({ resource, name, apiGroup: 'admissionregistration.k8s.io', apiVersion: 'v1' });

testDetection('AUDIT-ADMISSION-WEBHOOK-CHANGED', {
  valid: [
    { name: 'a read', events: [done({ verb: 'get', objectRef: webhooks('validatingwebhookconfigurations', 'policy') })] },
    { name: 'a system: identity (an operator reconciling its webhook)', events: [done({ verb: 'patch', user: replicaSetController, objectRef: webhooks('mutatingwebhookconfigurations', 'istio-sidecar-injector') })] },
  ],
  invalid: [
    { name: 'deleting a validating webhook', events: [done({ verb: 'delete', objectRef: webhooks('validatingwebhookconfigurations', 'policy') })], field: 'objectRef', message: /^alice deleted validating webhook configuration policy$/ },
    { name: 'creating a mutating webhook', events: [done({ verb: 'create', objectRef: webhooks('mutatingwebhookconfigurations', 'inject') })], field: 'objectRef', message: /^alice created mutating webhook configuration inject$/ },
  ],
});

const secrets = (extra: object = {}) => ({ resource: 'secrets', apiVersion: 'v1', ...extra });
const argo = { username: 'system:serviceaccount:argocd:argocd-server', groups: ['system:serviceaccounts', 'system:authenticated'] };

testDetection('AUDIT-SECRET-READ', {
  settings: { ...DEFAULT_DETECTION_SETTINGS, trustedUsers: ['vault-admin'] },
  valid: [
    { name: 'a controller', events: [done({ verb: 'get', user: replicaSetController, objectRef: secrets({ name: 's', namespace: 'a' }) })] },
    { name: 'a kubelet reading a pod\'s secret', events: [done({ verb: 'get', user: kubelet, objectRef: secrets({ name: 's', namespace: 'a' }) })] },
    { name: 'a trusted user', events: [done({ verb: 'get', user: { username: 'vault-admin' }, objectRef: secrets({ name: 's', namespace: 'a' }) })] },
    { name: 'a refused read', events: [done({ verb: 'get', responseStatus: { code: 403 }, objectRef: secrets({ name: 's', namespace: 'a' }) })] },
    { name: "a workload listing its own namespace's Secrets", events: [done({ verb: 'list', user: argo, objectRef: secrets({ namespace: 'argocd' }) })] },
    { name: 'a kube-system controller listing them all', events: [done({ verb: 'list', user: { username: 'system:serviceaccount:kube-system:generic-garbage-collector' }, objectRef: secrets() })] },
    { name: 'a create (not a read)', events: [done({ verb: 'create', objectRef: secrets({ namespace: 'a' }) })] },
  ],
  invalid: [
    { name: 'a person listing across the cluster', events: [done({ verb: 'list', objectRef: secrets() })], field: 'objectRef', message: /^alice listed the Secrets of every namespace$/ },
    { name: 'a person reading one', events: [done({ verb: 'get', objectRef: secrets({ name: 'db-password', namespace: 'shop' }) })], field: 'objectRef', message: /^alice read Secret shop\/db-password$/ },
    { name: "a workload's service account listing kube-system", events: [done({ verb: 'list', user: argo, objectRef: secrets({ namespace: 'kube-system' }) })], field: 'objectRef', message: /^system:serviceaccount:argocd:argocd-server listed the Secrets of kube-system$/ },
  ],
});

testDetection('AUDIT-TOKEN-REQUEST', {
  settings: { ...DEFAULT_DETECTION_SETTINGS, trustedUsers: ['ci-bot'] },
  valid: [
    { name: 'the kubelet, for a pod', events: [done({ verb: 'create', user: kubelet, objectRef: { resource: 'serviceaccounts', subresource: 'token', name: 'default', namespace: 'a' } })] },
    { name: 'a trusted user', events: [done({ verb: 'create', user: { username: 'ci-bot' }, objectRef: { resource: 'serviceaccounts', subresource: 'token', name: 'deployer', namespace: 'ci' } })] },
  ],
  invalid: [{ name: 'a person', events: [done({ verb: 'create', responseStatus: { code: 201 }, objectRef: { resource: 'serviceaccounts', subresource: 'token', name: 'deployer', namespace: 'ci' } })], field: 'objectRef', message: /^alice created a token for service account ci\/deployer$/ }],
});

const configMap = (verb: string, data: Record<string, string>): ReturnType<typeof done> =>
  done({ verb, objectRef: { resource: 'configmaps', name: 'app', namespace: 'shop', apiVersion: 'v1' }, requestObject: { kind: 'ConfigMap', metadata: { name: 'app' }, data } });

testDetection('AUDIT-CONFIGMAP-CREDENTIALS', {
  valid: [
    { name: 'plain settings', events: [configMap('create', { 'log.level': 'debug', 'feature.passthrough': 'on' })] },
    { name: 'a read at RequestResponse', events: [done({ verb: 'get', objectRef: { resource: 'configmaps', name: 'app', namespace: 'shop' }, responseObject: { data: { password: 'x' } } })] },
  ],
  invalid: [
    {
      name: 'a password in a value: the key is named, the value never',
      events: [configMap('create', { 'db.properties': 'user=app\npassword=hunter2' })],
      field: 'requestObject.data["db.properties"]',
      message: /^alice wrote ConfigMap shop\/app whose key "db.properties" holds what looks like a credential \(password\)$/,
    },
    { name: 'an AWS key id as the key, on update', events: [configMap('update', { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' })], field: 'requestObject.data["AWS_ACCESS_KEY_ID"]', message: /key "AWS_ACCESS_KEY_ID" holds what looks like a credential \(aws_access_key_id\)$/ },
  ],
});

testDetection('AUDIT-ANONYMOUS-ALLOWED', {
  valid: [
    { name: 'a health probe', events: [done({ verb: 'get', user: { username: 'system:anonymous' }, requestURI: '/readyz?verbose' })] },
    { name: 'a liveness sub-check', events: [done({ verb: 'get', user: { username: 'system:anonymous' }, requestURI: '/livez/ping' })] },
    { name: 'refused', events: [done({ verb: 'get', user: { username: 'system:anonymous' }, requestURI: '/api', responseStatus: { code: 403 }, annotations: { 'authorization.k8s.io/decision': 'forbid' } })] },
  ],
  invalid: [
    { name: 'allowed to create a namespace', events: [done({ verb: 'create', user: { username: 'system:anonymous' }, requestURI: '/api/v1/namespaces', responseStatus: { code: 201 } })], field: 'annotations["authorization.k8s.io/decision"]', message: /^an anonymous request was allowed: create \/api\/v1\/namespaces \(answered 201\)$/ },
    { name: 'a path that only starts like a probe', events: [done({ verb: 'get', user: { username: 'system:anonymous' }, requestURI: '/healthzz' })], field: 'annotations["authorization.k8s.io/decision"]', message: /get \/healthzz/ },
  ],
});

testDetection('AUDIT-SECRET-READ-REFUSED', {
  valid: [
    { name: 'an allowed read (AUDIT-SECRET-READ judges those)', events: [done({ verb: 'get', objectRef: secrets({ name: 's', namespace: 'a' }) })] },
    { name: 'a Secret that does not exist', events: [done({ verb: 'get', responseStatus: { code: 404 }, objectRef: secrets({ name: 'gone', namespace: 'a' }) })] },
    { name: 'a refused create', events: [done({ verb: 'create', responseStatus: { code: 403 }, objectRef: secrets({ namespace: 'a' }) })] },
  ],
  invalid: [
    {
      name: "a pod's service account trying another namespace's Secret",
      events: [done({ verb: 'get', user: argo, responseStatus: { code: 403 }, annotations: { 'authorization.k8s.io/decision': 'forbid' }, objectRef: secrets({ name: 'db', namespace: 'payments' }) })],
      field: 'responseStatus.code',
      message: /^system:serviceaccount:argocd:argocd-server was refused reading Secret payments\/db$/,
    },
    { name: 'a person listing kube-system', events: [done({ verb: 'list', responseStatus: { code: 403 }, objectRef: secrets({ namespace: 'kube-system' }) })], field: 'responseStatus.code', message: /^alice was refused listing the Secrets of kube-system$/ },
  ],
});

const awsAuth = (verb: string, user = { username: 'alice' }) =>
  done({ verb, user, objectRef: { resource: 'configmaps', namespace: 'kube-system', apiVersion: 'v1', ...(verb === 'create' ? {} : { name: 'aws-auth' }) }, requestObject: { metadata: { name: 'aws-auth' } } });

testDetection('AUDIT-AWS-AUTH-MODIFIED', {
  valid: [
    { name: 'reading it', events: [awsAuth('get')] },
    { name: 'a ConfigMap of the same name elsewhere', events: [done({ verb: 'patch', objectRef: { resource: 'configmaps', namespace: 'shop', name: 'aws-auth' } })] },
    { name: 'a refused patch', events: [{ ...awsAuth('patch'), responseStatus: { code: 403 } }] },
  ],
  invalid: [
    { name: 'patched by a person', events: [awsAuth('patch')], field: 'objectRef.name', message: /^alice changed kube-system\/aws-auth, the map from AWS identities to Kubernetes users$/ },
    { name: "created by a workload's service account (named in the body only)", events: [awsAuth('create', argo)], field: 'objectRef.name', message: /^system:serviceaccount:argocd:argocd-server created kube-system\/aws-auth/ },
  ],
});

testDetection('AUDIT-CLUSTER-ADMIN-BINDING', {
  valid: [],
  invalid: [
    {
      name: 'a refused attempt says so',
      events: [{ ...rbac('clusterrolebindings', 'create', { roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'mallory' }] }, 'backdoor'), responseStatus: { code: 403 }, annotations: { 'authorization.k8s.io/decision': 'forbid' } }],
      field: 'requestObject.roleRef.name',
      message: /^alice bound User mallory to cluster-admin \(ClusterRoleBinding backdoor\) \(refused: 403\)$/,
    },
  ],
});

testDetection('AUDIT-WILDCARD-ROLE', {
  valid: [],
  invalid: [{ name: 'an invalid request says it failed', events: [{ ...rbac('clusterroles', 'create', { rules: [{ verbs: ['*'], resources: ['*'] }] }), responseStatus: { code: 422 } }], field: 'requestObject.rules[0]', message: /granting all verbs on all resources \("\*"\) \(failed: 422\)$/ }],
});

testDetection('AUDIT-SYSTEM-ROLE-MODIFIED', {
  valid: [{ name: 'kube-apiserver reconciling a bootstrap role on upgrade', events: [{ ...rbac('clusterroles', 'update', {}, 'system:node'), user: { username: 'system:apiserver', groups: ['system:masters'] } }] }],
  invalid: [{ name: "a workload's service account widening one", events: [{ ...rbac('clusterroles', 'patch', {}, 'system:node'), user: { username: 'system:serviceaccount:ci:deployer' } }], field: 'objectRef.name', message: /^system:serviceaccount:ci:deployer changed the built-in role system:node$/ }],
});
