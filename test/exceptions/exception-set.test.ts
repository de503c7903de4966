import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../src/vocabulary/finding.js';
import { ExceptionSet, parseIgnoreAnnotation, type ExceptionRule } from '../../src/exceptions/exception-set.js';

function finding(overrides: Partial<Finding> & { apiVersion?: string; kind?: string; namespace?: string | null; name?: string; file?: string } = {}): Finding {
  return {
    ...(overrides.about !== undefined ? { about: overrides.about } : {}),
    controlId: overrides.controlId ?? 'POD-READONLY-ROOTFS',
    title: 't',
    severity: 'medium',
    pss: null,
    resource: { apiVersion: overrides.apiVersion ?? 'apps/v1', kind: overrides.kind ?? 'Deployment', namespace: overrides.namespace === undefined ? 'shop' : overrides.namespace, name: overrides.name ?? 'web' },
    location: { file: overrides.file ?? '/repo/k8s/app.yaml', line: 3, column: 5 },
    field: 'spec',
    message: 'm',
    remediation: 'r',
  };
}

const rule = (overrides: Partial<ExceptionRule>): ExceptionRule => ({ controls: ['POD-READONLY-ROOTFS'], reason: 'accepted', source: '.kubeharden.yaml:3', ...overrides });

describe('exceptions from the configuration file', () => {
  const table: { name: string; rule: Partial<ExceptionRule>; finding: Parameters<typeof finding>[0]; suppressed: boolean }[] = [
    { name: 'control only', rule: {}, finding: {}, suppressed: true },
    { name: 'other control', rule: {}, finding: { controlId: 'RES-CPU-LIMIT' }, suppressed: false },
    { name: 'wildcard control', rule: { controls: ['*'] }, finding: { controlId: 'RES-CPU-LIMIT' }, suppressed: true },
    { name: 'kind glob', rule: { kinds: ['Deploy*'] }, finding: {}, suppressed: true },
    { name: 'kind miss', rule: { kinds: ['StatefulSet'] }, finding: {}, suppressed: false },
    { name: 'namespace glob', rule: { namespaces: ['sh*'] }, finding: {}, suppressed: true },
    { name: 'cluster-scoped resource has namespace ""', rule: { namespaces: [''] }, finding: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', namespace: null }, suppressed: true },
    { name: 'namespace "" matches only cluster-scoped resources', rule: { namespaces: [''] }, finding: {}, suppressed: false },
    { name: 'a namespaced kind written without a namespace is in default', rule: { namespaces: ['default'] }, finding: { namespace: null }, suppressed: true },
    { name: 'a namespaced kind written without a namespace is not cluster-scoped', rule: { namespaces: [''] }, finding: { namespace: null }, suppressed: false },
    { name: 'a namespace-level finding is the Namespace (by kind and name)', rule: { kinds: ['Namespace'], names: ['shop'] }, finding: { about: 'Namespace/shop', kind: 'Deployment', name: 'web' }, suppressed: true },
    { name: 'a namespace-level finding matches its namespace', rule: { namespaces: ['shop'] }, finding: { about: 'Namespace/shop', namespace: 'shop' }, suppressed: true },
    { name: 'a namespace-level finding is not the object it was found at', rule: { kinds: ['Deployment'], names: ['web'] }, finding: { about: 'Namespace/shop' }, suppressed: false },
    { name: 'name list', rule: { names: ['api', 'web'] }, finding: {}, suppressed: true },
    { name: 'file glob relative to the config folder', rule: { files: ['k8s/*.yaml'] }, finding: {}, suppressed: true },
    { name: 'file glob miss', rule: { files: ['charts/**'] }, finding: {}, suppressed: false },
    { name: 'all conditions must hold', rule: { kinds: ['Deployment'], namespaces: ['other'] }, finding: {}, suppressed: false },
    { name: 'not yet expired (last day counts)', rule: { expires: '2026-06-01' }, finding: {}, suppressed: true },
    { name: 'expired', rule: { expires: '2026-05-31' }, finding: {}, suppressed: false },
  ];
  for (const { name, rule: overrides, finding: findingOverrides, suppressed } of table) {
    it(name, () => {
      const set = new ExceptionSet([rule(overrides)], '/repo', '2026-06-01');
      const result = set.apply(finding(findingOverrides), undefined);
      assert.equal(result.suppression !== undefined, suppressed);
      if (suppressed) assert.deepEqual(result.suppression?.source, '.kubeharden.yaml:3');
    });
  }

  it('Helm template paths match file globs too', () => {
    const set = new ExceptionSet([rule({ files: ['mychart/templates/*.yaml'] })], '/repo', '2026-01-01');
    const helm = { ...finding({ file: '<stdin>' }), location: { file: '<stdin>', line: 1, column: 1, templateSource: 'mychart/templates/web.yaml' } };
    assert.ok(set.apply(helm, undefined).suppression);
  });

  it('reports applied, unused and expired exceptions with their counts', () => {
    const set = new ExceptionSet(
      [rule({ source: 'a:1' }), rule({ source: 'b:2', names: ['nothing'] }), rule({ source: 'c:3', controls: ['RES-CPU-LIMIT'], expires: '2020-01-01', owner: 'ops' })],
      '/repo',
      '2026-01-01',
    );
    const cpu = set.apply(finding({ controlId: 'RES-CPU-LIMIT' }), undefined);
    assert.equal(cpu.suppression, undefined, 'an expired exception no longer suppresses');
    set.apply(finding(), undefined);
    set.apply(finding({ name: 'api' }), undefined);
    const statuses = set.statuses();
    assert.deepEqual(
      statuses.map((s) => [s.source, s.status, s.findings]),
      [
        ['a:1', 'applied', 2],
        ['b:2', 'unused', 0],
        ['c:3', 'expired', 1],
      ],
    );
    assert.equal(statuses[2]?.owner, 'ops');
    assert.equal(statuses[2]?.expires, '2020-01-01');
  });

  it('overlapping exceptions: the first in the file is reported, each counts the finding', () => {
    const set = new ExceptionSet([rule({ source: 'a:1', controls: ['*'] }), rule({ source: 'b:2' }), rule({ source: 'c:3', controls: ['RES-CPU-LIMIT'] })], '/repo', '2026-01-01');
    assert.equal(set.apply(finding(), undefined).suppression?.source, 'a:1');
    assert.equal(set.apply(finding({ controlId: 'RES-CPU-LIMIT' }), undefined).suppression?.source, 'a:1');
    assert.deepEqual(
      set.statuses().map((s) => [s.source, s.status, s.findings]),
      [
        ['a:1', 'applied', 2],
        ['b:2', 'applied', 1],
        ['c:3', 'applied', 1],
      ],
    );
  });

  it('an expired exception does not hide a later one that still applies', () => {
    const set = new ExceptionSet([rule({ source: 'a:1', expires: '2020-01-01' }), rule({ source: 'b:2' })], '/repo', '2026-01-01');
    assert.equal(set.apply(finding(), undefined).suppression?.source, 'b:2');
  });

  it('the suppression carries reason, owner and expiry', () => {
    const set = new ExceptionSet([rule({ owner: 'team-a', expires: '2999-01-01' })], '/repo', '2026-01-01');
    assert.deepEqual(set.apply(finding(), undefined).suppression, {
      kind: 'exception',
      reason: 'accepted',
      source: '.kubeharden.yaml:3',
      owner: 'team-a',
      expires: '2999-01-01',
    });
  });
});

describe('kubeharden.io/ignore annotations', () => {
  const known = new Set(['POD-READONLY-ROOTFS', 'RES-CPU-LIMIT']);
  const table: { value: unknown; expected: { controls: string[]; reason: string } | RegExp }[] = [
    { value: 'POD-READONLY-ROOTFS: writes /tmp', expected: { controls: ['POD-READONLY-ROOTFS'], reason: 'writes /tmp' } },
    { value: 'POD-READONLY-ROOTFS, RES-CPU-LIMIT: batch job: bursts', expected: { controls: ['POD-READONLY-ROOTFS', 'RES-CPU-LIMIT'], reason: 'batch job: bursts' } },
    { value: '*: vendor chart', expected: { controls: ['*'], reason: 'vendor chart' } },
    { value: 'POD-READONLY-ROOTFS', expected: /needs a reason/ },
    { value: 'POD-READONLY-ROOTFS:   ', expected: /needs a reason/ },
    { value: ': reason', expected: /names no control/ },
    { value: 'POD-READONLY-ROOTF: typo', expected: /unknown control POD-READONLY-ROOTF/ },
    { value: true, expected: /must be a string/ },
  ];
  for (const { value, expected } of table) {
    it(JSON.stringify(value), () => {
      const parsed = parseIgnoreAnnotation(value, known);
      if (expected instanceof RegExp) assert.match(parsed as string, expected);
      else assert.deepEqual(parsed, expected);
    });
  }

  it('an annotation suppresses only the controls it names and is listed as applied or unused', () => {
    const set = new ExceptionSet([], '/repo', '2026-01-01');
    const used = { controls: ['POD-READONLY-ROOTFS'], reason: 'why', source: 'app.yaml:7', resource: 'Deployment/shop/web' };
    const unused = { controls: ['RES-CPU-LIMIT'], reason: 'why not', source: 'app.yaml:30', resource: 'Deployment/shop/api' };
    set.register(used);
    set.register(unused);
    assert.deepEqual(set.apply(finding(), used).suppression, { kind: 'annotation', reason: 'why', source: 'app.yaml:7' });
    assert.equal(set.apply(finding({ controlId: 'RES-CPU-LIMIT' }), used).suppression, undefined);
    assert.deepEqual(
      set.statuses().map((s) => [s.kind, s.match, s.status, s.findings]),
      [
        ['annotation', 'Deployment/shop/web', 'applied', 1],
        ['annotation', 'Deployment/shop/api', 'unused', 0],
      ],
    );
  });
});
