/**
 * LOG-NODE-SHIPPER and LOG-AUDIT-OFF-NODE: nodes, shipper DaemonSets and the API server pod judged together, as a
 * cluster scan sees them (components read), and not assessed in a manifest scan.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { control as auditOffNode } from '../../../src/controls/logging/audit-off-node.js';
import { control as nodeShipper } from '../../../src/controls/logging/node-shipper.js';
import { scanInputs } from '../../../src/scan/scan.js';
import { logShipperOf } from '../../../src/kube/log-shippers.js';
import { whyNotOnNode, type NodeFacts } from '../../../src/kube/node-scheduling.js';
import { TemplatePaths } from '../../../src/kube/pod-templates.js';
import { parseKubeVersion } from '../../../src/kube/version.js';
import type { InputError } from '../../../src/loader/source.js';
import { assertCompleteMetadata } from '../../support/control-tester.js';

const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
const node = (name: string, labels: Record<string, string> = {}, taints: object[] = []) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: { taints } });
const WORKER = node('worker-1', { 'kubernetes.io/os': 'linux' });
const CONTROL_PLANE = node('cp-1', { 'node-role.kubernetes.io/control-plane': '' }, [CONTROL_PLANE_TAINT]);

function daemonSet(name: string, image: string, spec: Record<string, unknown> = {}, hostPath = '/var/log') {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'logging' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image, volumeMounts: [{ name: 'logs', mountPath: '/host', readOnly: true }] }], volumes: [{ name: 'logs', hostPath: { path: hostPath } }], ...spec },
      },
    },
  };
}
const everywhere = { tolerations: [{ operator: 'Exists' }] };
const FLUENT_BIT_ALL = daemonSet('fluent-bit', 'cr.fluentbit.io/fluent/fluent-bit:4.0.3', everywhere);
const FLUENT_BIT_WORKERS = daemonSet('fluent-bit', 'fluent/fluent-bit:3.2');

function apiServer(flags: string[], nodeName = 'cp-1') {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `kube-apiserver-${nodeName}`, namespace: 'kube-system', labels: { component: 'kube-apiserver' } },
    spec: { nodeName, containers: [{ name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.37.2', command: ['kube-apiserver', ...flags] }] },
  };
}
const AUDIT_FILE = apiServer(['--audit-policy-file=/etc/kubernetes/audit.yaml', '--audit-log-path=/var/log/kubernetes/audit/audit.log']);

/** The scan loop as `kubeharden cluster` runs it (components read), or as `scan` runs it (`manifests`). */
async function judge(objects: object[], controlId: string, mode: 'cluster' | 'manifests' = 'cluster') {
  const errors: InputError[] = [];
  const text = objects.map((object) => JSON.stringify(object)).join('\n---\n');
  const result = await scanInputs([{ name: 'cluster.yaml', preferJson: false, read: async () => Buffer.from(text) }], errors, {
    framework: 'all',
    version: parseKubeVersion('1.37'),
    templatePaths: new TemplatePaths(),
    ...(mode === 'cluster' ? { components: {}, searchedIn: 'in the cluster' } : {}),
  });
  assert.deepEqual(errors, []);
  const findings = result.findings.filter((finding) => finding.controlId === controlId);
  const score = result.scores.controls.find((entry) => entry.id === controlId);
  const skipped = result.selection.skipped.find((entry) => entry.control.meta.id === controlId)?.reason;
  return { findings, score, skipped };
}

