/**
 * The detection catalog as a whole: complete and true metadata, unique ids, a table test for every rule, coverage
 * of the Falco and Elastic rule sets in the research notes (each rule covered, or left out for a stated reason),
 * and properties every rule must have (no secret value in a message, nothing fires on RequestReceived).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DETECTION_RULES } from '../../../src/audit/detect/rules/index.js';
import { AUDIT_STAGES, LEVEL_RANK, type AuditEvent } from '../../../src/audit/event.js';
import { sampleRequest } from '../../../src/audit/policy/sample.js';
import { SEVERITIES } from '../../../src/vocabulary/severity.js';
import { assertCompleteMetadata } from '../../support/control-tester.js';
import { needsShared, PROJECT_ROOT, sharedPath, SHARED_PRESENT } from '../../support/paths.js';
import { container, debugPatch, done, podCreate, rbac, run } from './detection-tester.js';

describe('detection rule metadata', () => {
  for (const { meta, resources } of DETECTION_RULES) {
    it(`${meta.id} is complete and well-formed`, () => {
      assertCompleteMetadata(meta);
      assert.match(meta.id, /^AUDIT-[A-Z0-9]+(-[A-Z0-9]+)*$/);
      assert.match(meta.nsaSection, /^Audit logging and threat detection › \S/);
      assert.equal(meta.pss, null);
      assert.deepEqual(meta.frameworks, ['nsa']);
      assert.ok(SEVERITIES.includes(meta.severity));
      assert.ok(Number.isInteger(meta.versions.sinceMinor) && meta.versions.sinceMinor >= 0);
      let previous = meta.versions.sinceMinor;
      for (const change of meta.versions.changes) {
        assert.ok(change.minor > previous && change.change.length > 0, `version changes of ${meta.id} ascend after sinceMinor`);
        previous = change.minor;
      }
      assert.ok(LEVEL_RANK[meta.needs.level] >= LEVEL_RANK.Metadata, 'a rule needs at least Metadata');
      assert.ok(meta.needs.stage === 'ResponseStarted' || meta.needs.stage === 'ResponseComplete', 'a stage that carries the outcome');
      assert.ok(meta.needs.requests.length > 0);
      for (const request of meta.needs.requests) {
        const full = sampleRequest(request);
        assert.ok(full.resourceRequest ? full.resource !== '' : full.path.startsWith('/'), JSON.stringify(full));
        // A rule that names its resources must be about the requests it samples.
        if (resources && full.resourceRequest) assert.ok(resources.includes(full.subresource ? `${full.resource}/${full.subresource}` : full.resource), `${meta.id} samples ${full.resource}`);
      }
      if (resources) for (const key of resources) assert.match(key, /^[a-z]+(\/[a-z]+)?$/);
      assert.ok(meta.attack.length > 0);
      for (const technique of meta.attack) assert.match(technique, /^T\d{4}(\.\d{3})?$/);
    });
  }

  it('ids are unique', () => {
    const ids = DETECTION_RULES.map((rule) => rule.meta.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('every rule has a valid/invalid table in test/audit/detect', () => {
    const directory = join(PROJECT_ROOT, 'test', 'audit', 'detect');
    const sources = readdirSync(directory).filter((name) => name.endsWith('.test.ts')).map((name) => readFileSync(join(directory, name), 'utf8')).join('\n');
    const tabled = new Set([...sources.matchAll(/testDetection\('([A-Z0-9-]+)'/g)].map((match) => match[1]));
    assert.deepEqual(DETECTION_RULES.map((rule) => rule.meta.id).filter((id) => !tabled.has(id)), []);
  });
});

/** Falco rules (section C.1) no rule of ours covers, and why. */
const FALCO_LEFT_OUT: Readonly<Record<string, string>> = {
  'Disallowed K8s User': 'judges every request against a list of the cluster\'s users; --trusted-user narrows the Secret and token rules instead',
  'Create Disallowed Pod': 'off by default in Falco; an image allow list is admission\'s job',
  'Create Disallowed Namespace': 'needs a list of allowed namespaces written for the cluster',
  'All K8s Audit Events': 'off by default in Falco: matches everything',
  'Full K8s Administrative Access': 'off by default in Falco',
  'Untrusted Node Successfully Joined the Cluster': 'off by default in Falco; needs a list of the cluster\'s nodes',
  'Untrusted Node Unsuccessfully Tried to Join the Cluster': 'off by default in Falco; needs a list of the cluster\'s nodes',
};
/** Falco's INFO activity log (K8s <kind> Created/Deleted): a record of changes, not threats. */
const FALCO_ACTIVITY = /^K8s (Deployment|Service|ConfigMap|Namespace|Serviceaccount|Role|ClusterRole|RoleBinding|ClusterRoleBinding|Secret) (Created|Deleted)$/;

