/** Rules about the cluster's surface and its records: bursts of refused requests, exposure, DNS, Events. */
import { DEFAULT_DETECTION_SETTINGS } from '../../../src/audit/detect/rule.js';
import type { AuditEvent } from '../../../src/audit/event.js';
import { at, done, testDetection } from './detection-tester.js';

const refused = (second: number, username = 'mallory', address = '203.0.113.9'): AuditEvent =>
  done({
    verb: 'list',
    user: { username },
    sourceIPs: ['10.0.0.1', address],
    requestURI: '/api/v1/secrets',
    responseStatus: { code: 403 },
    annotations: { 'authorization.k8s.io/decision': 'forbid' },
    requestReceivedTimestamp: at(second),
    stageTimestamp: at(second),
  });
const seconds = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

testDetection('AUDIT-FORBIDDEN-BURST', {
  settings: { ...DEFAULT_DETECTION_SETTINGS, burstThreshold: 5, burstWindowSeconds: 60 },
  valid: [
    { name: 'spread out: never five within a minute', events: [0, 30, 61, 92, 123, 154].map((second) => refused(second)) },
    { name: 'the window slides: four, then one just past the first of them', events: [0, 10, 20, 30, 61].map((second) => refused(second)) },
    { name: 'two users, three each', events: seconds(0, 2).flatMap((second) => [refused(second, 'mallory'), refused(second, 'trudy')]) },
    { name: 'allowed requests do not count', events: seconds(0, 9).map((second) => ({ ...refused(second), responseStatus: { code: 200 }, annotations: { 'authorization.k8s.io/decision': 'allow' } })) },
    { name: 'the RequestReceived half is not counted', events: seconds(0, 2).flatMap((second) => [{ ...refused(second), stage: 'RequestReceived' }, refused(second)]) },
  ],
  invalid: [
    { name: 'five within a minute, keyed by user and connection address', events: seconds(0, 4).map((second) => refused(second)), field: 'responseStatus.code', message: /^mallory from 203\.0\.113\.9 was refused 5 times in 4 s \(last: list \/api\/v1\/secrets\)$/ },
    { name: 'a decision of forbid without the status code', events: seconds(0, 4).map((second) => ({ ...refused(second), responseStatus: { code: 500 } })), field: 'responseStatus.code', message: /refused 5 times/ },
    { name: 'an attack for 50 s gives one finding', events: seconds(0, 49).map((second) => refused(second)), field: 'responseStatus.code', message: /refused 5 times in 4 s/, count: 1 },
    { name: 'an attack for 130 s gives one finding per window', events: seconds(0, 129).map((second) => refused(second)), field: 'responseStatus.code', message: /refused 5 times/, count: 2 },
  ],
});

