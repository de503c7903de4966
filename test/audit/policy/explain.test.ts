/** `audit explain`'s engine: the deciding rule, what is recorded, and why the rules above did not match. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainRequest } from '../../../src/audit/policy/explain.js';
import { parseAuditPolicies } from '../../../src/audit/policy/load.js';
import { sampleRequest } from '../../../src/audit/policy/sample.js';
import type { AuditPolicy } from '../../../src/audit/policy/types.js';
import type { InputError } from '../../../src/loader/source.js';

const errors: InputError[] = [];
const policy = parseAuditPolicies('p.yaml', Buffer.from(`apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
- level: None
  users: ["system:kube-proxy"]
- level: None
  userGroups: ["system:nodes"]
- level: None
  verbs: ["watch"]
- level: None
  nonResourceURLs: ["/healthz*"]
- level: Metadata
  namespaces: ["kube-system"]
- level: RequestResponse
  resources:
  - group: ""
    resources: ["pods/exec"]
- level: Metadata
`), errors)[0] as AuditPolicy;

describe('audit explain', () => {
  it('parses', () => assert.deepEqual(errors, []));

  it('names the deciding rule and a reason for each rule above it', () => {
    const explanation = explainRequest(policy, sampleRequest({ verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'shop' }));
    assert.equal(explanation.decision.rule?.index, 5);
    assert.equal(explanation.decision.level, 'RequestResponse');
    assert.deepEqual(explanation.skipped.map((entry) => entry.reason), [
      'users [system:kube-proxy] does not include alice',
      "userGroups [system:nodes] has none of the user's groups",
      'verbs [watch] does not include create',
      'is about non-resource URLs, and this is a resource request',
      'namespaces ["kube-system"] does not include "shop"',
    ]);
    assert.deepEqual(explanation.stages, { written: ['ResponseStarted', 'ResponseComplete', 'Panic'], omitted: ['RequestReceived'] });
    assert.ok(explanation.records.includes('the response body (responseObject)'));
  });

  it('explains requests without a user and non-resource URLs', () => {
    const anonymous = explainRequest(policy, sampleRequest({ user: null, verb: 'get', path: '/version', resource: '', name: '', namespace: '' }));
    assert.equal(anonymous.skipped[0]?.reason, 'names users, and the request has no user (failed authentication)');
    assert.equal(anonymous.skipped[3]?.reason, 'nonResourceURLs [/healthz*] does not match /version');
    assert.equal(anonymous.skipped[4]?.reason, 'is about resources or namespaces, and this is a non-resource request');
    assert.equal(anonymous.decision.level, 'Metadata');
    assert.deepEqual(anonymous.records, ['user, groups, verb, URI, object reference, source IPs, user agent, response status, annotations']);
  });

  it('shows nothing recorded for a None decision', () => {
    const probe = explainRequest(policy, sampleRequest({ path: '/healthz/etcd', resource: '', name: '', namespace: '' }));
    assert.equal(probe.decision.level, 'None');
    assert.deepEqual(probe.records, []);
    assert.deepEqual(probe.stages.written, []);
  });
});
