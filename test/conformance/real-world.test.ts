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
import { assertMatchesSchema } from '../support/json-schemas.js';

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

  it('RBAC escalation paths: the exact grants of the corpus projects (counted per file: metallb repeats its controller in six bundles)', () => {
    const byControl = (id: string) => result.findings.filter((f) => f.controlId === id);
    assert.deepEqual(
      Object.fromEntries(['RBAC-ADMISSION-CONTROL', 'RBAC-SERVICES-STATUS', 'RBAC-PV-CREATE', 'RBAC-NODES-MODIFY', 'RBAC-NAMESPACES-MODIFY'].map((id) => [id, byControl(id).length])),
      { 'RBAC-ADMISSION-CONTROL': 23, 'RBAC-SERVICES-STATUS': 14, 'RBAC-PV-CREATE': 2, 'RBAC-NODES-MODIFY': 8, 'RBAC-NAMESPACES-MODIFY': 12 },
    );
    const messages = (id: string, file: string) => byControl(id).filter((f) => f.location.file.endsWith(file)).map((f) => f.message);
    // A webhook limited by resourceNames is still the operator's to point anywhere; the message says which.
    assert.deepEqual(messages('RBAC-ADMISSION-CONTROL', 'metallb/metallb-native.yaml'), [
      'ServiceAccount metallb-system/controller can update or patch validatingwebhookconfigurations named metallb-webhook-configuration cluster-wide, via ClusterRoleBinding metallb-system:controller -> ClusterRole metallb-system:controller',
    ]);
    assert.deepEqual(messages('RBAC-PV-CREATE', 'katib/upstream/components/controller/rbac.yaml'), [
      'ServiceAccount kubeflow/katib-controller can create persistentvolumes cluster-wide, via ClusterRoleBinding katib-controller -> ClusterRole katib-controller',
    ]);
    assert.deepEqual(messages('RBAC-NODES-MODIFY', 'calico/calico.yaml'), [
      'ServiceAccount kube-system/calico-node can patch nodes/status cluster-wide, via ClusterRoleBinding calico-node -> ClusterRole calico-node',
    ]);
    // A RoleBinding whose namespace is set on apply: its own Namespace object, and the Services in it.
    const application = 'pipeline/upstream/third-party/application/application-controller-rolebinding.yaml';
    assert.match(messages('RBAC-NAMESPACES-MODIFY', application)[0] ?? '', /^ServiceAccount application \(of the binding's namespace\) can update or patch namespaces in the namespace the binding is applied to, via RoleBinding /);
    assert.match(messages('RBAC-SERVICES-STATUS', application)[0] ?? '', /can update or patch services\/status in the namespace the binding is applied to/);
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
    assertMatchesSchema('report', JSON.parse(report), 'the JSON report of the real-world corpus');
  });

  it('finds the objects in default, the ServiceAccounts no file defines, the Dashboard, and low UIDs, exactly', () => {
    const where = (controlId: string) =>
      result.findings.filter((f) => f.controlId === controlId).map((f) => `${f.location.file.slice(root.length + 1)} ${f.resource.kind}/${f.resource.name}`).sort();
    assert.deepEqual(where('NS-NO-DEFAULT-NAMESPACE-OBJECTS'), [
      'istio/samples/custom-bootstrap/custom-bootstrap.yaml ConfigMap/istio-custom-bootstrap-config',
      'kube-prometheus/prometheus-roleBindingSpecificNamespaces.yaml RoleBinding/prometheus-k8s',
      'kube-prometheus/prometheus-roleSpecificNamespaces.yaml Role/prometheus-k8s',
      'kubernetes-examples/_archived/persistent-volume-provisioning/glusterfs/glusterfs-secret.yaml Secret/heketi-secret',
    ]);
    // Argo CD, kube-prometheus and the other complete bundles define every ServiceAccount they use.
    assert.deepEqual(where('SA-MISSING-SERVICE-ACCOUNT'), [
      'istio/operator/cmd/mesh/testdata/manifest-generate/output/ingressgateway_k8s_settings.golden.yaml Deployment/istio-ingressgateway-custom',
      'istio/operator/cmd/mesh/testdata/manifest-generate/output/istio-cni.golden.yaml DaemonSet/istio-cni-node',
      'kubeflow/applications/pipeline/upstream/third-party/seaweedfs/base/seaweedfs/seaweedfs-deployment.yaml Deployment/seaweedfs',
      'kubeflow/applications/profiles/upstream/manager/manager.yaml Deployment/deployment',
      'kubeflow/applications/tensorboard/tensorboard-controller/upstream/manager/manager.yaml Deployment/deployment',
      'kubeflow/common/knative/knative-eventing-post-install-jobs/base/eventing-post-install.yaml Job/storage-version-migration-eventing',
    ]);
    assert.deepEqual(where('ADDON-NO-DASHBOARD'), ['kubernetes-dashboard/recommended.yaml Deployment/kubernetes-dashboard']);
    assert.equal(where('POD-HIGH-UID-GID').length, 148);
    // The corpus's two Ingresses carry no snippet, and no pod sets hostAliases or listens for SSH.
    for (const controlId of ['ADDON-NO-TILLER', 'NET-INGRESS-NGINX-SNIPPETS', 'NET-INGRESS-NGINX-INJECTION', 'NET-EXTERNALNAME-PLAIN-HTTP', 'POD-NO-HOST-ALIASES', 'POD-NO-SSH-PORT']) {
      assert.deepEqual(where(controlId), [], controlId);
    }
  });

  it('scores the corpus and assesses every control', () => {
    const { overall, weighted } = result.scores;
    assert.ok(overall !== null && overall > 40 && overall < 90, `overall ${overall}`);
    assert.ok(weighted !== null);
    assert.deepEqual(result.scores.controls.filter((c) => c.status === 'not-assessed').map((c) => c.id), []);
  });
});
