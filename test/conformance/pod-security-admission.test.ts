/**
 * The Kubernetes pod-security-admission fixtures, evaluated at exactly their level and version: a `pass` pod
 * must get no finding, a `fail` pod must get a finding from the expected check. Each pod is also wrapped as
 * the template of every workload kind, which must give the same verdict and check.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { needsShared, sharedPath, SHARED_PRESENT } from '../support/paths.js';
import { scanText } from '../support/scan-text.js';

interface Fixture {
  file: string;
  level: 'baseline' | 'restricted';
  version: string;
  expect: 'pass' | 'fail';
  check: string | null;
  evaluatedByCheck?: string;
}

const PSA_DIR = sharedPath('conformance', 'pod-security-admission');
const fixtures: Fixture[] = SHARED_PRESENT
  ? (JSON.parse(readFileSync(`${PSA_DIR}/expectations.json`, 'utf8')) as { fixtures: Fixture[] }).fixtures
  : [];

type Wrap = (pod: Record<string, unknown>) => Record<string, unknown>;
const template = (pod: Record<string, unknown>) => ({ metadata: { labels: { app: 'x' }, ...(pod.metadata as object) }, spec: pod.spec });
const workload = (apiVersion: string, kind: string, spec: (t: object) => object): Wrap => (pod) => ({
  apiVersion,
  kind,
  metadata: { name: 'wrapped', namespace: 'conformance' },
  ...spec(template(pod)),
});
const WRAPPERS: Record<string, Wrap> = {
  Deployment: workload('apps/v1', 'Deployment', (t) => ({ spec: { selector: { matchLabels: { app: 'x' } }, template: t } })),
  ReplicaSet: workload('apps/v1', 'ReplicaSet', (t) => ({ spec: { template: t } })),
  StatefulSet: workload('apps/v1', 'StatefulSet', (t) => ({ spec: { serviceName: 'x', template: t } })),
  DaemonSet: workload('apps/v1', 'DaemonSet', (t) => ({ spec: { template: t } })),
  Job: workload('batch/v1', 'Job', (t) => ({ spec: { template: t } })),
  CronJob: workload('batch/v1', 'CronJob', (t) => ({ spec: { schedule: '* * * * *', jobTemplate: { spec: { template: t } } } })),
  ReplicationController: workload('v1', 'ReplicationController', (t) => ({ spec: { template: t } })),
  PodTemplate: workload('v1', 'PodTemplate', (t) => ({ template: t })),
  Rollout: workload('argoproj.io/v1alpha1', 'Rollout', (t) => ({ spec: { template: t } })),
};

function verdict(text: string, fixture: Fixture) {
  const framework = fixture.level === 'baseline' ? 'pss-baseline' : 'pss-restricted';
  const result = scanText(text, { framework, version: fixture.version, file: fixture.file });
  assert.deepEqual(result.errors, [], `${fixture.file}: unexpected input errors`);
  assert.equal(result.resources, 1, `${fixture.file}: expected one resource`);
  return result.findings;
}

function assertVerdict(findings: ReturnType<typeof verdict>, fixture: Fixture, what: string): void {
  if (fixture.expect === 'pass') {
    assert.deepEqual(
      findings.map((f) => `${f.controlId}: ${f.message}`),
      [],
      `${what} must pass ${fixture.level} at ${fixture.version}`,
    );
  } else {
    const expected = fixture.evaluatedByCheck ?? fixture.check;
    const checks = new Set(findings.map((f) => f.pss?.check));
    assert.ok(checks.has(expected ?? undefined), `${what} must fail ${fixture.level} at ${fixture.version} with ${expected}; got [${[...checks].join(', ')}]`);
  }
  for (const finding of findings) {
    assert.ok(finding.location.line >= 1 && finding.location.column >= 1, `${what}: finding has a position`);
  }
}

describe('pod-security-admission fixtures', { skip: needsShared }, () => {
  it('has all 4,537 fixtures indexed', () => {
    assert.equal(fixtures.length, 4537);
  });

  it('agrees with every fixture at its exact level and version', () => {
    const disagreements: string[] = [];
    for (const fixture of fixtures) {
      const text = readFileSync(`${PSA_DIR}/${fixture.file}`, 'utf8');
      try {
        assertVerdict(verdict(text, fixture), fixture, fixture.file);
      } catch (error) {
        disagreements.push((error as Error).message.split('\n')[0] as string);
      }
    }
    assert.deepEqual(disagreements.slice(0, 20), [], `${disagreements.length} of ${fixtures.length} fixtures disagree`);
  });

  it('evaluates the v1.37 fixtures the same with version "latest" and with newer versions (clamped)', () => {
    for (const fixture of fixtures.filter((f) => f.version === 'v1.37')) {
      const text = readFileSync(`${PSA_DIR}/${fixture.file}`, 'utf8');
      for (const version of ['latest', 'v1.40']) {
        assertVerdict(verdict(text, { ...fixture, version }), fixture, `${fixture.file} as ${version}`);
      }
    }
  });

  it('gives the same verdict when each pod is the template of every workload kind', () => {
    const disagreements: string[] = [];
    for (const fixture of fixtures) {
      const pod = yaml.load(readFileSync(`${PSA_DIR}/${fixture.file}`, 'utf8')) as Record<string, unknown>;
      for (const [kind, wrap] of Object.entries(WRAPPERS)) {
        try {
          const findings = verdict(yaml.dump(wrap(pod)), fixture);
          assertVerdict(findings, fixture, `${fixture.file} as ${kind}`);
          for (const finding of findings) assert.equal(finding.resource.kind, kind);
        } catch (error) {
          disagreements.push((error as Error).message.split('\n')[0] as string);
        }
      }
    }
    assert.deepEqual(disagreements.slice(0, 20), [], `${disagreements.length} wrapped cases disagree`);
  });
});