/** Elastic rules (section C.2) no rule of ours covers, and why. */
const ELASTIC_LEFT_OUT: Readonly<Record<string, string>> = {
  'Kubernetes Secret or ConfigMap Access via Azure Arc Proxy': 'specific to Azure Arc\'s proxy service account',
  'Kubernetes Secret Access via Unusual User Agent': 'first-seen (new_terms) baselines need history a single pass over logs does not have; the user agent is chosen by the client',
  'Kubernetes Secret get or list from Node or Pod Service Account': 'nodes and workloads read their own Secrets all day; AUDIT-SECRET-READ reports a workload listing every namespace or kube-system',
  'Kubernetes Denied Service Account Request via Unusual User Agent': 'keys on the client-chosen user agent; refusals in bulk are AUDIT-FORBIDDEN-BURST',
  'Kubernetes Multi-Resource Discovery': 'reads across many resource types are what kubectl, dashboards and operators do',
  'Kubernetes Suspicious Self-Subject Review via Unusual User Agent': 'keys on the client-chosen user agent',
  'Kubernetes Forbidden Creation Request': 'a single refused create is routine (dry runs, CI); refusals in bulk are AUDIT-FORBIDDEN-BURST',
  'Kubernetes Forbidden Request from Unusual User Agent': 'keys on the client-chosen user agent; refusals in bulk are AUDIT-FORBIDDEN-BURST',
  'Kubernetes Unusual Decision by User Agent': 'a first-seen (new_terms) baseline of user agents',
  'Kubernetes Creation or Modification of Sensitive Role': 'the role rules judge what a role grants (wildcards, escalation verbs, pods/exec, writes) instead of every role write',
  'Kubernetes Creation of a RoleBinding Referencing a ServiceAccount': 'every operator install does it; bindings to cluster-admin are AUDIT-CLUSTER-ADMIN-BINDING',
  'Kubernetes Sensitive RBAC Change Followed by Workload Modification': 'a correlation of two events per user over five minutes; each half is judged on its own',
  'Unusual Kubernetes Sensitive Workload Modification': 'a first-seen (new_terms) baseline of users',
  'Kubernetes Service Account Modified RBAC Objects': 'GitOps controllers and operators do it constantly; what the roles grant is judged by the role rules',
};

/** The first column of the rule table in a section of the research notes. */
function tableNames(text: string, section: string, next: string): string[] {
  const body = text.slice(text.indexOf(section), text.indexOf(next));
  return body
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Rule'))
    .map((line) => (line.split('|')[1] ?? '').trim())
    .flatMap((name) => (name.endsWith(' Created / Deleted') ? [name.replace(/ \/ Deleted$/, ''), name.replace(/Created \/ /, '')] : [name]));
}

describe('coverage of the Falco and Elastic rule sets (research notes, section C)', { skip: needsShared }, () => {
  const text = SHARED_PRESENT ? readFileSync(sharedPath('research', 'detective-and-network.md'), 'utf8') : '';
  const falco = tableNames(text, '### C.1', '### C.2');
  const elastic = tableNames(text, '### C.2', '### C.3');
  const coveredFalco = new Set(DETECTION_RULES.flatMap((rule) => rule.meta.covers.falco ?? []));
  const coveredElastic = new Set(DETECTION_RULES.flatMap((rule) => rule.meta.covers.elastic ?? []));

  it('reads the tables', () => {
    assert.equal(falco.length, 48, 'Falco rules in the table');
    assert.equal(elastic.length, 45);
  });
  it('every covered name is an exact rule name of its tool', () => {
    assert.deepEqual([...coveredFalco].filter((name) => !falco.includes(name)), []);
    assert.deepEqual([...coveredElastic].filter((name) => !elastic.includes(name)), []);
  });
  it('every Falco rule is covered, or left out for a stated reason', () => {
    assert.deepEqual(falco.filter((name) => !coveredFalco.has(name) && !(name in FALCO_LEFT_OUT) && !FALCO_ACTIVITY.test(name)), []);
    for (const name of Object.keys(FALCO_LEFT_OUT)) assert.ok(falco.includes(name) && !coveredFalco.has(name), name);
  });
  it('every Elastic rule is covered, or left out for a stated reason', () => {
    assert.deepEqual(elastic.filter((name) => !coveredElastic.has(name) && !(name in ELASTIC_LEFT_OUT)), []);
    for (const name of Object.keys(ELASTIC_LEFT_OUT)) assert.ok(elastic.includes(name) && !coveredElastic.has(name), name);
  });
});

