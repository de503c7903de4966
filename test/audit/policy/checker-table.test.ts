/**
 * Upstream's checker_test.go table (research note A.6), case for case: the same requests, rules and expected
 * levels, stages and omitManagedFields.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditLevel, AuditStage } from '../../../src/audit/event.js';
import { evaluatePolicy, unionStages } from '../../../src/audit/policy/evaluate.js';
import type { AuditPolicy, AuditPolicyRule, AuditRequest } from '../../../src/audit/policy/types.js';

const tim = { name: 'tim@k8s.io', groups: ['humans', 'developers'] };
const REQUESTS: Record<string, AuditRequest> = {
  namespaced: { user: tim, verb: 'get', resourceRequest: true, namespace: 'default', apiGroup: '', resource: 'pods', subresource: '', name: 'busybox', path: '/api/v1/namespaces/default/pods/busybox' },
  cluster: { user: tim, verb: 'get', resourceRequest: true, namespace: '', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', subresource: '', name: 'edit', path: '/apis/rbac.authorization.k8s.io/v1beta1/clusterroles/edit' },
  nonResource: { user: tim, verb: 'get', resourceRequest: false, namespace: '', apiGroup: '', resource: '', subresource: '', name: '', path: '/logs/kubelet.log' },
  subresource: { user: tim, verb: 'get', resourceRequest: true, namespace: 'default', apiGroup: '', resource: 'pods', subresource: 'log', name: 'busybox', path: '/api/v1/namespaces/default/pods/busybox' },
  Unauthorized: { user: null, verb: 'get', resourceRequest: true, namespace: 'default', apiGroup: '', resource: 'pods', subresource: '', name: 'busybox', path: '/api/v1/namespaces/default/pods/busybox' },
};

type RuleSpec = Partial<Omit<AuditPolicyRule, 'index' | 'line' | 'column'>> & { level: AuditLevel };
const RR: AuditStage = 'RequestReceived';
const RS: AuditStage = 'ResponseStarted';
const RC: AuditStage = 'ResponseComplete';

const RULES: Record<string, RuleSpec> = {
  default: { level: 'Metadata' },
  create: { level: 'Request', verbs: ['create'] },
  tims: { level: 'Metadata', users: ['tim@k8s.io'] },
  humans: { level: 'Metadata', userGroups: ['humans'] },
  serviceAccounts: { level: 'Request', userGroups: ['system:serviceaccounts'] },
  getPods: { level: 'RequestResponse', verbs: ['get'], resources: [{ group: '', resources: ['pods'], resourceNames: [] }] },
  getPodLogs: { level: 'Request', verbs: ['get'], resources: [{ group: '', resources: ['pods/log'], resourceNames: [] }] },
  getPodWildcardMatching: { level: 'Request', verbs: ['get'], resources: [{ group: '', resources: ['*'], resourceNames: [] }] },
  getPodResourceWildcardMatching: { level: 'Request', verbs: ['get'], resources: [{ group: '', resources: ['*/log'], resourceNames: [] }] },
  getPodSubResourceWildcardMatching: { level: 'Request', verbs: ['get'], resources: [{ group: '', resources: ['pods/*'], resourceNames: [] }] },
  getClusterRoles: { level: 'RequestResponse', verbs: ['get'], resources: [{ group: 'rbac.authorization.k8s.io', resources: ['clusterroles'], resourceNames: [] }], namespaces: [''] },
  getLogs: { level: 'RequestResponse', verbs: ['get'], nonResourceURLs: ['/logs*'] },
  getMetrics: { level: 'Request', verbs: ['get'], nonResourceURLs: ['/metrics'] },
  clusterRoleEdit: { level: 'Request', resources: [{ group: 'rbac.authorization.k8s.io', resources: ['clusterroles'], resourceNames: ['edit'] }] },
  'omit RequestReceived': { level: 'Request', omitStages: [RR] },
  'only audit panic': { level: 'Request', omitStages: [RR, RS, RC] },
};

function policy(ruleNames: readonly string[], omitStages: readonly AuditStage[] = [], omitManagedFields = false): AuditPolicy {
  const rules = ruleNames.map((name, index): AuditPolicyRule => {
    const spec = RULES[name];
    assert.ok(spec, `unknown rule ${name}`);
    return { users: [], userGroups: [], verbs: [], resources: [], namespaces: [], nonResourceURLs: [], omitStages: [], ...spec, index, line: index + 1, column: 1 };
  });
  return { file: 'table', omitStages, omitManagedFields, rules, line: 1 };
}

