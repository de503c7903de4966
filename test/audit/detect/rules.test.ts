/** Each detection rule with events that must not fire it and events that must (ESLint's valid/invalid tables). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditEvent, LoggedEvent } from '../../../src/audit/event.js';
import { createDetector, type RuleHit } from '../../../src/audit/detect/engine.js';
import { DEFAULT_DETECTION_SETTINGS, type DetectionRule, type DetectionSettings } from '../../../src/audit/detect/rule.js';
import { DETECTION_RULES } from '../../../src/audit/detect/rules/index.js';
import { LEVEL_RANK } from '../../../src/audit/event.js';
import { assertCompleteMetadata } from '../../support/control-tester.js';

let line = 0;
const logged = (event: AuditEvent): LoggedEvent => ({ event, file: 'audit.log', line: ++line, bytes: 1 });

function run(rule: DetectionRule, events: readonly AuditEvent[], settings: DetectionSettings = DEFAULT_DETECTION_SETTINGS): RuleHit[] {
  const hits: RuleHit[] = [];
  const detector = createDetector([rule], settings, (hit) => hits.push(hit));
  for (const event of events) detector.event(logged(event));
  detector.end();
  return hits;
}

interface Invalid {
  readonly name: string;
  readonly events: readonly AuditEvent[];
  readonly field: string;
  readonly message: RegExp;
  readonly count?: number;
}

function testDetection(id: string, table: { valid: readonly { name: string; events: readonly AuditEvent[] }[]; invalid: readonly Invalid[]; settings?: DetectionSettings }) {
  const rule = DETECTION_RULES.find((candidate) => candidate.meta.id === id);
  describe(id, () => {
    it('is registered with complete metadata', () => {
      assert.ok(rule);
      assertCompleteMetadata(rule.meta);
      assert.ok(rule.meta.needs.requests.length > 0);
      assert.ok((rule.meta.covers.falco?.length ?? 0) + (rule.meta.covers.elastic?.length ?? 0) + rule.meta.attack.length > 0);
    });
    for (const entry of table.valid) it(`does not fire: ${entry.name}`, () => assert.deepEqual(run(rule as DetectionRule, entry.events, table.settings).map((hit) => hit.message), []));
    for (const entry of table.invalid) {
      it(`fires: ${entry.name}`, () => {
        const hits = run(rule as DetectionRule, entry.events, table.settings);
        assert.equal(hits.length, entry.count ?? 1, JSON.stringify(hits.map((hit) => hit.message)));
        assert.equal(hits[0]?.field, entry.field);
        assert.match(hits[0]?.message ?? '', entry.message);
      });
    }
  });
}

const alice = { username: 'alice', groups: ['system:authenticated'] };
const controller = { username: 'system:serviceaccount:kube-system:replicaset-controller', groups: ['system:serviceaccounts'] };
const done = (event: AuditEvent): AuditEvent => ({ stage: 'ResponseComplete', user: alice, responseStatus: { code: 201 }, annotations: { 'authorization.k8s.io/decision': 'allow' }, requestReceivedTimestamp: '2026-01-01T00:00:00Z', stageTimestamp: '2026-01-01T00:00:00Z', ...event });
const podCreate = (spec: object, namespace = 'shop', user = alice): AuditEvent =>
  done({ verb: 'create', user, requestURI: `/api/v1/namespaces/${namespace}/pods`, objectRef: { resource: 'pods', namespace, apiVersion: 'v1' }, requestObject: { kind: 'Pod', metadata: { name: 'web' }, spec } });
const container = (extra: object = {}) => ({ name: 'app', image: 'nginx:1.27', ...extra });
const rbac = (resource: string, verb: string, body: object, name = 'r'): AuditEvent =>
  done({ verb, requestURI: `/apis/rbac.authorization.k8s.io/v1/${resource}`, objectRef: { resource, name, apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1' }, requestObject: body });

testDetection('AUDIT-EXEC-INTO-POD', {
  valid: [{ name: 'a pod read', events: [done({ verb: 'get', objectRef: { resource: 'pods', name: 'p', namespace: 'a' } })] }],
  invalid: [
    {
      name: 'exec: started and completed is one finding',
      events: [
        done({ auditID: '1', stage: 'ResponseStarted', verb: 'create', requestURI: '/api/v1/namespaces/a/pods/p/exec?command=sh&command=-c&command=id', objectRef: { resource: 'pods', subresource: 'exec', name: 'p', namespace: 'a' }, responseStatus: { code: 101 } }),
        done({ auditID: '1', verb: 'create', requestURI: '/api/v1/namespaces/a/pods/p/exec?command=sh', objectRef: { resource: 'pods', subresource: 'exec', name: 'p', namespace: 'a' }, responseStatus: { code: 101 } }),
      ],
      field: 'requestURI',
      message: /^alice exec'd into a\/p \(command: sh -c id\)$/,
    },
    { name: 'a WebSocket attach (get) that was refused', events: [done({ verb: 'get', requestURI: '/api/v1/namespaces/a/pods/p/attach', objectRef: { resource: 'pods', subresource: 'attach', name: 'p', namespace: 'a' }, responseStatus: { code: 403 } })], field: 'requestURI', message: /alice attached to a\/p \(refused: 403\)/ },
  ],
});

testDetection('AUDIT-PORT-FORWARD', {
  valid: [{ name: 'exec is another rule', events: [done({ verb: 'create', objectRef: { resource: 'pods', subresource: 'exec', name: 'p' } })] }],
  invalid: [{ name: 'port-forward', events: [done({ verb: 'create', requestURI: '/api/v1/namespaces/a/pods/db/portforward?ports=5432', objectRef: { resource: 'pods', subresource: 'portforward', name: 'db', namespace: 'a' } })], field: 'requestURI', message: /alice port-forwarded into a\/db \(ports 5432\)/ }],
});

testDetection('AUDIT-PRIVILEGED-POD', {
  valid: [
    { name: 'unprivileged', events: [podCreate({ containers: [container({ securityContext: { privileged: false } })] })] },
    { name: 'a pod read at RequestResponse', events: [done({ verb: 'get', objectRef: { resource: 'pods', name: 'web' }, responseObject: { spec: { containers: [container({ securityContext: { privileged: true } })] } } })] },
    { name: 'the RequestReceived event of a create', events: [{ ...podCreate({ containers: [container({ securityContext: { privileged: true } })] }), stage: 'RequestReceived' }] },
  ],
  invalid: [{ name: 'a privileged init container', events: [podCreate({ initContainers: [container({ name: 'init', securityContext: { privileged: true } })], containers: [container()] })], field: 'requestObject.spec.initContainers[0].securityContext.privileged', message: /alice created pod shop\/web with privileged container init/ }],
});

testDetection('AUDIT-HOSTNETWORK-POD', {
  valid: [{ name: 'hostNetwork false', events: [podCreate({ hostNetwork: false, containers: [container()] })] }],
  invalid: [{ name: 'hostNetwork', events: [podCreate({ hostNetwork: true, containers: [container()] })], field: 'requestObject.spec.hostNetwork', message: /with hostNetwork/ }],
});
testDetection('AUDIT-HOSTPID-POD', {
  valid: [{ name: 'no hostPID', events: [podCreate({ containers: [container()] })] }],
  invalid: [{ name: 'hostPID', events: [podCreate({ hostPID: true, containers: [container()] })], field: 'requestObject.spec.hostPID', message: /with hostPID/ }],
});
testDetection('AUDIT-HOSTIPC-POD', {
  valid: [{ name: 'no hostIPC', events: [podCreate({ containers: [container()] })] }],
  invalid: [{ name: 'hostIPC', events: [podCreate({ hostIPC: true, containers: [container()] })], field: 'requestObject.spec.hostIPC', message: /with hostIPC/ }],
});

testDetection('AUDIT-SENSITIVE-MOUNT-POD', {
  valid: [{ name: 'a path below /etc is not /etc', events: [podCreate({ volumes: [{ name: 'conf', hostPath: { path: '/etc/nginx' } }], containers: [container()] })] }],
  invalid: [{ name: 'the runtime socket', events: [podCreate({ volumes: [{ name: 'cache', emptyDir: {} }, { name: 'sock', hostPath: { path: '/run/containerd/containerd.sock' } }], containers: [container()] })], field: 'requestObject.spec.volumes[1].hostPath.path', message: /mounting the host's \/run\/containerd\/containerd.sock \(volume sock\)/ }],
});

testDetection('AUDIT-DANGEROUS-CAPABILITIES-POD', {
  valid: [{ name: 'NET_BIND_SERVICE only', events: [podCreate({ containers: [container({ securityContext: { capabilities: { add: ['NET_BIND_SERVICE'] } } })] })] }],
  invalid: [{ name: 'CAP_SYS_ADMIN', events: [podCreate({ containers: [container({ securityContext: { capabilities: { add: ['CAP_SYS_ADMIN', 'CHOWN'] } } })] })], field: 'requestObject.spec.containers[0].securityContext.capabilities.add', message: /adds SYS_ADMIN$/ }],
});

testDetection('AUDIT-KUBE-NAMESPACE-POD', {
  valid: [
    { name: 'a control-plane image', events: [podCreate({ containers: [container({ image: 'registry.k8s.io/coredns/coredns:v1.11.1' })] }, 'kube-system', controller)] },
    { name: 'another namespace', events: [podCreate({ containers: [container()] })] },
  ],
  invalid: [{ name: 'nginx in kube-public', events: [podCreate({ containers: [container()] }, 'kube-public', controller)], field: 'requestObject.spec.containers[0].image', message: /created pod kube-public\/web running nginx:1.27/ }],
});

testDetection('AUDIT-KUBE-NAMESPACE-SERVICE-ACCOUNT', {
  valid: [{ name: "a controller's account", events: [done({ verb: 'create', objectRef: { resource: 'serviceaccounts', namespace: 'kube-system', name: 'job-controller' } })] }],
  invalid: [{ name: 'a new account in kube-system', events: [done({ verb: 'create', objectRef: { resource: 'serviceaccounts', namespace: 'kube-system', name: 'helper' } })], field: 'objectRef.name', message: /alice created service account kube-system\/helper/ }],
});

testDetection('AUDIT-CLUSTER-ADMIN-BINDING', {
  valid: [{ name: 'a binding to view', events: [rbac('clusterrolebindings', 'create', { roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [] })] }],
  invalid: [{ name: 'a RoleBinding to cluster-admin', events: [rbac('rolebindings', 'create', { roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'build' }] }, 'ci-admin')], field: 'requestObject.roleRef.name', message: /alice bound ServiceAccount build\/ci to cluster-admin \(RoleBinding ci-admin\)/ }],
});

testDetection('AUDIT-WILDCARD-ROLE', {
  valid: [{ name: 'explicit rules', events: [rbac('clusterroles', 'create', { rules: [{ verbs: ['get'], resources: ['pods'] }] })] }],
  invalid: [{ name: 'a patch that widens a role (seen in the response)', events: [done({ ...rbac('roles', 'patch', { rules: [] }), responseObject: { kind: 'Role', rules: [{ verbs: ['get'], resources: ['pods'] }, { verbs: ['*'], resources: ['*'] }] } })], field: 'responseObject.rules[1]', message: /alice changed Role r granting all verbs on all resources/ }],
});

testDetection('AUDIT-ESCALATION-VERBS-ROLE', {
  valid: [{ name: 'ordinary verbs', events: [rbac('clusterroles', 'create', { rules: [{ verbs: ['get', 'create'], resources: ['pods'] }] })] }],
  invalid: [{ name: 'impersonate', events: [rbac('clusterroles', 'create', { rules: [{ verbs: ['impersonate'], resources: ['users', 'groups'] }] })], field: 'requestObject.rules[0]', message: /granting impersonate on users, groups/ }],
});

testDetection('AUDIT-POD-EXEC-ROLE', {
  valid: [{ name: 'pods only', events: [rbac('roles', 'create', { rules: [{ verbs: ['get'], resources: ['pods'] }] })] }],
  invalid: [{ name: 'pods/exec', events: [rbac('roles', 'create', { rules: [{ verbs: ['create'], resources: ['pods/exec'] }] })], field: 'requestObject.rules[0]', message: /granting pods\/exec/ }],
});

testDetection('AUDIT-WRITE-PRIVILEGES-ROLE', {
  valid: [{ name: 'read-only', events: [rbac('clusterroles', 'create', { rules: [{ verbs: ['get', 'list'], resources: ['pods'] }] })] }],
  invalid: [{ name: 'delete', events: [rbac('clusterroles', 'create', { rules: [{ verbs: ['get', 'delete'], resources: ['pods'] }] })], field: 'requestObject.rules[0]', message: /granting delete on pods/ }],
});

testDetection('AUDIT-SYSTEM-ROLE-MODIFIED', {
  valid: [{ name: 'system:coredns is excepted', events: [rbac('clusterroles', 'patch', {}, 'system:coredns')] }, { name: 'reading one', events: [rbac('clusterroles', 'get', {}, 'system:node')] }],
  invalid: [{ name: 'deleting system:node', events: [rbac('clusterroles', 'delete', {}, 'system:node')], field: 'objectRef.name', message: /alice deleted the built-in role system:node/ }],
});

testDetection('AUDIT-PRIVILEGED-IMPERSONATION', {
  valid: [{ name: 'impersonating an ordinary user', events: [done({ verb: 'get', requestURI: '/api/v1/pods', impersonatedUser: { username: 'bob', groups: ['developers'] } })] }],
  invalid: [{ name: 'impersonating system:masters', events: [done({ verb: 'get', requestURI: '/api/v1/secrets', impersonatedUser: { username: 'bob', groups: ['system:masters'] } })], field: 'impersonatedUser', message: /alice acted as bob in group system:masters/ }],
});

testDetection('AUDIT-CERTIFICATE-SIGNING', {
  valid: [{ name: 'a kubelet renewing', events: [done({ verb: 'create', user: { username: 'system:node:worker-1' }, objectRef: { resource: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io', name: 'csr-1' } })] }],
  invalid: [{ name: 'a person approving', events: [done({ verb: 'update', objectRef: { resource: 'certificatesigningrequests', subresource: 'approval', apiGroup: 'certificates.k8s.io', name: 'csr-7' } })], field: 'objectRef', message: /alice approved certificate signing request csr-7/ }],
});

testDetection('AUDIT-ADMISSION-WEBHOOK-CHANGED', {
  valid: [{ name: 'a read', events: [done({ verb: 'get', objectRef: { resource: 'validatingwebhookconfigurations', name: 'policy' } })] }],
  invalid: [{ name: 'deleting a validating webhook', events: [done({ verb: 'delete', objectRef: { resource: 'validatingwebhookconfigurations', name: 'policy' } })], field: 'objectRef', message: /alice deleted validating webhook configuration policy/ }],
});

testDetection('AUDIT-SECRET-READ', {
  settings: { ...DEFAULT_DETECTION_SETTINGS, trustedUsers: ['vault-admin'] },
  valid: [
    { name: 'a controller', events: [done({ verb: 'get', user: controller, objectRef: { resource: 'secrets', name: 's', namespace: 'a' } })] },
    { name: 'a trusted user', events: [done({ verb: 'get', user: { username: 'vault-admin' }, objectRef: { resource: 'secrets', name: 's', namespace: 'a' } })] },
    { name: 'a refused read', events: [done({ verb: 'get', responseStatus: { code: 403 }, objectRef: { resource: 'secrets', name: 's', namespace: 'a' } })] },
  ],
  invalid: [{ name: 'a list across the cluster', events: [done({ verb: 'list', responseStatus: { code: 200 }, objectRef: { resource: 'secrets' } })], field: 'objectRef', message: /alice listed the Secrets of every namespace/ }],
});

testDetection('AUDIT-TOKEN-REQUEST', {
  valid: [{ name: 'the kubelet', events: [done({ verb: 'create', user: { username: 'system:node:worker-1' }, objectRef: { resource: 'serviceaccounts', subresource: 'token', name: 'default', namespace: 'a' } })] }],
  invalid: [{ name: 'a person', events: [done({ verb: 'create', objectRef: { resource: 'serviceaccounts', subresource: 'token', name: 'deployer', namespace: 'ci' } })], field: 'objectRef', message: /alice created a token for service account ci\/deployer/ }],
});

testDetection('AUDIT-CONFIGMAP-CREDENTIALS', {
  valid: [{ name: 'plain settings', events: [done({ verb: 'create', objectRef: { resource: 'configmaps', name: 'c', namespace: 'a' }, requestObject: { data: { 'log.level': 'debug' } } })] }],
  invalid: [
    {
      name: 'a password, reported by key and never by value',
      events: [done({ verb: 'create', objectRef: { resource: 'configmaps', name: 'c', namespace: 'a' }, requestObject: { data: { 'db.properties': 'user=app\npassword=hunter2' } } })],
      field: 'requestObject.data["db.properties"]',
      message: /^alice wrote ConfigMap a\/c whose key "db.properties" holds what looks like a credential$/,
    },
  ],
});

testDetection('AUDIT-ANONYMOUS-ALLOWED', {
  valid: [{ name: 'a health probe', events: [done({ verb: 'get', user: { username: 'system:anonymous' }, requestURI: '/readyz?verbose' })] }, { name: 'refused', events: [done({ verb: 'get', user: { username: 'system:anonymous' }, requestURI: '/api', annotations: { 'authorization.k8s.io/decision': 'forbid' } })] }],
  invalid: [{ name: 'allowed', events: [done({ verb: 'create', user: { username: 'system:anonymous' }, requestURI: '/api/v1/namespaces' })], field: 'annotations["authorization.k8s.io/decision"]', message: /an anonymous request was allowed: create \/api\/v1\/namespaces/ }],
});

const at = (second: number) => `2026-01-01T00:${String(Math.floor(second / 60)).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}Z`;
const forbidden = (second: number): AuditEvent => done({ verb: 'list', user: { username: 'mallory' }, sourceIPs: ['203.0.113.9'], requestURI: '/api/v1/secrets', responseStatus: { code: 403 }, stageTimestamp: at(second) });
testDetection('AUDIT-FORBIDDEN-BURST', {
  settings: { ...DEFAULT_DETECTION_SETTINGS, burstThreshold: 5, burstWindowSeconds: 60 },
  valid: [{ name: 'spread out', events: [0, 30, 61, 92, 123, 154].map(forbidden) }],
  invalid: [
    { name: 'five within a minute', events: [0, 1, 2, 3, 4].map(forbidden), field: 'responseStatus.code', message: /mallory from 203.0.113.9 was refused 5 times in 4 s/ },
    { name: 'a long attack gives one finding per window', events: Array.from({ length: 50 }, (_, i) => forbidden(i)), field: 'responseStatus.code', message: /refused 5 times/, count: 1 },
  ],
});

const unauthenticated = (second: number): AuditEvent => ({ stage: 'ResponseStarted', verb: 'get', user: {}, sourceIPs: ['10.0.0.1', '198.51.100.4'], requestURI: '/api/v1/pods', responseStatus: { code: 401, message: 'Authentication failed' }, stageTimestamp: at(second) });
testDetection('AUDIT-UNAUTHENTICATED-BURST', {
  settings: { ...DEFAULT_DETECTION_SETTINGS, burstThreshold: 3, burstWindowSeconds: 10 },
  valid: [{ name: 'below the threshold', events: [0, 1].map(unauthenticated) }],
  invalid: [{ name: 'three in two seconds, keyed by the connection address', events: [0, 1, 2].map(unauthenticated), field: 'responseStatus.code', message: /3 requests from 198.51.100.4 failed authentication in 2 s/ }],
});

testDetection('AUDIT-NODEPORT-SERVICE', {
  valid: [{ name: 'ClusterIP', events: [done({ verb: 'create', objectRef: { resource: 'services', namespace: 'a' }, requestObject: { metadata: { name: 'web' }, spec: { type: 'ClusterIP' } } })] }],
  invalid: [{ name: 'NodePort', events: [done({ verb: 'create', objectRef: { resource: 'services', namespace: 'a' }, requestObject: { metadata: { name: 'web' }, spec: { type: 'NodePort' } } })], field: 'requestObject.spec.type', message: /alice created Service a\/web as a NodePort/ }],
});

testDetection('AUDIT-COREDNS-MODIFIED', {
  valid: [{ name: 'another ConfigMap', events: [done({ verb: 'patch', objectRef: { resource: 'configmaps', namespace: 'kube-system', name: 'kubeadm-config' } })] }],
  invalid: [{ name: 'coredns patched', events: [done({ verb: 'patch', objectRef: { resource: 'configmaps', namespace: 'kube-system', name: 'coredns' } })], field: 'objectRef.name', message: /alice changed the DNS configuration kube-system\/coredns/ }],
});

testDetection('AUDIT-EVENTS-DELETED', {
  valid: [{ name: 'creating events', events: [done({ verb: 'create', objectRef: { resource: 'events', namespace: 'a' } })] }],
  invalid: [{ name: 'deleting all events of a namespace', events: [done({ verb: 'deletecollection', objectRef: { resource: 'events', namespace: 'a' } })], field: 'verb', message: /alice deleted the Events of a/ }],
});

testDetection('AUDIT-EPHEMERAL-CONTAINER', {
  valid: [{ name: 'reading it', events: [done({ verb: 'get', objectRef: { resource: 'pods', subresource: 'ephemeralcontainers', name: 'p' } })] }],
  invalid: [{ name: 'kubectl debug', events: [done({ verb: 'patch', objectRef: { resource: 'pods', subresource: 'ephemeralcontainers', name: 'p', namespace: 'a' } })], field: 'objectRef.subresource', message: /alice added an ephemeral container to pod a\/p/ }],
});

testDetection('AUDIT-NODE-PROXY', {
  valid: [{ name: 'metrics scraping', events: [done({ verb: 'get', requestURI: '/api/v1/nodes/w1/proxy/metrics', objectRef: { resource: 'nodes', subresource: 'proxy', name: 'w1' } })] }],
  invalid: [{ name: 'running a command through the kubelet', events: [done({ verb: 'create', requestURI: '/api/v1/nodes/w1/proxy/run/a/p/c', objectRef: { resource: 'nodes', subresource: 'proxy', name: 'w1' } })], field: 'requestURI', message: /alice reached the kubelet of node w1/ }],
});

describe('the detection catalog', () => {
  it('ids are unique and every rule is tested above', () => {
    const ids = DETECTION_RULES.map((rule) => rule.meta.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(ids.length, 30);
  });
  it('every rule needs at least Metadata, and a stage events are written at', () => {
    for (const rule of DETECTION_RULES) {
      assert.ok(LEVEL_RANK[rule.meta.needs.level] >= LEVEL_RANK.Metadata, rule.meta.id);
      assert.ok(['ResponseStarted', 'ResponseComplete'].includes(rule.meta.needs.stage), rule.meta.id);
    }
  });
});