describe('properties of every rule', () => {
  const SECRET = 'S3cr3t-V4lue-9f2c';
  /** Requests that carry a secret value somewhere in their bodies or query, each firing at least one rule. */
  const carriers: AuditEvent[] = [
    done({ verb: 'create', objectRef: { resource: 'configmaps', namespace: 'shop', name: 'app' }, requestObject: { data: { 'db.properties': `password=${SECRET}` } } }),
    done({ verb: 'get', objectRef: { resource: 'secrets', namespace: 'shop', name: 'db' }, responseObject: { kind: 'Secret', data: { password: Buffer.from(SECRET).toString('base64') } } }),
    done({ verb: 'create', objectRef: { resource: 'serviceaccounts', subresource: 'token', namespace: 'ci', name: 'deployer' }, responseObject: { kind: 'TokenRequest', status: { token: SECRET } } }),
    done({ verb: 'create', objectRef: { resource: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io' }, requestObject: { metadata: { name: 'x' }, spec: { request: SECRET } } }),
    podCreate({ containers: [container({ securityContext: { privileged: true }, env: [{ name: 'TOKEN', value: SECRET }], args: [`--token=${SECRET}`] })] }),
    debugPatch([container({ name: 'debugger', securityContext: { privileged: true }, env: [{ name: 'TOKEN', value: SECRET }] })]),
    rbac('clusterrolebindings', 'create', { metadata: { annotations: { note: SECRET } }, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'bob' }] }),
  ];

  it('never puts a secret value into a message', () => {
    const hits = run(DETECTION_RULES, carriers);
    assert.ok(hits.length >= carriers.length, `every carrier fires something: ${hits.length}`);
    assert.deepEqual(hits.filter((hit) => hit.message.includes(SECRET)).map((hit) => `${hit.rule.meta.id}: ${hit.message}`), []);
  });

  it('nothing fires on RequestReceived, which carries neither outcome nor decision', () => {
    const received = carriers.map((event): AuditEvent => ({ ...event, stage: 'RequestReceived', responseStatus: undefined, responseObject: undefined, annotations: undefined }));
    assert.ok(run(DETECTION_RULES, carriers).length > 0);
    assert.deepEqual(run(DETECTION_RULES, received).map((hit) => hit.rule.meta.id), []);
  });

  it('events of every stage, level and odd shape are judged without throwing', () => {
    const odd: AuditEvent[] = AUDIT_STAGES.flatMap((stage) => [
      { stage },
      { stage, verb: 'create', objectRef: { resource: 'pods' }, requestObject: 'not an object' },
      { stage, verb: 'create', objectRef: { resource: 'pods' }, requestObject: { spec: { containers: 'nope', volumes: [null, { hostPath: 7 }] } } },
      { stage, verb: 'create', objectRef: { resource: 'clusterroles', apiGroup: 'rbac.authorization.k8s.io' }, requestObject: { rules: [null, { verbs: 'x' }] } },
      { stage, verb: 'patch', objectRef: { resource: 'configmaps' }, requestObject: [{ op: 'add', path: '/data/password', value: 'x' }] },
      { stage, verb: 'get', objectRef: { resource: 'pods', subresource: 'exec' }, requestURI: '/api/v1/namespaces/a/pods/p/exec?command=%' },
      { stage, responseStatus: { code: 401 }, stageTimestamp: 'not a time' },
      { stage, impersonatedUser: {} },
    ]);
    assert.doesNotThrow(() => run(DETECTION_RULES, odd));
  });
});
