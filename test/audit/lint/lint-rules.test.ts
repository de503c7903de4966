/** Each audit-policy lint rule with policies that pass and policies that fail (ESLint's valid/invalid tables). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DetectionRule } from '../../../src/audit/detect/rule.js';
import { lintPolicy } from '../../../src/audit/lint/lint.js';
import type { PolicyLintRule } from '../../../src/audit/lint/rule.js';
import { POLICY_LINT_RULES } from '../../../src/audit/lint/rules/index.js';
import { parseAuditPolicies } from '../../../src/audit/policy/load.js';
import type { AuditPolicy } from '../../../src/audit/policy/types.js';
import type { InputError } from '../../../src/loader/source.js';
import { assertCompleteMetadata } from '../../support/control-tester.js';

function policy(rules: string, top = ''): AuditPolicy {
  const errors: InputError[] = [];
  const [parsed] = parseAuditPolicies('policy.yaml', Buffer.from(`apiVersion: audit.k8s.io/v1\nkind: Policy\n${top}rules:\n${rules}`), errors);
  assert.deepEqual(errors, []);
  assert.ok(parsed);
  return parsed;
}

/** A detection that needs pod creates at Request, seen at ResponseComplete. */
const podDetection: DetectionRule = {
  meta: {
    ...(POLICY_LINT_RULES[0] as PolicyLintRule).meta,
    id: 'TEST-PRIVILEGED-POD',
    title: 'privileged pod created',
    needs: { level: 'Request', stage: 'ResponseComplete', requests: [{ verb: 'create', resource: 'pods' }] },
    covers: {},
    attack: [],
  },
  resources: ['pods'],
  create: () => ({ event: () => undefined }),
};
/** A detection that fires on ResponseStarted (exec). */
const execDetection: DetectionRule = {
  ...podDetection,
  meta: { ...podDetection.meta, id: 'TEST-EXEC', title: 'exec', needs: { level: 'Metadata', stage: 'ResponseStarted', requests: [{ verb: 'create', resource: 'pods', subresource: 'exec' }] } },
};
/** A detection that would need ConfigMap bodies, which no safe policy logs. */
const configMapDetection: DetectionRule = {
  ...podDetection,
  meta: { ...podDetection.meta, id: 'TEST-CONFIGMAP', title: 'configmap credentials', needs: { level: 'Request', stage: 'ResponseComplete', requests: [{ verb: 'create', resource: 'configmaps' }] } },
};

interface Case {
  readonly name: string;
  readonly policy: AuditPolicy;
  /** For invalid cases: the fields of the findings, in order. */
  readonly fields?: readonly string[];
  readonly message?: RegExp;
}

function testLintRule(id: string, table: { valid: readonly Case[]; invalid: readonly Case[] }): void {
  const rule = POLICY_LINT_RULES.find((candidate) => candidate.meta.id === id);
  describe(id, () => {
    it('has complete metadata', () => {
      assert.ok(rule, `${id} is registered`);
      assertCompleteMetadata(rule.meta);
    });
    for (const entry of table.valid) {
      it(`passes: ${entry.name}`, () => assert.deepEqual(lintPolicy(entry.policy, [rule as PolicyLintRule], [podDetection, execDetection, configMapDetection]).map((f) => f.message), []));
    }
    for (const entry of table.invalid) {
      it(`fails: ${entry.name}`, () => {
        const findings = lintPolicy(entry.policy, [rule as PolicyLintRule], [podDetection, execDetection, configMapDetection]);
        assert.deepEqual(findings.map((finding) => finding.field), entry.fields);
        for (const finding of findings) {
          assert.equal(finding.resource.kind, 'Policy');
          assert.equal(finding.location.file, 'policy.yaml');
          assert.ok(finding.location.line > 0);
        }
        if (entry.message) assert.match(findings[0]?.message ?? '', entry.message);
      });
    }
  });
}

const catchAll = (level: string) => `- level: ${level}\n`;
const secretsMetadata = '- level: Metadata\n  resources:\n  - group: ""\n    resources: ["secrets", "configmaps", "serviceaccounts/token"]\n  - group: authentication.k8s.io\n    resources: ["tokenreviews"]\n';

testLintRule('AUDIT-POLICY-LOGS-NOTHING', {
  valid: [{ name: 'a catch-all Metadata rule', policy: policy(catchAll('Metadata')) }, { name: 'only exec logged', policy: policy('- level: Request\n  resources:\n  - group: ""\n    resources: ["pods/exec"]\n') }],
  invalid: [
    { name: 'a catch-all None rule first', policy: policy(`${catchAll('None')}${catchAll('Metadata')}`), fields: ['rules[0].level'], message: /auditing is effectively off; rule 1 drops them/ },
    { name: 'no rules', policy: policy('  []\n'), fields: ['rules'], message: /no rules/ },
  ],
});

testLintRule('AUDIT-POLICY-SENSITIVE-BODIES', {
  valid: [
    { name: 'Metadata for secrets above a RequestResponse catch-all', policy: policy(`${secretsMetadata}${catchAll('RequestResponse')}`) },
    { name: 'Metadata everywhere', policy: policy(catchAll('Metadata')) },
  ],
  invalid: [
    { name: 'Appendix L: everything at RequestResponse', policy: policy(catchAll('RequestResponse')), fields: ['rules[0].level'], message: /get secrets example in default.*written into the audit log/ },
    {
      name: 'a Request rule for service accounts above the Metadata rule',
      policy: policy(`- level: Request\n  userGroups: ["system:serviceaccounts"]\n${secretsMetadata}`),
      fields: ['rules[0].level'],
      message: /^get secrets example in default, list secrets in default.*logged at Request,/,
    },
  ],
});

