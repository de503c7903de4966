/**
 * `kubeharden cluster` judges a control plane hosted in the cluster (a Deployment running kube-apiserver, as
 * vcluster, Kamaji or HyperShift run tenants' API servers) with the same component controls as a static pod.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Report } from '../../src/report/report.js';
import { useCluster } from '../support/use-cluster.js';
import { runCliAsync } from '../support/cli-process.js';

describe('kubeharden cluster: a hosted control plane', { timeout: 180_000 }, () => {
  const shared = useCluster({ profile: 'hardened' }, async (cluster) => {
    await cluster.createNamespace('tenant-a');
    const response = await cluster.request('admin', 'POST', '/apis/apps/v1/namespaces/tenant-a/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'tenant-apiserver', namespace: 'tenant-a' },
      spec: {
        selector: { matchLabels: { app: 'tenant-apiserver' } },
        template: {
          metadata: { labels: { app: 'tenant-apiserver' } },
          spec: {
            containers: [
              { name: 'syncer', image: 'registry.example/syncer:1.0', command: ['/syncer'] },
              { name: 'api', image: 'registry.k8s.io/kube-apiserver:v1.37.2', command: ['kube-apiserver'], args: ['--anonymous-auth=true', '--secure-port=6443', '--token-auth-file=/etc/tokens.csv'] },
            ],
          },
        },
      },
    });
    assert.equal(response.status, 201, response.text);
  });

  it('the Deployment gets the API server controls, at its flags', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const result = await runCliAsync(['cluster', '--kubeconfig', cluster.adminKubeconfig, '--format', 'json', '--fail-on', 'none']);
    const report = JSON.parse(result.stdout) as Report;
    const onDeployment = (id: string) =>
      report.findings.filter((f) => f.controlId === id && f.resource.kind === 'Deployment' && f.resource.name === 'tenant-apiserver').map((f) => [f.location.file, f.field]);
    assert.deepEqual(onDeployment('CP-APISERVER-ANONYMOUS-AUTH'), [
      ['cluster:/apis/apps/v1/namespaces/tenant-a/deployments/tenant-apiserver', 'spec.template.spec.containers[1].args[0] (--anonymous-auth)'],
    ]);
    assert.deepEqual(onDeployment('CP-APISERVER-NO-TOKEN-AUTH-FILE').map(([, field]) => field), ['spec.template.spec.containers[1].args[2] (--token-auth-file)']);
    assert.deepEqual(onDeployment('CP-APISERVER-SECURE-PORT'), []);
  });
});
