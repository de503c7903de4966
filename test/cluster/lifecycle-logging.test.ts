/**
 * CLUSTER-VERSION-SUPPORTED, LOG-NODE-SHIPPER and LOG-AUDIT-OFF-NODE against a real kube-apiserver v1.37.2: the
 * version from its /version judged on an injected day, and log shippers created as DaemonSets until the logging
 * findings go away. The API server's flags come from its mirror pod, the audit log path is the server's real one.
 */
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import type { Report } from '../../src/report/report.js';
import type { Cluster } from '../support/cluster-harness.js';
import { useCluster } from '../support/use-cluster.js';
import { runCliAsync } from '../support/cli-process.js';

const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

async function create(cluster: Cluster, path: string, body: object): Promise<void> {
  const response = await cluster.request('admin', 'POST', path, body);
  assert.equal(response.status, 201, `${path}: ${response.text}`);
}

function shipper(name: string, hostPath: string, tolerations: object[]): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'logging' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          tolerations,
          containers: [{ name, image: 'cr.fluentbit.io/fluent/fluent-bit:4.0.3', volumeMounts: [{ name: 'logs', mountPath: '/host', readOnly: true }] }],
          volumes: [{ name: 'logs', hostPath: { path: hostPath } }],
        },
      },
    },
  };
}

