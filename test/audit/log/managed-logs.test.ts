/**
 * Managed clusters' audit logs (EKS through CloudWatch Logs, AKS diagnostic logs and tables, GKE Cloud Logging)
 * read by `audit detect` and `audit estimate` as the API server's own events. The same attacks — Falco's real
 * k8s_audit traces — written in each format give the same detections; for GKE, whose entries are a lossy
 * translation, the differences are exactly those its format cannot carry, listed here with the reason.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createDetector, type RuleHit } from '../../../src/audit/detect/engine.js';
import { DEFAULT_DETECTION_SETTINGS } from '../../../src/audit/detect/rule.js';
import { DETECTION_RULES } from '../../../src/audit/detect/rules/index.js';
import type { AuditEvent, LoggedEvent } from '../../../src/audit/event.js';
import { fromGkeEntry } from '../../../src/audit/log/managed-logs.js';
import { readAuditEvents } from '../../../src/audit/log/read-events.js';
import type { InputError } from '../../../src/loader/source.js';
import { needsShared, sharedPath, SHARED_PRESENT } from '../../support/paths.js';
import { tempDir } from '../../support/temp-dir.js';

async function read(file: string): Promise<{ events: LoggedEvent[]; errors: InputError[] }> {
  const errors: InputError[] = [];
  const events: LoggedEvent[] = [];
  for await (const event of readAuditEvents(file, errors)) events.push(event);
  return { events, errors };
}

const EXEC_EVENT: AuditEvent = {
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'Request',
  auditID: 'a1',
  stage: 'ResponseStarted',
  requestURI: '/api/v1/namespaces/shop/pods/web-0/exec?command=sh&stdin=true',
  verb: 'create',
  user: { username: 'alice', groups: ['system:authenticated'] },
  sourceIPs: ['203.0.113.7'],
  objectRef: { resource: 'pods', namespace: 'shop', name: 'web-0', apiVersion: 'v1', subresource: 'exec' },
  responseStatus: { code: 101 },
  requestReceivedTimestamp: '2026-12-03T10:00:00.000000Z',
  stageTimestamp: '2026-12-03T10:00:00.100000Z',
  annotations: { 'authorization.k8s.io/decision': 'allow' },
};

/** Each shape as the service documents it, around the event above (one value per case). */
const WRAPPED: { name: string; text: string }[] = [
  { name: 'EKS: a CloudWatch Logs event per line', text: `${JSON.stringify({ timestamp: 1764756000000, message: JSON.stringify(EXEC_EVENT), ingestionTime: 1764756001000 })}\n` },
  {
    name: 'EKS: aws logs filter-log-events output, pretty-printed',
    text: `${JSON.stringify({ events: [{ logStreamName: 'kube-apiserver-audit-0123456789abcdef', timestamp: 1764756000000, message: JSON.stringify(EXEC_EVENT), ingestionTime: 1764756001000, eventId: '3794' }], searchedLogStreams: [] }, null, 2)}\n`,
  },
  {
    name: 'EKS: a CloudWatch Logs subscription payload',
    text: `${JSON.stringify({ messageType: 'DATA_MESSAGE', owner: '123456789012', logGroup: '/aws/eks/prod/cluster', logStream: 'kube-apiserver-audit-0123', subscriptionFilters: ['to-s3'], logEvents: [{ id: '3794', timestamp: 1764756000000, message: JSON.stringify(EXEC_EVENT) }] })}\n`,
  },
  {
    name: 'AKS: a diagnostic record per line (storage account)',
    text: `${JSON.stringify({ time: '2026-12-03T10:00:00.1000000Z', resourceId: '/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/PROD', category: 'kube-audit', operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read', properties: { log: JSON.stringify(EXEC_EVENT), stream: 'stdout', pod: 'kube-apiserver-5d8f' } })}\n`,
  },
  {
    name: 'AKS: Event Hubs records, other categories among them',
    text: `${JSON.stringify({ records: [{ category: 'kube-apiserver', properties: { log: 'I1203 started' } }, { category: 'kube-audit-admin', properties: { log: JSON.stringify(EXEC_EVENT) } }] })}\n`,
  },
  {
    name: 'AKS: an AKSAudit table row (Log Analytics export)',
    text: `${JSON.stringify({ TimeGenerated: '2026-12-03T10:00:00.1Z', Level: 'Request', AuditId: 'a1', Stage: 'ResponseStarted', RequestUri: EXEC_EVENT.requestURI, Verb: 'create', User: EXEC_EVENT.user, SourceIps: EXEC_EVENT.sourceIPs, ObjectRef: JSON.stringify(EXEC_EVENT.objectRef), ResponseStatus: EXEC_EVENT.responseStatus, RequestObject: 'skipped-too-big-size-object', RequestReceivedTime: EXEC_EVENT.requestReceivedTimestamp, StageReceivedTime: EXEC_EVENT.stageTimestamp, Annotations: EXEC_EVENT.annotations, Category: 'kube-audit' })}\n`,
  },
];