const LEVEL_ROWS: readonly [string, readonly string[], AuditLevel][] = [
  ['namespaced', ['default'], 'Metadata'],
  ['namespaced', ['create'], 'None'],
  ['namespaced', ['tims'], 'Metadata'],
  ['namespaced', ['humans'], 'Metadata'],
  ['namespaced', ['serviceAccounts'], 'None'],
  ['namespaced', ['getPods'], 'RequestResponse'],
  ['namespaced', ['getClusterRoles'], 'None'],
  ['namespaced', ['getLogs'], 'None'],
  ['namespaced', ['getMetrics'], 'None'],
  ['namespaced', ['getMetrics', 'serviceAccounts', 'default'], 'Metadata'],
  ['namespaced', ['getMetrics', 'getPods', 'default'], 'RequestResponse'],
  ['namespaced', ['getPodLogs', 'getPods'], 'RequestResponse'],
  ['cluster', ['default'], 'Metadata'],
  ['cluster', ['create'], 'None'],
  ['cluster', ['tims'], 'Metadata'],
  ['cluster', ['humans'], 'Metadata'],
  ['cluster', ['serviceAccounts'], 'None'],
  ['cluster', ['getPods'], 'None'],
  ['cluster', ['getClusterRoles'], 'RequestResponse'],
  ['cluster', ['clusterRoleEdit', 'getClusterRoles'], 'Request'],
  ['cluster', ['getLogs'], 'None'],
  ['cluster', ['getMetrics'], 'None'],
  ['cluster', ['getMetrics', 'serviceAccounts', 'default'], 'Metadata'],
  ['cluster', ['getMetrics', 'getClusterRoles', 'default'], 'RequestResponse'],
  ['cluster', ['getPodLogs', 'getPods'], 'None'],
  ['nonResource', ['default'], 'Metadata'],
  ['nonResource', ['create'], 'None'],
  ['nonResource', ['tims'], 'Metadata'],
  ['nonResource', ['humans'], 'Metadata'],
  ['nonResource', ['serviceAccounts'], 'None'],
  ['nonResource', ['getPods'], 'None'],
  ['nonResource', ['getClusterRoles'], 'None'],
  ['nonResource', ['getLogs'], 'RequestResponse'],
  ['nonResource', ['getMetrics'], 'None'],
  ['nonResource', ['getMetrics', 'serviceAccounts', 'default'], 'Metadata'],
  ['nonResource', ['getLogs', 'getClusterRoles', 'default'], 'RequestResponse'],
  ['nonResource', ['getPodLogs', 'getPods'], 'None'],
  ['subresource', ['getPodLogs', 'getPods'], 'Request'],
  ['subresource', ['getPodWildcardMatching'], 'Request'],
  ['subresource', ['getPodResourceWildcardMatching'], 'Request'],
  ['subresource', ['getPodSubResourceWildcardMatching'], 'Request'],
  ['Unauthorized', ['tims'], 'None'],
  ['Unauthorized', ['tims', 'default'], 'Metadata'],
  ['Unauthorized', ['humans'], 'None'],
  ['Unauthorized', ['humans', 'default'], 'Metadata'],
];

const sorted = (stages: readonly AuditStage[]) => [...stages].sort();

describe('upstream checker table: levels (45 rows, each with and without policy omitStages)', () => {
  for (const [index, [request, rules, level]] of LEVEL_ROWS.entries()) {
    for (const policyStages of [[], [RR, RS]] as AuditStage[][]) {
      it(`#${index + 1} ${request} × [${rules.join(', ')}] → ${level}, policy omitStages [${policyStages.join(', ')}]`, () => {
        const decision = evaluatePolicy(policy(rules, policyStages), REQUESTS[request] as AuditRequest);
        assert.equal(decision.level, level);
        assert.deepEqual(sorted(decision.omitStages), sorted(policyStages));
      });
    }
  }
});

describe('upstream checker table: stages', () => {
  const rows: readonly [string, readonly string[], readonly AuditStage[], AuditLevel, readonly AuditStage[]][] = [
    ['namespaced', ['omit RequestReceived', 'getPods', 'default'], [], 'Request', [RR]],
    ['namespaced', ['only audit panic', 'getPods', 'default'], [], 'Request', [RR, RS, RC]],
    ['cluster', ['omit RequestReceived', 'getPods', 'default'], [], 'Request', [RR]],
    ['cluster', ['only audit panic', 'getPods', 'default'], [], 'Request', [RR, RS, RC]],
    ['nonResource', ['omit RequestReceived', 'getPods', 'default'], [], 'Request', [RR]],
    ['nonResource', ['only audit panic', 'getPods', 'default'], [], 'Request', [RR, RS, RC]],
    ['namespaced', ['omit RequestReceived', 'getPods', 'default'], [RR, RS], 'Request', [RR, RS]],
    ['namespaced', ['only audit panic', 'getPods', 'default'], [RR, RS], 'Request', [RR, RS, RC]],
    ['cluster', ['omit RequestReceived', 'getPods', 'default'], [RR, RS], 'Request', [RR, RS]],
    ['cluster', ['only audit panic', 'getPods', 'default'], [RR, RS], 'Request', [RR, RS, RC]],
    ['nonResource', ['default', 'omit RequestReceived', 'getPods'], [RR, RS], 'Metadata', [RR, RS]],
    ['nonResource', ['only audit panic', 'getPods', 'default'], [RR, RS], 'Request', [RR, RS, RC]],
  ];
  for (const [request, rules, policyStages, level, stages] of rows) {
    it(`${request} × [${rules.join(', ')}], policy omitStages [${policyStages.join(', ')}] → ${level} omitting [${stages.join(', ')}]`, () => {
      const decision = evaluatePolicy(policy(rules, policyStages), REQUESTS[request] as AuditRequest);
      assert.equal(decision.level, level);
      assert.deepEqual(sorted(decision.omitStages), sorted(stages));
    });
  }
});