describe('kubeharden cluster: release support and central logging, against a real API server', { timeout: 180_000 }, () => {
  const shared = useCluster({ profile: 'hardened' }, async (cluster) => {
    await create(cluster, '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'cp-1', labels: { 'node-role.kubernetes.io/control-plane': '' } }, spec: { taints: [CONTROL_PLANE_TAINT] } });
    await create(cluster, '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-1' } });
    await cluster.createNamespace('kube-system');
    await cluster.createNamespace('logging');
    // The API server as kubeadm runs it on cp-1, with the flags it really has (its audit log path included).
    await create(cluster, '/api/v1/namespaces/kube-system/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'kube-apiserver-cp-1', namespace: 'kube-system', labels: { component: 'kube-apiserver', tier: 'control-plane' } },
      spec: { nodeName: 'cp-1', hostNetwork: true, containers: [{ name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.37.2', command: ['kube-apiserver', ...cluster.apiserverArgs] }] },
    });
  });

  async function scan(cluster: Cluster, ...extra: string[]): Promise<Report> {
    const result = await runCliAsync(['cluster', '--kubeconfig', cluster.adminKubeconfig, '--format', 'json', '--fail-on', 'none', ...extra]);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as Report;
  }
  const of = (report: Report, id: string) => report.findings.filter((finding) => finding.controlId === id);

  it('the server runs v1.37.2: supported on 2026-12-03, out of support once the day is past 1.37’s end of life', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    assert.equal(cluster.version.gitVersion, 'v1.37.2');
    const today = await scan(cluster, '--support-date', '2026-12-03');
    assert.deepEqual(of(today, 'CLUSTER-VERSION-SUPPORTED'), []);
    assert.ok(today.summary.controls.run.includes('CLUSTER-VERSION-SUPPORTED'));
    assert.equal(today.summary.score.controls.find((control) => control.id === 'CLUSTER-VERSION-SUPPORTED')?.status, 'passed');
    const later = await scan(cluster, '--support-date', '2027-10-29');
    const [finding, ...rest] = of(later, 'CLUSTER-VERSION-SUPPORTED');
    assert.equal(rest.length, 0);
    assert.match(finding?.message ?? '', /^Kubernetes v1\.37\.2 \(the API server's \/version\) is out of upstream support: 1\.37 reached its end of life on 2027-10-28/);
    assert.deepEqual([finding?.resource.kind, finding?.location.file, finding?.field], ['Cluster', 'cluster:/version', 'gitVersion']);
    // --k8s-version chooses the rules, not the release that runs; the variable sets the day as the flag does.
    const judgedAsOlder = JSON.parse((await runCliAsync(['cluster', '--kubeconfig', cluster.adminKubeconfig, '-k', '1.25', '--format', 'json', '--fail-on', 'none'], { KUBEHARDEN_SUPPORT_DATE: '2027-10-29' })).stdout) as Report;
    assert.match(of(judgedAsOlder, 'CLUSTER-VERSION-SUPPORTED')[0]?.message ?? '', /v1\.37\.2 .*2027-10-28/);
    const wrong = await runCliAsync(['cluster', '--kubeconfig', cluster.adminKubeconfig, '--support-date', '2027-02-30']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--support-date must be a date written YYYY-MM-DD, not "2027-02-30"/);
  });

  it('log shippers: none, then one kept off the control plane, then one on every node that reads the audit folder', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const auditFolder = dirname(cluster.auditLogPath);
    const none = await scan(cluster);
    assert.deepEqual(of(none, 'LOG-NODE-SHIPPER').map((finding) => finding.resource.name).sort(), ['cp-1', 'worker-1']);
    assert.match(of(none, 'LOG-NODE-SHIPPER')[0]?.message ?? '', /no DaemonSet in the cluster runs a known log shipper/);
    const [audit] = of(none, 'LOG-AUDIT-OFF-NODE');
    assert.equal(audit?.resource.name, 'kube-apiserver-cp-1');
    assert.match(audit?.message ?? '', new RegExp(`^the audit log ${cluster.auditLogPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} stays on node cp-1`));
    assert.match(audit?.field ?? '', /\(--audit-log-path\)$/);

    // The usual first try: /var/log on the workers only.
    await create(cluster, '/apis/apps/v1/namespaces/logging/daemonsets', shipper('fluent-bit', '/var/log', []));
    const workers = await scan(cluster);
    assert.deepEqual(of(workers, 'LOG-NODE-SHIPPER').map((finding) => finding.message), ['no log shipper runs on node cp-1: logging/fluent-bit (Fluent Bit): it does not tolerate the taint node-role.kubernetes.io/control-plane:NoSchedule']);
    assert.match(of(workers, 'LOG-AUDIT-OFF-NODE')[0]?.message ?? '', /logging\/fluent-bit \(Fluent Bit\): it does not tolerate the taint/);

    // Tolerating the control plane is not enough while the audit folder is not mounted.
    await create(cluster, '/apis/apps/v1/namespaces/logging/daemonsets', shipper('fluent-bit-cp', '/var/log', [{ key: CONTROL_PLANE_TAINT.key, operator: 'Exists', effect: 'NoSchedule' }]));
    const everywhere = await scan(cluster);
    assert.deepEqual(of(everywhere, 'LOG-NODE-SHIPPER'), []);
    assert.equal(everywhere.summary.score.controls.find((control) => control.id === 'LOG-NODE-SHIPPER')?.status, 'passed');
    assert.match(of(everywhere, 'LOG-AUDIT-OFF-NODE')[0]?.message ?? '', new RegExp(`logging/fluent-bit-cp \\(Fluent Bit\\): mounts no hostPath that holds ${auditFolder.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));

    await create(cluster, '/apis/apps/v1/namespaces/logging/daemonsets', shipper('audit-shipper', auditFolder, [{ operator: 'Exists' }]));
    const shipped = await scan(cluster);
    assert.deepEqual([...of(shipped, 'LOG-NODE-SHIPPER'), ...of(shipped, 'LOG-AUDIT-OFF-NODE')], []);
    assert.equal(shipped.summary.score.controls.find((control) => control.id === 'LOG-AUDIT-OFF-NODE')?.status, 'passed');
  });

  it('credentials that may not list nodes: the logging controls are not assessed, never passed', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const result = await runCliAsync(['cluster', '--kubeconfig', cluster.kubeconfig('nobody'), '--format', 'json', '--allow-partial']);
    const report = JSON.parse(result.stdout) as Report;
    for (const id of ['LOG-NODE-SHIPPER', 'LOG-AUDIT-OFF-NODE']) {
      assert.match(report.summary.controls.skipped.find((entry) => entry.id === id)?.reason ?? '', /may not list Node, DaemonSet, Pod/);
    }
  });

  it('a scan of some namespaces cannot see shippers and API servers elsewhere: the logging controls are not assessed', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    for (const [flags, reason] of [[['-n', 'default'], /^not assessed: --namespace default leaves out/], [['--exclude-namespaces', 'logging'], /^not assessed: --exclude-namespaces leaves out/]] as const) {
      const report = await scan(cluster, ...flags);
      for (const id of ['LOG-NODE-SHIPPER', 'LOG-AUDIT-OFF-NODE']) {
        assert.deepEqual(of(report, id), []);
        assert.match(report.summary.controls.skipped.find((entry) => entry.id === id)?.reason ?? '', reason);
      }
    }
  });
});
