/**
 * A resource's report objects as the sink renders them (src/serve/resource-report.ts), straight from the resource's
 * findings, against `--format policyreport`'s rendering of the same findings (finding store, buildReport,
 * policyReportDocuments) scoped to the resource: the same objects, results in the same order, parts split at the
 * same places, except that no result names `resources` (the scope does) and no result repeats what the catalog
 * says of its control (id, title, remediation, NSA section, PSS level and check) while a finding's own text stays. And the bytes a write sends are
 * `JSON.stringify` of the object, the digest ignores the timestamps and nothing else.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { listedKind, liveObjectFile } from '../../src/cluster/resource-kinds.js';
import { FindingStore } from '../../src/engine/finding-store.js';
import { parseKubeVersion } from '../../src/kube/version.js';
import { controlSections, MAX_RESULTS_PER_REPORT, policyReportDocuments, type PolicyReportApi } from '../../src/report/policy-report.js';
import { buildReport } from '../../src/report/report.js';
import { ruleMeta } from '../../src/report/rule-meta.js';
import { listedDigest, renderResourceReports, scopedDocument, type ResourceReportContext, type ScopedDocument } from '../../src/serve/resource-report.js';
import type { Finding, ResourceRef } from '../../src/vocabulary/finding.js';
import { SEVERITIES } from '../../src/vocabulary/severity.js';
import { TOOL_VERSION } from '../../src/version.js';
import { asPerResourceResult } from '../support/per-resource-result.js';

const VERSION = parseKubeVersion('v1.31.0');
/** A control with no catalog entry takes its category from the scores' section. */
const SCORES = { overall: null, weighted: null, controls: [{ id: 'CUSTOM-1', section: 'Custom section' }], sections: [] } as never;

function context(api: PolicyReportApi, at: Date, uid: string | undefined): ResourceReportContext {
  return { api, at, failOn: 'high', run: { toolVersion: TOOL_VERSION, framework: 'all', kubernetesVersion: '1.31' }, sections: controlSections([{ id: 'CUSTOM-1', section: 'Custom section' }]), uid };
}

/** `--format policyreport`'s objects for these findings, the resource's own, scoped to it (what the sink rendered before). */
function reference(findings: readonly Finding[], api: PolicyReportApi, at: Date, uid: string | undefined): ScopedDocument[] {
  const store = new FindingStore();
  try {
    for (const finding of findings) store.add(finding);
    const report = buildReport({ store, errors: [], stats: { inputs: 0, resources: 0, podTemplates: 0 }, scores: SCORES, exceptions: [], selection: { active: [], skipped: [] } }, { framework: 'all', version: VERSION, failOn: 'high', target: { kind: 'cluster', name: 'test' } });
    const resource = findings[0]!.resource;
    return [...policyReportDocuments(report, { api, now: at })].filter((document) => (document.metadata.namespace ?? null) === (resource.namespace ?? null)).map((document) => scopedDocument(document, resource, uid));
  } finally {
    store.close();
  }
}

/** The reference's results without `resources` and without the properties that repeat the catalog. */
function perResource(documents: readonly ScopedDocument[]): unknown[] {
  return documents.map((document) => ({
    ...document,
    results: document.results.map(asPerResourceResult),
  }));
}

function ownPath(resource: ResourceRef): string {
  return liveObjectFile(listedKind(resource.apiVersion, resource.kind)!, resource.namespace ?? undefined, resource.name!);
}

const resourceArbitrary = fc.oneof(
  fc.record({ apiVersion: fc.constant('apps/v1'), kind: fc.constant('Deployment'), namespace: fc.constantFrom('shop', 'bank'), name: fc.constantFrom('web', 'api') }),
  fc.record({ apiVersion: fc.constant('rbac.authorization.k8s.io/v1'), kind: fc.constant('ClusterRole'), namespace: fc.constant(null), name: fc.constant('admin') }),
) as fc.Arbitrary<ResourceRef>;