const unauthenticated = (second: number, address = '198.51.100.4'): AuditEvent => ({
  kind: 'Event',
  level: 'Metadata',
  stage: 'ResponseStarted',
  verb: 'get',
  user: {},
  sourceIPs: ['10.0.0.1', address],
  requestURI: '/api/v1/namespaces/kube-system/secrets',
  responseStatus: { code: 401, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized' },
  requestReceivedTimestamp: at(second),
  stageTimestamp: at(second),
});

testDetection('AUDIT-UNAUTHENTICATED-BURST', {
  settings: { ...DEFAULT_DETECTION_SETTINGS, burstThreshold: 3, burstWindowSeconds: 10 },
  valid: [
    { name: 'below the threshold', events: [0, 1].map((second) => unauthenticated(second)) },
    { name: 'three addresses, one each', events: ['198.51.100.4', '198.51.100.5', '198.51.100.6'].map((address) => unauthenticated(0, address)) },
    { name: 'too slow for the window', events: [0, 6, 12].map((second) => unauthenticated(second)) },
  ],
  invalid: [
    {
      name: 'three in two seconds, keyed by the connection address (the last one)',
      events: [0, 1, 2].map((second) => unauthenticated(second)),
      field: 'responseStatus.code',
      message: /^3 requests from 198\.51\.100\.4 failed authentication in 2 s \(last: get \/api\/v1\/namespaces\/kube-system\/secrets: Unauthorized\)$/,
    },
  ],
});

const service = (verb: string, type: string): AuditEvent =>
  done({ verb, objectRef: { resource: 'services', namespace: 'shop', apiVersion: 'v1', ...(verb === 'create' ? {} : { name: 'web' }) }, requestObject: { kind: 'Service', metadata: { name: 'web' }, spec: { type, ports: [{ port: 80 }] } } });

testDetection('AUDIT-NODEPORT-SERVICE', {
  valid: [
    { name: 'ClusterIP', events: [service('create', 'ClusterIP')] },
    { name: 'LoadBalancer', events: [service('create', 'LoadBalancer')] },
  ],
  invalid: [
    { name: 'a NodePort created', events: [service('create', 'NodePort')], field: 'requestObject.spec.type', message: /^alice created Service shop\/web as a NodePort$/ },
    {
      name: 'a patch that turns a Service into a NodePort, seen in the response',
      events: [{ ...service('patch', 'NodePort'), requestObject: { spec: { type: 'NodePort' } }, responseObject: { kind: 'Service', metadata: { name: 'web' }, spec: { type: 'NodePort' } } }],
      field: 'responseObject.spec.type',
      message: /^alice changed Service shop\/web as a NodePort$/,
    },
  ],
});

const dnsConfig = (verb: string, name: string, user = { username: 'alice' }): AuditEvent => done({ verb, user, objectRef: { resource: 'configmaps', namespace: 'kube-system', name, apiVersion: 'v1' } });

testDetection('AUDIT-COREDNS-MODIFIED', {
  valid: [
    { name: 'another ConfigMap in kube-system', events: [dnsConfig('patch', 'kubeadm-config')] },
    { name: 'reading it', events: [dnsConfig('get', 'coredns')] },
    { name: 'the DNS add-on reconciling it', events: [dnsConfig('update', 'coredns', { username: 'system:serviceaccount:kube-system:coredns-operator' })] },
  ],
  invalid: [
    { name: 'coredns patched', events: [dnsConfig('patch', 'coredns')], field: 'objectRef.name', message: /^alice changed the DNS configuration kube-system\/coredns$/ },
    { name: 'kube-dns deleted', events: [dnsConfig('delete', 'kube-dns')], field: 'objectRef.name', message: /^alice deleted the DNS configuration kube-system\/kube-dns$/ },
    { name: "a workload's service account", events: [dnsConfig('update', 'coredns', { username: 'system:serviceaccount:shop:web' })], field: 'objectRef.name', message: /^system:serviceaccount:shop:web changed the DNS configuration/ },
  ],
});

testDetection('AUDIT-EVENTS-DELETED', {
  valid: [
    { name: 'creating events', events: [done({ verb: 'create', objectRef: { resource: 'events', namespace: 'a' } })] },
    { name: 'the namespace controller cleaning up', events: [done({ verb: 'deletecollection', user: { username: 'system:serviceaccount:kube-system:namespace-controller' }, objectRef: { resource: 'events', namespace: 'a' } })] },
  ],
  invalid: [
    { name: "a workload's service account deleting Events", events: [done({ verb: 'deletecollection', user: { username: 'system:serviceaccount:shop:web' }, objectRef: { resource: 'events', namespace: 'shop' } })], field: 'verb', message: /^system:serviceaccount:shop:web deleted the Events of shop$/ },
    { name: 'deleting every Event of a namespace', events: [done({ verb: 'deletecollection', objectRef: { resource: 'events', namespace: 'a' } })], field: 'verb', message: /^alice deleted the Events of a$/ },
    { name: 'deleting one through events.k8s.io', events: [done({ verb: 'delete', objectRef: { resource: 'events', apiGroup: 'events.k8s.io', namespace: 'a', name: 'web.17a3f' } })], field: 'verb', message: /^alice deleted Event a\/web\.17a3f$/ },
  ],
});

const ingress = (spec: object): AuditEvent =>
  done({ verb: 'create', responseStatus: { code: 201 }, objectRef: { resource: 'ingresses', apiGroup: 'networking.k8s.io', apiVersion: 'v1', namespace: 'shop' }, requestObject: { kind: 'Ingress', metadata: { name: 'web' }, spec } });
const rules = [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }];

testDetection('AUDIT-INGRESS-WITHOUT-TLS', {
  valid: [
    { name: 'with TLS', events: [ingress({ rules, tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }] })] },
    { name: 'a refused create', events: [{ ...ingress({ rules }), responseStatus: { code: 403 } }] },
  ],
  invalid: [
    { name: 'no tls section', events: [ingress({ rules })], field: 'requestObject.spec.tls', message: /^alice created Ingress shop\/web without TLS: its hosts are served over plain HTTP$/ },
    { name: 'an empty tls list', events: [ingress({ rules, tls: [] })], field: 'requestObject.spec.tls', message: /without TLS/ },
  ],
});

testDetection('AUDIT-FORBIDDEN-BURST', {
  settings: { ...DEFAULT_DETECTION_SETTINGS, burstThreshold: 5, burstWindowSeconds: 60 },
  valid: [{ name: 'spread out, read newest first', events: [154, 123, 92, 61, 30, 0].map((second) => refused(second)) }],
  invalid: [{ name: 'a burst read newest first (rotated logs given in reverse)', events: [104, 103, 102, 101, 100].map((second) => refused(second)), field: 'responseStatus.code', message: /refused 5 times in 4 s/ }],
});