describe('LOG-NODE-SHIPPER', () => {
  it('has complete metadata', () => assertCompleteMetadata(nodeShipper.meta));

  const valid: [string, object[]][] = [
    ['a Fluent Bit DaemonSet that tolerates every taint', [WORKER, CONTROL_PLANE, FLUENT_BIT_ALL]],
    ['Fluent Bit on the workers and an OpenTelemetry collector that tolerates the control plane', [WORKER, CONTROL_PLANE, FLUENT_BIT_WORKERS, daemonSet('otel', 'otel/opentelemetry-collector-contrib:0.120.0', { tolerations: [{ key: CONTROL_PLANE_TAINT.key, operator: 'Exists', effect: 'NoSchedule' }] })]],
    ['Vector with a matching nodeSelector on a cluster of workers only', [WORKER, daemonSet('vector', 'timberio/vector:0.45.0-debian', { nodeSelector: { 'kubernetes.io/os': 'linux' } })]],
    ['a cordoned node, which DaemonSets tolerate', [node('worker-2', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]), FLUENT_BIT_WORKERS]],
    ['a PreferNoSchedule taint, which keeps no pod off', [node('worker-3', {}, [{ key: 'spot', effect: 'PreferNoSchedule' }]), FLUENT_BIT_WORKERS]],
  ];
  for (const [name, objects] of valid) {
    it(`valid: ${name}`, async () => {
      const { findings, score } = await judge(objects, nodeShipper.meta.id);
      assert.deepEqual(findings.map((finding) => finding.message), []);
      assert.equal(score?.status, 'passed');
    });
  }

  const invalid: [string, object[], RegExp[]][] = [
    ['no shipper at all', [WORKER, CONTROL_PLANE, daemonSet('node-exporter', 'quay.io/prometheus/node-exporter:v1.9.0', everywhere)], [/^no log shipper runs on node worker-1: no DaemonSet in the cluster runs a known log shipper$/, /node cp-1: no DaemonSet/]],
    ['a shipper that does not tolerate the control-plane taint', [WORKER, CONTROL_PLANE, FLUENT_BIT_WORKERS], [/^no log shipper runs on node cp-1: logging\/fluent-bit \(Fluent Bit\): it does not tolerate the taint node-role\.kubernetes\.io\/control-plane:NoSchedule$/]],
    ['a toleration of another effect', [CONTROL_PLANE, daemonSet('promtail', 'grafana/promtail:3.0.0', { tolerations: [{ key: CONTROL_PLANE_TAINT.key, operator: 'Exists', effect: 'NoExecute' }] })], [/cp-1: logging\/promtail \(Promtail\): it does not tolerate/]],
    ['a toleration with another value', [node('gpu-1', {}, [{ key: 'gpu', value: 'a100', effect: 'NoSchedule' }]), daemonSet('alloy', 'grafana/alloy:v1.8.0', { tolerations: [{ key: 'gpu', value: 'h100', effect: 'NoSchedule' }] })], [/gpu-1: .*does not tolerate the taint gpu=a100:NoSchedule/]],
    ['a nodeSelector that leaves a node out', [WORKER, node('win-1', { 'kubernetes.io/os': 'windows' }), daemonSet('fluentd', 'fluent/fluentd-kubernetes-daemonset:v1.18-debian-elasticsearch8-1', { nodeSelector: { 'kubernetes.io/os': 'linux' } })], [/win-1: logging\/fluentd \(Fluentd\): its nodeSelector kubernetes\.io\/os=linux does not match/]],
    [
      'a required affinity that excludes the control plane, even with a toleration',
      [WORKER, CONTROL_PLANE, daemonSet('filebeat', 'docker.elastic.co/beats/filebeat:8.17.0', { ...everywhere, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }] }] } } } })],
      [/cp-1: logging\/filebeat \(Filebeat\): its required node affinity does not match/],
    ],
  ];
  for (const [name, objects, messages] of invalid) {
    it(`invalid: ${name}`, async () => {
      const { findings, score } = await judge(objects, nodeShipper.meta.id);
      assert.equal(findings.length, messages.length, findings.map((finding) => finding.message).join('\n'));
      findings.forEach((finding, index) => {
        assert.match(finding.message, messages[index] as RegExp);
        assert.equal(finding.resource.kind, 'Node');
        assert.equal(finding.field, 'metadata.name');
      });
      assert.equal(score?.status, 'failed');
    });
  }

  it('no nodes listed: not assessed, never passed', async () => {
    const { findings, score } = await judge([FLUENT_BIT_ALL], nodeShipper.meta.id);
    assert.deepEqual([findings.length, score?.status], [0, 'not-assessed']);
  });
});

