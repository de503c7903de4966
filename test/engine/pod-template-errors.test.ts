/** A pod template or pod spec that is there but is not a mapping is an input error at its line; the scan goes on. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanInputs } from '../../src/scan/scan.js';
import { TemplatePaths } from '../../src/kube/pod-templates.js';
import { parseKubeVersion } from '../../src/kube/version.js';
import type { InputError } from '../../src/loader/source.js';
import { loadNetwork } from '../../src/netpol/load.js';
import { tempDir } from '../support/temp-dir.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A privileged pod spec: judged, it gives findings; skipped, none. */
const POD_SPEC = '    containers:\n    - name: app\n      image: registry.example/app:1.0\n      securityContext: {privileged: true}\n';
/** A document that is always fine, after the broken one: the scan must reach it. */
const AFTER = `---\napiVersion: v1\nkind: Pod\nmetadata: {name: after, namespace: shop}\nspec:\n${POD_SPEC.replace(/^ {2}/gm, '')}`;

interface Case {
  readonly name: string;
  readonly text: string;
  /** The error expected: line and column of the offending key, and the message; or none. */
  readonly error?: readonly [number, number, string];
}

const head = (apiVersion: string, kind: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: broken, namespace: shop}\n`;

const CASES: readonly Case[] = [
  { name: 'a Pod whose spec is a string', text: `${head('v1', 'Pod')}spec: nginx\n`, error: [4, 1, 'spec is a string, not a mapping: no pod control judged this object'] },
  { name: 'a Pod whose spec is a list', text: `${head('v1', 'Pod')}spec:\n- containers: []\n`, error: [4, 1, 'spec is a sequence, not a mapping: no pod control judged this object'] },
  { name: 'a Deployment whose spec is a number', text: `${head('apps/v1', 'Deployment')}spec: 3\n`, error: [4, 1, 'spec is a number, not a mapping: no pod control judged this object'] },
  { name: 'a Deployment whose template is a list', text: `${head('apps/v1', 'Deployment')}spec:\n  replicas: 2\n  template: []\n`, error: [6, 3, 'spec.template is a sequence, not a mapping: no pod control judged this object'] },
  { name: 'a Deployment whose template spec is a string', text: `${head('apps/v1', 'Deployment')}spec:\n  template:\n    metadata: {labels: {app: a}}\n    spec: "containers: []"\n`, error: [7, 5, 'spec.template.spec is a string, not a mapping: no pod control judged this object'] },
  { name: 'a CronJob whose jobTemplate is a string', text: `${head('batch/v1', 'CronJob')}spec:\n  schedule: "@daily"\n  jobTemplate: job\n`, error: [6, 3, 'spec.jobTemplate is a string, not a mapping: no pod control judged this object'] },
  { name: 'a CronJob whose job spec is a boolean', text: `${head('batch/v1', 'CronJob')}spec:\n  jobTemplate:\n    spec: true\n`, error: [6, 5, 'spec.jobTemplate.spec is a boolean, not a mapping: no pod control judged this object'] },
  { name: 'a CronJob whose pod spec is a list', text: `${head('batch/v1', 'CronJob')}spec:\n  jobTemplate:\n    spec:\n      template:\n        spec: [a]\n`, error: [8, 9, 'spec.jobTemplate.spec.template.spec is a sequence, not a mapping: no pod control judged this object'] },
  { name: 'a PodTemplate whose template is a string', text: `${head('v1', 'PodTemplate')}template: x\n`, error: [4, 1, 'template is a string, not a mapping: no pod control judged this object'] },
  { name: 'an Argo Rollout whose template spec is a list', text: `${head('argoproj.io/v1alpha1', 'Rollout')}spec:\n  template:\n    spec: []\n`, error: [6, 5, 'spec.template.spec is a sequence, not a mapping: no pod control judged this object'] },
  { name: 'a List item: located inside the List', text: `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: broken}\n  spec: nginx\n`, error: [7, 3, 'spec is a string, not a mapping: no pod control judged this object'] },
  { name: 'a Pod whose containers are a mapping', text: `${head('v1', 'Pod')}spec:\n  containers: {name: c}\n`, error: [5, 3, 'spec.containers is a mapping, not a sequence: no container in it was judged'] },
  { name: 'a Pod whose containers are a string', text: `${head('v1', 'Pod')}spec:\n  containers: app\n`, error: [5, 3, 'spec.containers is a string, not a sequence: no container in it was judged'] },
  { name: 'a Deployment with an init container that is a string', text: `${head('apps/v1', 'Deployment')}spec:\n  template:\n    spec:\n      initContainers:\n      - {name: init, image: busybox}\n      - busybox\n      containers: []\n`, error: [9, 9, 'spec.template.spec.initContainers[1] is a string, not a mapping: this container was not judged'] },
  { name: 'a CronJob with an empty container entry (null)', text: `${head('batch/v1', 'CronJob')}spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          -\n`, error: [10, 11, 'spec.jobTemplate.spec.template.spec.containers[0] is null, not a mapping: this container was not judged'] },
  { name: 'no error: a Deployment patch without a template (Kustomize)', text: `${head('apps/v1', 'Deployment')}spec:\n  replicas: 3\n` },
  { name: 'no error: an empty spec (null)', text: `${head('apps/v1', 'Deployment')}spec:\n` },
  { name: 'no error: a Service whose spec is a string is not a pod', text: `${head('v1', 'Service')}spec: nope\n` },
  { name: 'no error: a CRD that reuses a built-in name is not a workload', text: `${head('example.com/v1', 'Deployment')}spec: nope\n` },
];

async function scan(text: string): Promise<{ errors: InputError[]; findingsAfter: number }> {
  const errors: InputError[] = [];
  const input = { name: 'broken.yaml', preferJson: false, read: async () => Buffer.from(text) };
  const result = await scanInputs([input], errors, { framework: 'all', version: parseKubeVersion('latest'), templatePaths: new TemplatePaths() });
  return { errors, findingsAfter: result.findings.filter((finding) => finding.resource.name === 'after').length };
}

describe('a pod template that is not a mapping is an input error at its line', () => {
  for (const testCase of CASES) {
    it(testCase.name, async () => {
      const { errors, findingsAfter } = await scan(`${testCase.text}${AFTER}`);
      assert.deepEqual(
        errors.map((error) => [error.line, error.column, error.message]),
        testCase.error ? [[...testCase.error]] : [],
      );
      assert.ok(findingsAfter > 0, 'the scan goes on to the next document');
    });
  }

  it('netpol reads the same manifests with the same error', async (t) => {
    const dir = tempDir('pod-template-errors', t);
    writeFileSync(join(dir, 'broken.yaml'), `${head('apps/v1', 'Deployment')}spec:\n  template: []\n${AFTER}`);
    const errors: InputError[] = [];
    const { model } = await loadNetwork([dir], errors);
    assert.deepEqual(errors.map((error) => [error.line, error.column, error.message]), [[5, 3, 'spec.template is a sequence, not a mapping: no pod control judged this object']]);
    assert.deepEqual(model.endpoints.map((endpoint) => endpoint.name), ['after']);
  });
});