describe('upstream checker table: union of stages', () => {
  const PANIC: AuditStage = 'Panic';
  const rows: readonly [AuditStage[] | null, AuditStage[], AuditStage[]][] = [
    [[], [], []],
    [[RR], [], [RR]],
    [[RR], [RR], [RR]],
    [[RR], [RS], [RR, RS]],
    [[RR, RR], [RR, RR], [RR]],
    [[RR, RS], [PANIC, RR], [RR, RS, PANIC]],
    [null, [RR], [RR]],
  ];
  for (const [first, second, expected] of rows) {
    it(`${JSON.stringify(first)} ∪ ${JSON.stringify(second)} = ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(sorted(unionStages(first, second)), sorted(expected));
    });
  }
});

describe('upstream checker table: omitManagedFields', () => {
  const request: AuditRequest = { ...(REQUESTS.Unauthorized as AuditRequest), user: null };
  const rows: readonly [boolean, boolean | undefined, boolean][] = [
    [false, undefined, false],
    [true, undefined, true],
    [true, false, false],
    [false, true, true],
  ];
  for (const [policyValue, ruleValue, expected] of rows) {
    it(`policy ${policyValue}, rule ${ruleValue ?? 'unset'} → ${expected}`, () => {
      const rule: AuditPolicyRule = {
        index: 0, level: 'RequestResponse', users: [], userGroups: [], verbs: ['get'], resources: [], namespaces: [], nonResourceURLs: [], omitStages: [], line: 1, column: 1,
        ...(ruleValue !== undefined ? { omitManagedFields: ruleValue } : {}),
      };
      const decision = evaluatePolicy({ file: 't', omitStages: [], omitManagedFields: policyValue, rules: [rule], line: 1 }, request);
      assert.equal(decision.level, 'RequestResponse');
      assert.equal(decision.omitManagedFields, expected);
    });
  }
});

describe('corner cases derived from the checker code', () => {
  const base = REQUESTS.namespaced as AuditRequest;
  const one = (spec: RuleSpec) => ({ file: 't', omitStages: [], omitManagedFields: false, rules: [{ users: [], userGroups: [], verbs: [], resources: [], namespaces: [], nonResourceURLs: [], omitStages: [], ...spec, index: 0, line: 1, column: 1 }], line: 1 }) as AuditPolicy;
  const cases: readonly [string, RuleSpec, AuditRequest, AuditLevel][] = [
    ['"pods/*" matches a plain pods request', { level: 'Request', resources: [{ group: '', resources: ['pods/*'], resourceNames: [] }] }, base, 'Request'],
    ['resourceNames never matches a create (no name)', { level: 'Request', resources: [{ group: '', resources: ['pods'], resourceNames: ['busybox'] }] }, { ...base, verb: 'create', name: '' }, 'None'],
    ['namespaces [""] matches list pods across all namespaces', { level: 'Request', namespaces: [''] }, { ...base, verb: 'list', namespace: '', name: '' }, 'Request'],
    ['a namespaces-only rule never matches non-resource URLs', { level: 'Request', namespaces: [''] }, REQUESTS.nonResource as AuditRequest, 'None'],
    ['"/healthz*" matches "/healthzz" (plain string prefix)', { level: 'Request', nonResourceURLs: ['/healthz*'] }, { ...(REQUESTS.nonResource as AuditRequest), path: '/healthzz' }, 'Request'],
    ['"*/scale" does not match the resource itself', { level: 'Request', resources: [{ group: 'apps', resources: ['*/scale'], resourceNames: [] }] }, { ...base, apiGroup: 'apps', resource: 'deployments' }, 'None'],
    ['"*/scale" matches deployments/scale', { level: 'Request', resources: [{ group: 'apps', resources: ['*/scale'], resourceNames: [] }] }, { ...base, apiGroup: 'apps', resource: 'deployments', subresource: 'scale' }, 'Request'],
    ['a group entry with no resources matches every resource of the group', { level: 'Request', resources: [{ group: '', resources: [], resourceNames: [] }] }, { ...base, subresource: 'exec' }, 'Request'],
    ['the core group does not match other groups', { level: 'Request', resources: [{ group: '', resources: ['*'], resourceNames: [] }] }, { ...base, apiGroup: 'apps', resource: 'deployments' }, 'None'],
    ['"pods" does not match pods/log', { level: 'Request', resources: [{ group: '', resources: ['pods'], resourceNames: [] }] }, REQUESTS.subresource as AuditRequest, 'None'],
    ['users match exactly, case-sensitively', { level: 'Request', users: ['Tim@k8s.io'] }, base, 'None'],
    ['a nonResourceURLs rule never matches resource requests', { level: 'Request', nonResourceURLs: ['*'] }, base, 'None'],
  ];
  for (const [name, spec, request, level] of cases) {
    it(name, () => assert.equal(evaluatePolicy(one(spec), request).level, level));
  }
});
