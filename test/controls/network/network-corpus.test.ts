/**
 * NET-POLICY-SELECTS-NOTHING, NET-POLICY-PEER-SELECTS-NOTHING and NET-POD-TRAFFIC-ENCRYPTED on real manifests from
 * ../shared/corpus: exact assessed and failed counts, and the findings they are made of.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanInputs, type ScanResult } from '../../../src/scan/scan.js';
import { collectInputs } from '../../../src/loader/inputs.js';
import type { InputError } from '../../../src/loader/source.js';
import { TemplatePaths } from '../../../src/kube/pod-templates.js';
import { parseKubeVersion } from '../../../src/kube/version.js';
import { needsShared, sharedPath } from '../../support/paths.js';

const IDS = ['NET-POLICY-SELECTS-NOTHING', 'NET-POLICY-PEER-SELECTS-NOTHING', 'NET-POD-TRAFFIC-ENCRYPTED'];

async function scan(...path: string[]): Promise<{ result: ScanResult; counts: [number, number][]; findings: string[] }> {
  const errors: InputError[] = [];
  const root = sharedPath('corpus', ...path);
  const result = await scanInputs(await collectInputs([root], errors), errors, { framework: 'nsa', version: parseKubeVersion('latest'), templatePaths: new TemplatePaths() });
  const counts = IDS.map((id): [number, number] => {
    const score = result.scores.controls.find((control) => control.id === id);
    return [score?.assessed ?? -1, score?.failed ?? -1];
  });
  const findings = result.findings
    .filter((finding) => IDS.includes(finding.controlId))
    .map((finding) => `${finding.controlId} ${finding.location.file.slice(root.length + 1)}:${finding.location.line} ${finding.field}`);
  return { result, counts, findings };
}

describe('selectors that match nothing and plaintext Services in the corpus', { skip: needsShared }, () => {
  it('netpol-analyzer acs-security-demos: every policy and peer selects a workload; its "-new" variant drops mastercard-processor, and both policies naming it are reported', async () => {
    assert.deepEqual((await scan('netpol', 'netpol-analyzer', 'tests', 'acs-security-demos')).counts, [[14, 0], [31, 0], [0, 0]]);
    const changed = await scan('netpol', 'netpol-analyzer', 'tests', 'acs-security-demos-new');
    assert.deepEqual(changed.counts, [[14, 1], [28, 1], [0, 0]]);
    assert.deepEqual(changed.findings.sort(), [
      'NET-POLICY-PEER-SELECTS-NOTHING acs_netpols.yaml:123 spec.egress[0].to[0].podSelector',
      'NET-POLICY-SELECTS-NOTHING acs_netpols.yaml:174 spec.podSelector',
    ]);
  });

  it('kube-prometheus: the Prometheus and Alertmanager pods come from custom resources, so the policies selecting them are not judged', async () => {
    const { counts } = await scan('real-world', 'kube-prometheus');
    // 8 policies; alertmanager-main and prometheus-k8s select pods the operator runs for its custom resources, so 6
    // are judged. No mesh or CNI in the input: encryption is not assessed.
    assert.deepEqual(counts, [[6, 0], [2, 0], [0, 0]]);
  });

  it('Argo CD and microservices-demo: every policy and peer selects one of their workloads', async () => {
    assert.deepEqual((await scan('real-world', 'argo-cd')).counts, [[22, 0], [43, 0], [0, 0]]);
    assert.deepEqual((await scan('real-world', 'microservices-demo')).counts, [[13, 0], [15, 0], [0, 0]]);
  });

  it('Kubeflow: Istio injection without a STRICT PeerAuthentication leaves 8 namespaces reachable in plaintext; a namespace-less seaweedfs policy lands in default', async () => {
    const { counts, findings, result } = await scan('real-world', 'kubeflow');
    assert.deepEqual(counts, [[19, 1], [33, 0], [8, 8]]);
    assert.ok(findings.includes('NET-POLICY-SELECTS-NOTHING applications/pipeline/upstream/third-party/seaweedfs/base/seaweedfs/seaweedfs-networkpolicy.yaml:27 spec.podSelector'));
    const kubeflow = result.findings.find((finding) => finding.controlId === 'NET-POD-TRAFFIC-ENCRYPTED' && finding.resource.name === 'kubeflow');
    // The namespace asks for injection, but katib's pods opt out with sidecar.istio.io/inject: "false".
    assert.match(kubeflow?.message ?? '', /^Services katib-controller, katib-db-manager, katib-ui of namespace kubeflow .*kubeflow\/katib-ui is in no service mesh; no CNI encryption among the scanned files/);
    const istio = result.findings.find((finding) => finding.controlId === 'NET-POD-TRAFFIC-ENCRYPTED' && finding.resource.name === 'istio-system');
    assert.match(istio?.message ?? '', /\(Istio sidecar\) has mTLS PERMISSIVE from Istio's default/);
  });

  it('Calico\'s install bundle shows the CNI without WireGuard', async () => {
    const { counts, result } = await scan('real-world', 'calico');
    assert.deepEqual(counts, [[1, 0], [0, 0], [1, 1]]);
    assert.match(result.findings.find((finding) => finding.controlId === 'NET-POD-TRAFFIC-ENCRYPTED')?.message ?? '', /Calico \(DaemonSet kube-system\/calico-node\) without encryption$/);
  });
});