describe('managed audit log formats', () => {
  for (const { name, text } of WRAPPED) {
    it(`reads ${name}`, async (t) => {
      const file = join(tempDir('managed', t), 'audit.json');
      writeFileSync(file, text);
      const { events, errors } = await read(file);
      assert.deepEqual(errors, []);
      assert.equal(events.length, 1);
      const event = events[0]?.event;
      assert.equal(event?.verb, 'create');
      assert.equal(event?.user?.username, 'alice');
      assert.deepEqual(event?.objectRef, EXEC_EVENT.objectRef);
      assert.equal(event?.stage, 'ResponseStarted');
      assert.equal(event?.requestURI, EXEC_EVENT.requestURI);
    });
  }

  it('maps a GKE Cloud Logging entry to the event the API server logged', () => {
    const event = fromGkeEntry(gkeEntryOf(EXEC_EVENT));
    assert.equal(event['verb'], 'create');
    assert.deepEqual(event['objectRef'], EXEC_EVENT.objectRef);
    assert.equal(event['requestURI'], '/api/v1/namespaces/shop/pods/web-0/exec');
    assert.equal(event['stage'], 'ResponseStarted');
    assert.deepEqual(event['user'], { username: 'alice', groups: ['system:authenticated'] });
    assert.deepEqual(event['sourceIPs'], ['203.0.113.7']);
    assert.deepEqual(event['responseStatus'], { code: 101 });
    const denied = fromGkeEntry(gkeEntryOf({ ...EXEC_EVENT, user: { username: 'system:anonymous' }, verb: 'get', objectRef: { resource: 'secrets', namespace: 'kube-system', name: 'x', apiVersion: 'v1' }, responseStatus: { code: 403 } }));
    assert.deepEqual(denied['user'], { username: 'system:anonymous', groups: ['system:unauthenticated'] });
    assert.deepEqual(denied['responseStatus'], { code: 403, message: 'PERMISSION_DENIED' });
    const rbac = fromGkeEntry(gkeEntryOf({ ...EXEC_EVENT, objectRef: { resource: 'clusterrolebindings', name: 'b', apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1' } }));
    // A create is posted to the collection; the object's name is in objectRef.
    assert.equal(rbac['requestURI'], '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings');
    assert.equal((rbac['objectRef'] as { name?: string }).name, 'b');
  });

  it('reads a file that mixes formats line by line, and names the line of a broken wrapper', async (t) => {
    const file = join(tempDir('managed', t), 'mixed.log');
    const lines = [
      JSON.stringify(EXEC_EVENT),
      JSON.stringify({ timestamp: 1, message: JSON.stringify({ ...EXEC_EVENT, auditID: 'a2' }) }),
      JSON.stringify(gkeEntryOf({ ...EXEC_EVENT, auditID: 'a3' })),
      JSON.stringify({ timestamp: 2, message: '{"kind": "Event", broken' }),
      JSON.stringify({ category: 'kube-audit', properties: { log: JSON.stringify({ ...EXEC_EVENT, auditID: 'a4' }) } }),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { events, errors } = await read(file);
    assert.deepEqual(events.map((logged) => [logged.line, logged.event.auditID]), [[1, 'a1'], [2, 'a2'], [3, 'a3'], [5, 'a4']]);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.line, 4);
    assert.match(errors[0]?.message ?? '', /^eks-cloudwatch: message is not JSON/);
  });

  it('reads gcloud logging read --format=json (a pretty-printed array of entries)', async (t) => {
    const file = join(tempDir('managed', t), 'gke.json');
    writeFileSync(file, `${JSON.stringify([gkeEntryOf(EXEC_EVENT), gkeEntryOf({ ...EXEC_EVENT, auditID: 'b' })], null, 2)}\n`);
    const { events, errors } = await read(file);
    assert.deepEqual(errors, []);
    assert.deepEqual(events.map((logged) => logged.event.auditID), ['a1', 'b']);
  });
});

/**
 * A GKE Cloud Logging entry for an API server event, written the way GKE writes its entries (LogEntry with a
 * google.cloud.audit.AuditLog protoPayload; field names from the GKE audit logging documentation): what GKE keeps
 * of the event and nothing more.
 */
function gkeEntryOf(event: AuditEvent): Record<string, unknown> {
  const ref = event.objectRef ?? {};
  const group = ref.apiGroup ? ref.apiGroup : 'core';
  const path = [group, ref.apiVersion ?? 'v1', ...(ref.namespace ? ['namespaces', ref.namespace] : []), ref.resource, ref.name, ref.subresource].filter((part): part is string => typeof part === 'string' && part !== '');
  const method = ['io.k8s', group === 'core' ? 'core' : group.split('.').reverse().join('.').replace(/^io\.k8s\./, ''), ref.apiVersion ?? 'v1', ref.resource, ref.subresource, event.verb].filter((part) => part).join('.');
  const code = event.responseStatus?.code ?? 200;
  const rpc = code === 403 ? 7 : code === 401 ? 16 : code === 404 ? 5 : code === 409 ? 6 : code >= 400 ? 3 : 0;
  const annotations = event.annotations ?? {};
  return {
    insertId: event.auditID,
    logName: `projects/demo/logs/cloudaudit.googleapis.com%2F${event.verb === 'get' || event.verb === 'list' || event.verb === 'watch' ? 'data_access' : 'activity'}`,
    operation: { id: event.auditID, producer: 'k8s.io', first: true, last: true },
    resource: { type: 'k8s_cluster', labels: { cluster_name: 'prod', location: 'europe-west1', project_id: 'demo' } },
    timestamp: event.stageTimestamp,
    receiveTimestamp: event.stageTimestamp,
    labels: Object.fromEntries(Object.entries(annotations).filter(([key]) => key.startsWith('authorization.k8s.io/'))),
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      serviceName: 'k8s.io',
      methodName: method,
      resourceName: ref.resource ? path.join('/') : (event.requestURI ?? '').replace(/^\//, '').replace(/\?.*$/, ''),
      authenticationInfo: { principalEmail: event.user?.username ?? '' },
      authorizationInfo: [{ granted: annotations['authorization.k8s.io/decision'] !== 'forbid', permission: method, resource: path.join('/') }],
      requestMetadata: { callerIp: event.sourceIPs?.[0] ?? '', ...(event.userAgent ? { callerSuppliedUserAgent: event.userAgent } : {}) },
      ...(rpc !== 0 ? { status: { code: rpc, message: rpc === 7 ? 'PERMISSION_DENIED' : 'ERROR' } } : {}),
      ...(event.requestObject && typeof event.requestObject === 'object' ? { request: { '@type': 'core.k8s.io/v1.Object', ...(event.requestObject as object) } } : {}),
      ...(event.responseObject && typeof event.responseObject === 'object' ? { response: { '@type': 'core.k8s.io/v1.Object', ...(event.responseObject as object) } } : {}),
    },
  };
}

function hitsOf(events: readonly LoggedEvent[]): string[] {
  const hits: RuleHit[] = [];
  const detector = createDetector(DETECTION_RULES, DEFAULT_DETECTION_SETTINGS, (hit) => hits.push(hit));
  for (const event of events) detector.event(event);
  detector.end();
  return hits.map((hit) => `${hit.rule.meta.id} ${hit.field} ${hit.message}`).sort();
}

describe('the same attacks in every format give the same findings (Falco k8s_audit traces)', { skip: needsShared }, () => {
  const traces = SHARED_PRESENT ? sharedPath('corpus', 'audit', 'falco-k8s-audit-traces') : '';
  const files = SHARED_PRESENT ? readdirSync(traces).filter((name) => name.endsWith('.json')).sort() : [];
  const originals = files.flatMap((name) =>
    readFileSync(join(traces, name), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as AuditEvent)
      .filter((event) => event.kind === 'Event'),
  );
  const write = (dir: string, name: string, lines: readonly unknown[]) => {
    const file = join(dir, name);
    writeFileSync(file, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
    return file;
  };

  it('EKS, AKS (records and table rows): exactly the findings of the API server\'s own log', async (t) => {
    const dir = tempDir('managed-traces', t);
    const own = await read(write(dir, 'own.log', originals));
    assert.deepEqual(own.errors, []);
    const expected = hitsOf(own.events);
    assert.equal(expected.length, 27, 'the traces raise 27 findings in the API server\'s own format');
    const formats: Record<string, unknown[]> = {
      eks: originals.map((event, index) => ({ timestamp: index, message: JSON.stringify(event) })),
      aks: [{ records: originals.map((event) => ({ category: 'kube-audit', properties: { log: JSON.stringify(event) } })) }],
      'aks-table': originals.map((event) => ({ Level: event.level, AuditId: event.auditID, Stage: event.stage, RequestUri: event.requestURI, Verb: event.verb, User: event.user, ImpersonatedUser: event.impersonatedUser, SourceIps: event.sourceIPs, UserAgent: event.userAgent, ObjectRef: event.objectRef, ResponseStatus: event.responseStatus, RequestObject: event.requestObject, ResponseObject: event.responseObject, RequestReceivedTime: event.requestReceivedTimestamp, StageReceivedTime: event.stageTimestamp, Annotations: event.annotations })),
    };
    for (const [format, lines] of Object.entries(formats)) {
      const { events, errors } = await read(write(dir, `${format}.log`, lines));
      assert.deepEqual(errors, [], format);
      assert.equal(events.length, originals.length, format);
      assert.deepEqual(hitsOf(events), expected, format);
    }
  });

  it('GKE: the same findings except those its entries cannot carry', async (t) => {
    const dir = tempDir('managed-traces', t);
    const own = hitsOf((await read(write(dir, 'own.log', originals))).events);
    const { events, errors } = await read(write(dir, 'gke.log', originals.filter((event) => event.stage === 'ResponseComplete' || event.stage === 'ResponseStarted').map(gkeEntryOf)));
    assert.deepEqual(errors, []);
    const gke = hitsOf(events);
    const missing = own.filter((hit) => !gke.includes(hit));
    const extra = gke.filter((hit) => !own.includes(hit));
    // GKE keeps no query string: an exec's command (?command=…) is not in its entry, so the finding cannot name it.
    assert.deepEqual(missing, ["AUDIT-EXEC-INTO-POD requestURI minikube-user exec'd into default/nginx-deployment-7998647bdf-phvq7 (command: bash)"]);
    assert.deepEqual(extra, ["AUDIT-EXEC-INTO-POD requestURI minikube-user exec'd into default/nginx-deployment-7998647bdf-phvq7"]);
    assert.equal(gke.length, own.length);
  });
});

describe('kubeharden audit detect and audit estimate read managed logs', () => {
  it('finds the exec in an EKS CloudWatch export and an AKS record, and estimates their volume as API server lines', async (t) => {
    const { runCli } = await import('../../support/cli-process.js');
    const dir = tempDir('managed-cli', t);
    const eks = join(dir, 'eks.json');
    writeFileSync(eks, WRAPPED[1]?.text ?? '');
    const aks = join(dir, 'aks.json');
    writeFileSync(aks, WRAPPED[3]?.text ?? '');
    const detect = runCli(['audit', 'detect', eks, aks, '--format', 'json', '--fail-on', 'medium']);
    assert.equal(detect.code, 1, detect.stderr);
    const report = JSON.parse(detect.stdout) as { findings: { controlId: string; location: { file: string; line: number } }[] };
    assert.deepEqual(report.findings.filter((finding) => finding.controlId === 'AUDIT-EXEC-INTO-POD').map((finding) => [finding.location.file, finding.location.line]), [[aks, 1], [eks, 1]]);
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, runCli(['audit', 'recommend']).stdout);
    const estimate = runCli(['audit', 'estimate', eks, '--policy', policy, '--format', 'json']);
    assert.equal(estimate.code, 0, estimate.stderr);
    const volume = JSON.parse(estimate.stdout) as { requests: number; recordedEvents: number; recordedBytes: number; errors: unknown[] };
    // Sized as the API server's own JSON line of the event, not as CloudWatch's wrapper.
    const event = JSON.parse((JSON.parse(WRAPPED[1]?.text ?? '') as { events: { message: string }[] }).events[0]?.message ?? '') as unknown;
    assert.deepEqual([volume.requests, volume.recordedEvents, volume.recordedBytes, volume.errors], [1, 1, Buffer.byteLength(JSON.stringify(event)) + 1, []]);
  });
});
