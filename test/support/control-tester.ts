/**
 * ESLint RuleTester-style tables for one control: `valid` pods get no finding, `invalid` pods get exactly the
 * listed fields. Pods go through the real YAML loader, so field positions are exercised too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { evaluateResource } from '../../src/engine/evaluate.js';
import { selectControls } from '../../src/engine/select.js';
import type { ControlMeta, InventoryControl, ObjectControl, PodControl } from '../../src/engine/types.js';
import { TemplatePaths } from '../../src/kube/pod-templates.js';
import { parseKubeVersion } from '../../src/kube/version.js';
import { loadResources, type InputError } from '../../src/loader/source.js';

export interface PodCase {
  readonly name: string;
  /** Pod spec fields, merged over a minimal pod with one container named "app". */
  readonly spec?: Record<string, unknown>;
  readonly annotations?: Record<string, string>;
  /** Namespace of the pod (default: test). */
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  /** Kubernetes version to judge by (default: newest). */
  readonly version?: string;
}

export interface InvalidPodCase extends PodCase {
  /** Offending fields, as reported (`spec.containers[0].securityContext.privileged`). */
  readonly fields: readonly string[];
}

export function podManifest(testCase: PodCase): string {
  const spec = { containers: [{ name: 'app', image: 'registry.example/app:1.0' }], ...testCase.spec };
  const metadata = {
    name: 'case',
    namespace: testCase.namespace ?? 'test',
    ...(testCase.labels ? { labels: testCase.labels } : {}),
    ...(testCase.annotations ? { annotations: testCase.annotations } : {}),
  };
  return yaml.dump({ apiVersion: 'v1', kind: 'Pod', metadata, spec });
}

export function findingsFor(control: PodControl | ObjectControl, testCase: PodCase, text = podManifest(testCase)) {
  const version = parseKubeVersion(testCase.version ?? 'latest');
  const errors: InputError[] = [];
  // Version gating is the engine's job, so run the control through the same selection a scan uses.
  const context = { controls: selectControls([control], 'all', version).active, version, templatePaths: new TemplatePaths() };
  const findings = [...loadResources('case.yaml', Buffer.from(text), errors, false)].flatMap((r) => evaluateResource(r, context).findings);
  assert.deepEqual(errors, []);
  return { findings, text };
}

/** Every control, whatever it judges, carries the metadata the catalog, docs and reports show. */
export function assertCompleteMetadata(meta: ControlMeta): void {
  for (const field of ['id', 'title', 'rationale', 'nsaSection'] as const) assert.ok(meta[field].length > 0, field);
  assert.ok(meta.remediation.text.length > 0 && meta.remediation.snippet.length > 0, 'remediation');
  assert.match(meta.id, /^[A-Z]+(-[A-Z0-9]+)+$/);
}

/** A control's table: pods it must pass and pods it must report, with the fields. */
export interface ControlCases {
  readonly valid: readonly PodCase[];
  readonly invalid: readonly InvalidPodCase[];
}

export function testControl(control: PodControl, cases: ControlCases): void {
  describe(`${control.meta.id} (${control.meta.pss?.check ?? 'kubeharden'})`, () => {
    it('has complete metadata', () => assertCompleteMetadata(control.meta));
    for (const testCase of cases.valid) {
      it(`valid: ${testCase.name}`, () => {
        const { findings } = findingsFor(control, testCase);
        assert.deepEqual(findings.map((f) => f.message), []);
      });
    }
    for (const testCase of cases.invalid) {
      it(`invalid: ${testCase.name}`, () => {
        const { findings, text } = findingsFor(control, testCase);
        assert.deepEqual(findings.map((f) => f.field), testCase.fields);
        const lines = text.split('\n');
        for (const finding of findings) {
          assert.equal(finding.controlId, control.meta.id);
          assert.equal(finding.severity, control.meta.severity);
          // The reported line holds the offending key (or, for a missing field, its nearest parent).
          const line = lines[finding.location.line - 1] ?? '';
          const lastKey = /([A-Za-z]+)(?:\[\d+\])?$/.exec(finding.field)?.[1] ?? '';
          const ancestors = finding.field.split(/[.[\]]/).filter((part) => /^[A-Za-z]/.test(part));
          assert.ok(
            line.includes(lastKey) || ancestors.some((part) => line.includes(part)) || /^\s*- /.test(line),
            `line ${finding.location.line} "${line}" should point at ${finding.field}`,
          );
        }
      });
    }
  });
}

/** A container named "app" with the given securityContext. */
export function appWith(securityContext: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { containers: [{ name: 'app', image: 'registry.example/app:1.0', securityContext, ...extra }] };
}

export interface ObjectCase {
  readonly name: string;
  readonly object: Record<string, unknown>;
}

/** An object control's table: objects it must pass and objects it must report, with the fields. */
export interface ObjectControlCases {
  readonly valid: readonly ObjectCase[];
  readonly invalid: readonly (ObjectCase & { fields: readonly string[]; mustNotShow?: readonly string[] })[];
}

/** The same table for controls over whole objects (ConfigMaps, Secrets, Services...). */
export function testObjectControl(control: ObjectControl, cases: ObjectControlCases): void {
  describe(`${control.meta.id} (${control.kinds.join(', ')})`, () => {
    for (const testCase of cases.valid) {
      it(`valid: ${testCase.name}`, () => {
        const { findings } = findingsFor(control, { name: testCase.name }, yaml.dump(testCase.object));
        assert.deepEqual(findings.map((f) => f.message), []);
      });
    }
    for (const testCase of cases.invalid) {
      it(`invalid: ${testCase.name}`, () => {
        const { findings } = findingsFor(control, { name: testCase.name }, yaml.dump(testCase.object));
        assert.deepEqual(findings.map((f) => f.field), testCase.fields);
        for (const secret of testCase.mustNotShow ?? []) {
          assert.ok(!JSON.stringify(findings).includes(secret), 'a finding must never show a secret value');
        }
      });
    }
  });
}

/**
 * The same table for an inventory control judged on one object alone (an RBAC role's rules, a binding's subjects):
 * each object is scanned by itself through the whole scan, as `export vap`'s CEL sees it at admission.
 */
export function testInventoryObjectControl(control: InventoryControl, cases: ObjectControlCases): void {
  const findings = async (object: Record<string, unknown>) => {
    // Loaded here, not at the top: the whole scan brings the whole catalog, which the other tables do not need.
    const { scanAll } = await import('./scan-text.js');
    const scan = await scanAll(yaml.dump(object));
    assert.deepEqual(scan.errors, []);
    return scan.findings.filter((finding) => finding.controlId === control.meta.id);
  };
  describe(`${control.meta.id} (one object alone)`, () => {
    for (const testCase of cases.valid) {
      it(`valid: ${testCase.name}`, async () => assert.deepEqual((await findings(testCase.object)).map((f) => f.message), []));
    }
    for (const testCase of cases.invalid) {
      it(`invalid: ${testCase.name}`, async () => assert.deepEqual((await findings(testCase.object)).map((f) => f.field), testCase.fields));
    }
  });
}