describe('LOG-AUDIT-OFF-NODE', () => {
  it('has complete metadata', () => assertCompleteMetadata(auditOffNode.meta));

  const valid: [string, object[]][] = [
    ['audit events go to a webhook, whatever runs on the nodes', [CONTROL_PLANE, apiServer(['--audit-policy-file=/etc/kubernetes/audit.yaml', '--audit-webhook-config-file=/etc/kubernetes/audit-webhook.yaml'])]],
    ['a shipper on the control-plane node that mounts /var/log', [CONTROL_PLANE, WORKER, AUDIT_FILE, FLUENT_BIT_ALL]],
    ['a shipper that mounts exactly the audit folder', [CONTROL_PLANE, AUDIT_FILE, daemonSet('vector', 'timberio/vector:0.45.0', everywhere, '/var/log/kubernetes/audit/')]],
    ['the node is not listed and the shipper tolerates the kubeadm control-plane taint', [AUDIT_FILE, FLUENT_BIT_ALL]],
    ['the audit log on standard out and a shipper reading /var/log', [CONTROL_PLANE, apiServer(['--audit-policy-file=/p.yaml', '--audit-log-path=-']), FLUENT_BIT_ALL]],
  ];
  for (const [name, objects] of valid) {
    it(`valid: ${name}`, async () => {
      const { findings, score } = await judge(objects, auditOffNode.meta.id);
      assert.deepEqual(findings.map((finding) => finding.message), []);
      assert.equal(score?.status, 'passed');
    });
  }

  const invalid: [string, object[], RegExp][] = [
    ['no shipper at all', [CONTROL_PLANE, AUDIT_FILE], /^the audit log \/var\/log\/kubernetes\/audit\/audit\.log stays on node cp-1: no --audit-webhook-config-file, and no log shipper reads \/var\/log\/kubernetes\/audit there \(no log shipper DaemonSet runs in the cluster\)$/],
    ['the shipper stays off the control-plane node', [CONTROL_PLANE, WORKER, AUDIT_FILE, FLUENT_BIT_WORKERS], /stays on node cp-1: .*logging\/fluent-bit \(Fluent Bit\): it does not tolerate the taint node-role\.kubernetes\.io\/control-plane:NoSchedule/],
    ['the shipper mounts only the container logs', [CONTROL_PLANE, AUDIT_FILE, daemonSet('fluent-bit', 'fluent/fluent-bit:3.2', everywhere, '/var/log/containers')], /fluent-bit \(Fluent Bit\): mounts no hostPath that holds \/var\/log\/kubernetes\/audit/],
    ['the node is not listed and the shipper does not tolerate the kubeadm taint', [AUDIT_FILE, FLUENT_BIT_WORKERS], /stays on its node \(cp-1, not listed; judged as a kubeadm control-plane node\)/],
    ['the audit log on standard out and a shipper reading only /var/log/kubernetes', [CONTROL_PLANE, apiServer(['--audit-policy-file=/p.yaml', '--audit-log-path=-']), daemonSet('fluent-bit', 'fluent/fluent-bit:3.2', everywhere, '/var/log/kubernetes')], /the audit log \(standard out\) stays on node cp-1: .*mounts no hostPath that holds \/var\/log\/pods/],
  ];
  for (const [name, objects, message] of invalid) {
    it(`invalid: ${name}`, async () => {
      const { findings, score } = await judge(objects, auditOffNode.meta.id);
      assert.equal(findings.length, 1, findings.map((finding) => finding.message).join('\n'));
      assert.match(findings[0]?.message ?? '', message);
      assert.equal(findings[0]?.resource.name, 'kube-apiserver-cp-1');
      assert.match(findings[0]?.field ?? '', /^spec\.containers\[0\]\.command\[\d\] \(--audit-log-path\)$/);
      assert.equal(score?.status, 'failed');
    });
  }

  it('no audit log at all: not assessed here (AUD-APISERVER-AUDIT-LOG reports it)', async () => {
    const { findings, score } = await judge([CONTROL_PLANE, apiServer([])], auditOffNode.meta.id);
    assert.deepEqual([findings.length, score?.status], [0, 'not-assessed']);
    assert.equal((await judge([CONTROL_PLANE, apiServer([])], 'AUD-APISERVER-AUDIT-LOG')).findings.length, 2);
  });
});

