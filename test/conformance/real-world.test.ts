/** The whole real-world corpus through the default framework: known facts about well-known projects. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import yaml from 'js-yaml';
import { scanInputs, type ScanResult } from '../../src/scan/scan.js';
import { collectInputs } from '../../src/loader/inputs.js';
import type { InputError } from '../../src/loader/source.js';
import { TemplatePaths } from '../../src/kube/pod-templates.js';
import { parseKubeVersion } from '../../src/kube/version.js';
import { renderJson } from '../../src/report/json.js';
import { buildReport } from '../../src/report/report.js';
import { needsShared, sharedPath } from '../support/paths.js';

describe('real-world corpus, --framework nsa', { skip: needsShared }, () => {
  const root = sharedPath('corpus', 'real-world');
  let result: ScanResult;
  let errors: InputError[];
  const findingsFor = (file: string, kind: string, name: string, controlId: string) =>
    result.findings.filter((f) => f.location.file.endsWith(file) && f.resource.kind === kind && f.resource.name === name && f.controlId === controlId);

  before(async () => {
    errors = [];
    const inputs = await collectInputs([root], errors);
    result = await scanInputs(inputs, errors, { framework: 'nsa', version: parseKubeVersion('latest'), templatePaths: new TemplatePaths() });
  });

  it('reads every object outside Kustomize overlays and reports the overlays and exactly the documents kubectl would also reject', () => {
    // ingress-nginx's folders with a kustomization.yaml are left out, each with an error (docs/limits.md).
    assert.equal(result.stats.inputs, 1062);
    assert.equal(result.stats.resources, 2346);
    assert.equal(result.stats.podTemplates, 368);
    const overlays = ['grafana', 'prometheus', ...['aws', 'baremetal', 'cloud', 'do', 'exoscale', 'kind', 'oracle', 'scw'].map((provider) => `static/provider/${provider}`)];
    assert.deepEqual(
      errors.map((e) => `${e.file.slice(root.length + 1)}:${e.line} ${e.message.replaceAll(`${root}/`, '')}`),
      [
        ...overlays.map(
          (dir) =>
            `ingress-nginx/${dir}:null is a Kustomize overlay (kustomization.yaml) and was not rendered, so it was not scanned: render it and scan the result, kubectl kustomize ingress-nginx/${dir} | kubeharden scan -`,
        ),
        'kubernetes-examples/_archived/openshift-origin/etcd-controller.yaml:12 YAML syntax error: duplicated mapping key',
        'kubernetes-examples/_archived/openshift-origin/etcd-discovery-controller.yaml:12 YAML syntax error: duplicated mapping key',
        'kubernetes-examples/_archived/openshift-origin/openshift-controller.yaml:12 YAML syntax error: duplicated mapping key',
        'kubernetes-examples/_archived/persistent-volume-provisioning/quobyte/quobyte-admin-secret.yaml:9 YAML syntax error: duplicated mapping key',
        'kubernetes-examples/_archived/volumes/scaleio/sc-pvc.yaml:12 YAML syntax error: duplicated mapping key',
      ],
    );
  });

  it('calico-node runs privileged with the host network', () => {
    const privileged = findingsFor('calico/calico.yaml', 'DaemonSet', 'calico-node', 'POD-NO-PRIVILEGED').map((f) => f.field);
    assert.ok(privileged.includes('spec.template.spec.containers[0].securityContext.privileged'));
    const host = findingsFor('calico/calico.yaml', 'DaemonSet', 'calico-node', 'POD-NO-HOST-NAMESPACES').map((f) => f.field);
    assert.deepEqual(host, ['spec.template.spec.hostNetwork']);
  });

  it('kube-prometheus node-exporter uses the host PID and network namespaces', () => {
    const fields = findingsFor('kube-prometheus/nodeExporter-daemonset.yaml', 'DaemonSet', 'node-exporter', 'POD-NO-HOST-NAMESPACES').map((f) => f.field);
    assert.deepEqual(fields.sort(), ['spec.template.spec.hostNetwork', 'spec.template.spec.hostPID']);
    const line = readFileSync(join(root, 'kube-prometheus/nodeExporter-daemonset.yaml'), 'utf8').split('\n')[
      (findingsFor('kube-prometheus/nodeExporter-daemonset.yaml', 'DaemonSet', 'node-exporter', 'POD-NO-HOST-NAMESPACES')[0]?.location.line ?? 1) - 1
    ];
    assert.match(line ?? '', /host(Network|PID): true/);
  });

  it('Argo CD ships NetworkPolicies that select each of its workloads', () => {
    const argo = result.findings.filter((f) => f.location.file.endsWith('argo-cd/install.yaml'));
    assert.ok(argo.length > 0);
    assert.deepEqual(argo.filter((f) => f.controlId === 'NET-WORKLOAD-ISOLATED'), []);
  });

  it('finds the Grafana admin password in plain env, and Secrets committed with values', () => {
    assert.equal(findingsFor('istio/samples/addons/grafana.yaml', 'Deployment', 'grafana', 'SEC-NO-CREDENTIALS-IN-ENV').length, 1);
    assert.equal(findingsFor('kube-prometheus/alertmanager-secret.yaml', 'Secret', 'alertmanager-main', 'SEC-NO-SECRET-IN-MANIFEST').length, 1);
  });

  it('never shows a Secret value in the report', () => {
    const values: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.ya?ml$/.test(name)) {
          try {
            for (const doc of yaml.loadAll(readFileSync(path, 'utf8')) as Record<string, unknown>[]) {
              if (doc?.kind !== 'Secret') continue;
              for (const field of ['data', 'stringData']) {
                for (const value of Object.values((doc[field] as Record<string, unknown>) ?? {})) {
                  if (typeof value === 'string' && value.length >= 12) values.push(value);
                }
              }
            }
          } catch {
            // documents kubeharden reports as errors
          }
        }
      }
    };
    walk(root);
    assert.equal(values.length, 20, 'Secret values of 12 characters or more in the corpus');
    const report = renderJson(buildReport(result, { framework: 'nsa', version: parseKubeVersion('latest'), failOn: 'high' }));
    for (const value of values) assert.ok(!report.includes(value), 'a Secret value leaked into the report');
  });

  it('scores the corpus and assesses every control', () => {
    const { overall, weighted } = result.scores;
    assert.ok(overall !== null && overall > 40 && overall < 90, `overall ${overall}`);
    assert.ok(weighted !== null);
    assert.deepEqual(result.scores.controls.filter((c) => c.status === 'not-assessed').map((c) => c.id), []);
  });
});
