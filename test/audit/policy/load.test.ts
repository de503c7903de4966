/** Loading and validating audit policies: the API server's load-time rules (research note A.3), with file and line. */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadAuditPolicies, parseAuditPolicies } from '../../../src/audit/policy/load.js';
import { RECOMMENDED_POLICY_YAML } from '../../../src/audit/policy/recommended.js';
import type { InputError } from '../../../src/loader/source.js';
import { needsShared, sharedPath } from '../../support/paths.js';

function parse(text: string) {
  const errors: InputError[] = [];
  const policies = parseAuditPolicies('policy.yaml', Buffer.from(text), errors);
  return { policies, errors };
}

const header = 'apiVersion: audit.k8s.io/v1\nkind: Policy\n';

describe('audit policy validation', () => {
  const valid: readonly [string, string][] = [
    ['a catch-all rule', 'rules:\n- level: Metadata\n'],
    ['the core group as ""', 'rules:\n- level: Request\n  resources:\n  - group: ""\n    resources: ["pods"]\n'],
    ['a group entry without group (core)', 'rules:\n- level: Request\n  resources:\n  - resources: ["pods"]\n'],
    ['nonResourceURLs with a trailing *', 'rules:\n- level: None\n  nonResourceURLs: ["/healthz*", "*", "/version"]\n'],
    ['resourceNames with resources', 'rules:\n- level: Request\n  resources:\n  - group: ""\n    resources: ["configmaps"]\n    resourceNames: ["coredns"]\n'],
    ['stages and omitManagedFields', 'omitStages: ["RequestReceived"]\nomitManagedFields: true\nrules:\n- level: Request\n  omitStages: ["Panic"]\n  omitManagedFields: false\n'],
    ['no rules at all', ''],
  ];
  for (const [name, body] of valid) {
    it(`accepts ${name}`, () => {
      const { policies, errors } = parse(header + body);
      assert.deepEqual(errors, []);
      assert.equal(policies.length, 1);
    });
  }

  const invalid: readonly [string, string, number, RegExp][] = [
    ['a rule without level', 'rules:\n- verbs: ["get"]\n', 4, /rules\[0\]\.level: level is required/],
    ['an unknown level', 'rules:\n- level: Everything\n', 4, /level "Everything" is not one of None, Metadata, Request, RequestResponse/],
    ['a URL without a leading /', 'rules:\n- level: None\n  nonResourceURLs: ["healthz"]\n', 5, /must be "\*" or start with "\/"/],
    ['a * before the end of a URL', 'rules:\n- level: None\n  nonResourceURLs: ["/api/*/x"]\n', 5, /only as the last character/],
    ['nonResourceURLs with resources', 'rules:\n- level: None\n  nonResourceURLs: ["/x"]\n  resources:\n  - group: ""\n', 5, /cannot combine nonResourceURLs with resources or namespaces/],
    ['nonResourceURLs with namespaces', 'rules:\n- level: None\n  namespaces: ["a"]\n  nonResourceURLs: ["/x"]\n', 6, /cannot combine/],
    ['a group with its version', 'rules:\n- level: Request\n  resources:\n  - group: rbac.authorization.k8s.io/v1\n', 6, /not a valid API group name \(name the group only/],
    ['a group wildcard', 'rules:\n- level: Request\n  resources:\n  - group: "*"\n', 6, /there is no group wildcard/],
    ['an upper-case group', 'rules:\n- level: Request\n  resources:\n  - group: Apps\n', 6, /not a valid API group name/],
    ['resourceNames without resources', 'rules:\n- level: Request\n  resources:\n  - group: ""\n    resourceNames: ["x"]\n', 7, /resourceNames requires at least one entry in resources/],
    ['an unknown rule stage', 'rules:\n- level: Request\n  omitStages: ["ResponseDone"]\n', 5, /"ResponseDone" is not a stage/],
    ['an unknown policy stage', 'omitStages: ["Received"]\nrules:\n- level: Request\n', 3, /omitStages\[0\]: "Received" is not a stage/],
    ['verbs that are not a list', 'rules:\n- level: Request\n  verbs: get\n', 5, /must be a list of strings/],
    ['omitManagedFields that is not a boolean', 'rules:\n- level: Request\n  omitManagedFields: "yes"\n', 5, /must be true or false/],
  ];
  for (const [name, body, line, message] of invalid) {
    it(`rejects ${name} at its line`, () => {
      const { policies, errors } = parse(header + body);
      assert.equal(policies.length, 0, 'an invalid policy is never evaluated');
      assert.ok(errors.some((error) => error.line === line && message.test(error.message)), JSON.stringify(errors));
    });
  }

  it('reports every problem of a policy, not only the first', () => {
    const { errors } = parse(`${header}rules:\n- level: Bad\n- level: None\n  nonResourceURLs: ["x"]\n`);
    assert.equal(errors.length, 2);
  });

  it('says so when a file holds no Policy, and when YAML is broken', () => {
    assert.match(parse('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n').errors[0]?.message ?? '', /no audit.k8s.io\/v1 Policy/);
    const broken = parse(`${header}rules:\n- level: [\n`);
    assert.equal(broken.errors.length, 1);
    assert.equal(broken.errors[0]?.file, 'policy.yaml');
    assert.ok((broken.errors[0]?.line ?? 0) >= 3);
  });

  it('reads a missing file as an error naming it', async () => {
    const errors: InputError[] = [];
    assert.deepEqual(await loadAuditPolicies('/nonexistent/policy.yaml', errors), []);
    assert.equal(errors[0]?.file, '/nonexistent/policy.yaml');
  });

  it('accepts the recommended policy, and keeps rule lines', () => {
    const { policies, errors } = parse(RECOMMENDED_POLICY_YAML);
    assert.deepEqual(errors, []);
    const policy = policies[0];
    assert.ok(policy);
    assert.deepEqual(policy.omitStages, ['RequestReceived']);
    const lines = RECOMMENDED_POLICY_YAML.split('\n');
    for (const rule of policy.rules) assert.match(lines[rule.line - 1] ?? '', /^\s*- level: /, `rule ${rule.index + 1} points at its "- level" line`);
  });
});

describe('the audit policies of the corpus', { skip: needsShared }, () => {
  const folder = sharedPath('corpus', 'audit-policies');
  for (const name of readdirSync(folder).filter((file) => file.endsWith('.yaml'))) {
    it(`${name} loads as the API server would`, async () => {
      const errors: InputError[] = [];
      const policies = await loadAuditPolicies(`${folder}/${name}`, errors);
      if (name === 'openshift-library-go-writerequestbodies-rules.yaml') {
        // A list of rules the OpenShift operator appends to its base policy: not a Policy on its own.
        assert.equal(policies.length, 0);
        assert.match(errors[0]?.message ?? '', /no audit.k8s.io\/v1 Policy|not a Kubernetes object/);
        return;
      }
      assert.deepEqual(errors, []);
      assert.equal(policies.length, 1);
      assert.ok((policies[0]?.rules.length ?? 0) > 0);
    });
  }
});