describe('logging controls in a manifest scan', () => {
  for (const control of [nodeShipper, auditOffNode]) {
    it(`${control.meta.id} is not assessed, with the reason, even when the manifests hold nodes and an API server`, async () => {
      const { findings, skipped } = await judge([CONTROL_PLANE, AUDIT_FILE, FLUENT_BIT_WORKERS], control.meta.id, 'manifests');
      assert.deepEqual(findings, []);
      assert.match(skipped ?? '', /^not assessed: manifests do not show the nodes.*kubeharden cluster judges it$/);
    });
  }
});

describe('log shippers by image', () => {
  const shippers: [string, string][] = [
    ['cr.fluentbit.io/fluent/fluent-bit:4.0.3', 'Fluent Bit'],
    ['public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5', 'Fluent Bit'],
    ['fluent/fluentd-kubernetes-daemonset:v1.18-debian-elasticsearch8-1', 'Fluentd'],
    ['docker.io/timberio/vector:0.45.0-distroless-libc', 'Vector'],
    ['grafana/promtail:3.0.0@sha256:' + 'a'.repeat(64), 'Promtail'],
    ['grafana/alloy:v1.8.0', 'Grafana Alloy'],
    ['otel/opentelemetry-collector-k8s:0.120.0', 'OpenTelemetry Collector'],
    ['gcr.io/datadoghq/agent:7.63.0', 'Datadog Agent'],
    ['docker.elastic.co/elastic-agent/elastic-agent:8.17.0', 'Elastic Agent'],
    ['quay.io/signalfx/splunk-otel-collector:0.120.0', 'Splunk OpenTelemetry Collector'],
    ['mcr.microsoft.com/azuremonitor/containerinsights/ciprod:3.1.25', 'Azure Monitor Agent'],
  ];
  for (const [image, name] of shippers) it(`${image} is ${name}`, () => assert.equal(logShipperOf(image), name));
  for (const image of ['nginx:1.27', 'quay.io/prometheus/node-exporter:v1.9.0', 'grafana/grafana:11.0.0', 'registry.example.com/agent:1', 'fluent-bit-lookalike/nginx:1', 'vectorized/redpanda:v23']) {
    it(`${image} is no shipper`, () => assert.equal(logShipperOf(image), undefined));
  }
});

describe('where a DaemonSet runs', () => {
  const gpu: NodeFacts = { name: 'gpu-1', labels: { zone: 'a', cores: '64' }, taints: [{ key: 'gpu', value: 'a100', effect: 'NoExecute' }] };
  const cases: [string, Record<string, unknown>, RegExp | undefined][] = [
    ['an empty-key Exists toleration', { tolerations: [{ operator: 'Exists' }] }, undefined],
    ['an Equal toleration without a value does not match a valued taint', { tolerations: [{ key: 'gpu', effect: 'NoExecute' }] }, /does not tolerate the taint gpu=a100:NoExecute/],
    ['an empty-key toleration that is not Exists tolerates nothing', { tolerations: [{ operator: 'Equal', value: 'a100' }] }, /does not tolerate/],
    ['Gt on a numeric label', { tolerations: [{ key: 'gpu', operator: 'Exists' }], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['32'] }] }] } } } }, undefined],
    ['terms are ORed; an empty term matches nothing', { tolerations: [{ operator: 'Exists' }], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['gpu-1'] }] }] } } } }, undefined],
    ['only an empty term', { tolerations: [{ operator: 'Exists' }], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } } } }, /required node affinity/],
    ['pinned to another node', { nodeName: 'cpu-1', tolerations: [{ operator: 'Exists' }] }, /spec\.nodeName is cpu-1/],
  ];
  for (const [name, spec, expected] of cases) {
    it(name, () => {
      const why = whyNotOnNode(spec, gpu);
      if (expected === undefined) assert.equal(why, undefined);
      else assert.match(why ?? '', expected);
    });
  }
});