/** Findings of one resource with few distinct order keys, so ties (kept in the order they came) are common. */
const findingsArbitrary = fc.tuple(
  resourceArbitrary,
  fc.array(
    fc.record({
      controlId: fc.constantFrom('POD-NO-PRIVILEGED', 'POD-CAPS-DROP-ALL', 'RES-CPU-LIMIT', 'CUSTOM-1'),
      severity: fc.constantFrom(...SEVERITIES),
      // `own`: the resource's own API path, where a live finding on the resource itself points.
      file: fc.constantFrom('cluster:/a', 'cluster:/b', 'own'),
      line: fc.integer({ min: 0, max: 2 }),
      field: fc.constantFrom('', 'spec.template.spec.containers[0].securityContext', 'spec.replicas'),
      message: fc.string({ maxLength: 12 }),
      pss: fc.option(fc.record({ level: fc.constantFrom('baseline' as const, 'restricted' as const), check: fc.constantFrom('privileged', 'capabilities_restricted') }), { nil: null }),
      suppressed: fc.boolean(),
      // The catalog's title and remediation (left out of the result), or texts of the finding's own (kept).
      catalogTexts: fc.boolean(),
    }),
    { minLength: 1, maxLength: 12 },
  ),
).map(([resource, items]) =>
  items.map(
    (item): Finding => ({
      controlId: item.controlId,
      title: item.catalogTexts ? (ruleMeta(item.controlId)?.title ?? `title of ${item.controlId}`) : `title of ${item.controlId}`,
      severity: item.severity,
      pss: item.pss,
      resource,
      location: { file: item.file === 'own' ? ownPath(resource) : item.file, line: item.line, column: 0 },
      field: item.field,
      message: item.message,
      remediation: item.catalogTexts ? (ruleMeta(item.controlId)?.remediation.text ?? `fix ${item.controlId}`) : `fix ${item.controlId}`,
      ...(item.suppressed ? { suppression: { kind: 'annotation' as const, reason: 'accepted', source: 'kubeharden.io/ignore' } } : {}),
    }),
  ),
);