testLintRule('AUDIT-POLICY-EXEC', {
  valid: [{ name: 'catch-all Metadata', policy: policy(catchAll('Metadata')) }],
  invalid: [
    { name: 'only create logged (WebSocket exec is a get)', policy: policy('- level: Metadata\n  verbs: ["create"]\n'), fields: ['rules'], message: /get pods\/exec example in default.*no rule matches/ },
    { name: 'a None rule for pods/*', policy: policy('- level: None\n  resources:\n  - group: ""\n    resources: ["pods/*"]\n- level: Metadata\n'), fields: ['rules[0].level'] },
  ],
});

testLintRule('AUDIT-POLICY-RBAC-CHANGES', {
  valid: [{ name: 'catch-all Request', policy: policy(catchAll('Request')) }],
  invalid: [{ name: 'RBAC group dropped', policy: policy('- level: None\n  resources:\n  - group: rbac.authorization.k8s.io\n- level: Metadata\n'), fields: ['rules[0].level'], message: /create roles.rbac.authorization.k8s.io/ }],
});

testLintRule('AUDIT-POLICY-POD-CREATION', {
  valid: [{ name: 'catch-all Metadata', policy: policy(catchAll('Metadata')) }],
  invalid: [{ name: 'only reads logged', policy: policy('- level: Metadata\n  verbs: ["get", "list", "watch"]\n'), fields: ['rules'] }],
});

testLintRule('AUDIT-POLICY-AUTHN-FAILURES', {
  valid: [{ name: 'a catch-all that names nobody', policy: policy(`- level: Request\n  userGroups: ["system:authenticated"]\n${catchAll('Metadata')}`) }],
  invalid: [
    {
      name: 'rules only for authenticated groups',
      policy: policy('- level: Metadata\n  userGroups: ["system:authenticated", "system:unauthenticated"]\n'),
      fields: ['rules'],
      message: /failed logins/,
    },
  ],
});

testLintRule('AUDIT-POLICY-BLIND-DETECTION', {
  valid: [
    { name: 'pods at Request, exec at Metadata, RequestReceived omitted', policy: policy(`- level: Request\n  resources:\n  - group: ""\n    resources: ["pods"]\n${catchAll('Metadata')}`, 'omitStages: ["RequestReceived"]\n') },
    { name: 'ConfigMap bodies are not asked for: Metadata is the most a safe policy gives', policy: policy(`${secretsMetadata}${catchAll('Request')}`) },
  ],
  invalid: [
    { name: 'pods at Metadata only', policy: policy(catchAll('Metadata')), fields: ['rules[0].level'], message: /TEST-PRIVILEGED-POD.*blind to create pods in default: it needs Request but rule 1 logs it at Metadata/ },
    { name: 'ResponseStarted omitted', policy: policy(catchAll('Request'), 'omitStages: ["ResponseStarted"]\n'), fields: ['rules[0].omitStages'], message: /TEST-EXEC.*ResponseStarted stage/ },
    { name: 'ConfigMaps not logged at all', policy: policy(`- level: None\n  resources:\n  - group: ""\n    resources: ["configmaps"]\n${catchAll('Request')}`), fields: ['rules[0].level'], message: /TEST-CONFIGMAP.*needs Metadata/ },
  ],
});

testLintRule('AUDIT-POLICY-UNREACHABLE-RULE', {
  valid: [{ name: 'catch-all last', policy: policy(`- level: None\n  verbs: ["watch"]\n${catchAll('Metadata')}`) }],
  invalid: [{ name: 'catch-all first', policy: policy(`${catchAll('Metadata')}- level: None\n  verbs: ["watch"]\n- level: Request\n  verbs: ["create"]\n`), fields: ['rules[1].level', 'rules[2].level'], message: /rule 2 never applies: rule 1 above it matches every request/ }],
});

testLintRule('AUDIT-POLICY-REQUEST-RECEIVED', {
  valid: [
    { name: 'omitted for the policy', policy: policy(catchAll('Metadata'), 'omitStages: ["RequestReceived"]\n') },
    { name: 'omitted on the only logging rule', policy: policy('- level: None\n  verbs: ["watch"]\n- level: Metadata\n  omitStages: ["RequestReceived"]\n') },
  ],
  invalid: [{ name: 'not omitted', policy: policy(`- level: None\n  verbs: ["watch"]\n${catchAll('Metadata')}`), fields: ['rules[1].omitStages'], message: /rule 2 logs the RequestReceived stage/ }],
});

testLintRule('AUDIT-POLICY-READ-RESPONSES', {
  valid: [{ name: 'reads at Metadata, writes in full', policy: policy(`- level: Metadata\n  verbs: ["get", "list", "watch"]\n${catchAll('RequestResponse')}`) }],
  invalid: [{ name: 'Appendix L', policy: policy(catchAll('RequestResponse')), fields: ['rules[0].level'], message: /list pods \(all namespaces\)/ }],
});

it('every lint rule is tested above and ids are unique', () => {
  const ids = POLICY_LINT_RULES.map((rule) => rule.meta.id);
  assert.equal(new Set(ids).size, ids.length);
});