describe('a resource\'s report objects, rendered straight from its findings', () => {
  for (const api of ['wgpolicyk8s.io/v1alpha2', 'openreports.io/v1alpha1'] as const) {
    it(`${api}: equal --format policyreport's objects of the same findings, scoped to the resource, without per-result resources or the catalog's texts`, () => {
      fc.assert(
        fc.property(findingsArbitrary, fc.boolean(), (findings, held) => {
          const at = new Date(1_800_000_000_123);
          const uid = held ? 'uid-1' : undefined;
          const rendered = renderResourceReports(findings, context(api, at, uid));
          assert.deepEqual(rendered.map((object) => object.document), perResource(reference(findings, api, at, uid)));
          for (const object of rendered) for (const result of object.document.results) assert.equal('resources' in result, false);
        }),
        { numRuns: 300, seed: 20261204 },
      );
    });
  }

  it('leaves out what the catalog says of the control and the place the scope gives, keeps what is the finding\'s own', () => {
    const meta = ruleMeta('POD-NO-PRIVILEGED')!;
    const resource = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
    const finding = (remediation: string): Finding => ({ controlId: meta.id, title: meta.title, severity: meta.severity, pss: meta.pss, resource, location: { file: 'cluster:/a', line: 3, column: 0 }, field: 'spec.template.spec.containers[0].securityContext.privileged', message: 'privileged', remediation });
    const [catalog] = renderResourceReports([finding(meta.remediation.text)], context('wgpolicyk8s.io/v1alpha2', new Date(0), 'uid-1'));
    const properties = catalog!.document.results[0]!.properties;
    assert.deepEqual(Object.keys(properties).sort(), ['column', 'field', 'file', 'fingerprint', 'line']);
    // On the live resource itself (its API path, line 0, column 0), the scope says where: no file, line or column.
    const onItself: Finding = { ...finding(meta.remediation.text), location: { file: ownPath(resource), line: 0, column: 0 } };
    const [live] = renderResourceReports([onItself], context('wgpolicyk8s.io/v1alpha2', new Date(0), 'uid-1'));
    assert.deepEqual(Object.keys(live!.document.results[0]!.properties).sort(), ['field', 'fingerprint']);
    const [elsewhere] = renderResourceReports([{ ...onItself, location: { file: ownPath(resource), line: 4, column: 0 } }], context('wgpolicyk8s.io/v1alpha2', new Date(0), 'uid-1'));
    assert.equal(elsewhere!.document.results[0]!.properties['line'], '4');
    assert.equal(catalog!.document.results[0]!.rule, meta.pss!.check);
    const [own] = renderResourceReports([finding('set privileged: false on container web')], context('wgpolicyk8s.io/v1alpha2', new Date(0), 'uid-1'));
    assert.equal(own!.document.results[0]!.properties['remediation'], 'set privileged: false on container web');
  });

  it('splits a resource past one object\'s results into parts as --format policyreport does', () => {
    const resource = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
    const findings = Array.from({ length: MAX_RESULTS_PER_REPORT + 5 }, (_, index): Finding => ({ controlId: 'RES-CPU-LIMIT', title: 't', severity: 'low', pss: null, resource, location: { file: 'cluster:/w', line: index, column: 0 }, field: `spec.x${index}`, message: 'm', remediation: 'r' }));
    const at = new Date(1_800_000_000_000);
    const rendered = renderResourceReports(findings, context('wgpolicyk8s.io/v1alpha2', at, 'uid-w'));
    assert.deepEqual(rendered.map((object) => object.document.metadata.name), ['kubeharden-uid-w', 'kubeharden-uid-w-2']);
    assert.deepEqual(rendered.map((object) => object.document), perResource(reference(findings, 'wgpolicyk8s.io/v1alpha2', at, 'uid-w')));
  });

  it('sends JSON.stringify of the object, and its digest changes with what it says, not with the time', () => {
    fc.assert(
      fc.property(findingsArbitrary, fc.option(fc.constantFrom('1', '42', '9007199254740993'), { nil: undefined }), (findings, resourceVersion) => {
        const [object] = renderResourceReports(findings, context('wgpolicyk8s.io/v1alpha2', new Date(1_800_000_000_000), 'uid-1'));
        const { document } = object!;
        assert.equal(object!.body(resourceVersion).toString('utf8'), JSON.stringify({ ...document, metadata: { ...document.metadata, resourceVersion } }));
        const [later] = renderResourceReports(findings, context('wgpolicyk8s.io/v1alpha2', new Date(1_800_000_777_000), 'uid-1'));
        assert.notDeepEqual(later!.document.results[0]!.timestamp, document.results[0]!.timestamp);
        assert.equal(later!.digest, object!.digest);
        const changed = renderResourceReports([{ ...findings[0]!, message: `${findings[0]!.message}!` }, ...findings.slice(1)], context('wgpolicyk8s.io/v1alpha2', new Date(1_800_000_000_000), 'uid-1'));
        assert.notEqual(changed[0]!.digest, object!.digest);
        const otherOwner = renderResourceReports(findings, context('wgpolicyk8s.io/v1alpha2', new Date(1_800_000_000_000), 'uid-2'));
        assert.notEqual(otherOwner[0]!.digest, object!.digest);
      }),
      { numRuns: 200, seed: 20261204 },
    );
  });

  it('an object as the API server lists it (keys sorted, its own metadata added) has the listed digest of the object written', () => {
    const resource = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
    const finding: Finding = { controlId: 'POD-NO-PRIVILEGED', title: 't', severity: 'high', pss: null, resource, location: { file: 'cluster:/w', line: 0, column: 0 }, field: 'spec', message: 'm', remediation: 'r' };
    const [object] = renderResourceReports([finding], context('wgpolicyk8s.io/v1alpha2', new Date(1_800_000_000_000), 'uid-w'));
    const sortKeys = (value: unknown): unknown => (Array.isArray(value) ? value.map(sortKeys) : value !== null && typeof value === 'object' ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, item]) => [key, sortKeys(item)])) : value);
    const parsed = JSON.parse(object!.body('7').toString('utf8')) as Record<string, Record<string, unknown>>;
    const listed = sortKeys({ ...parsed, metadata: { ...parsed['metadata'], uid: 'u', generation: 1, managedFields: [] } }) as Record<string, unknown>;
    assert.equal(listedDigest(listed), listedDigest(object!.document));
  });
});
