/**
 * Exceptions from `.kubeharden.yaml` reach admission as matchConditions: on a real kube-apiserver, an excepted
 * namespace/name (and the Pods a controller makes from it) is admitted, the same object elsewhere is rejected.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CONTROLS } from '../../src/controls/index.js';
import { exportVap } from '../../src/enforce/vap/export-vap.js';
import { DEFAULT_SETTINGS } from '../../src/engine/types.js';
import { TemplatePaths } from '../../src/kube/pod-templates.js';
import { startCluster, type Cluster } from '../support/cluster-harness.js';

const EXCEPTION = { controls: ['POD-NO-PRIVILEGED'], namespaces: ['kube-system', 'monitoring-*'], names: ['node-exporter'], reason: 'needs the host', source: '.kubeharden.yaml:2' };
const EXPIRED = { controls: ['*'], namespaces: ['legacy'], reason: 'migrating', expires: '2020-01-01', source: '.kubeharden.yaml:7' };

const privilegedPod = (namespace: string, name: string, owned: boolean) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace,
    ...(owned ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'node-exporter', uid: '8b3c1f6e-0000-4000-8000-000000000001', controller: true }] } : {}),
  },
  spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0', securityContext: { privileged: true } }] },
});

describe('export vap exceptions on the API server', { timeout: 300_000 }, () => {
  let cluster: Cluster | undefined;
  let skip: string | undefined;

  before(async () => {
    const started = await startCluster({ profile: 'insecure' });
    if ('skip' in started) {
      skip = started.skip;
      return;
    }
    cluster = started;
    for (const namespace of ['shop', 'monitoring-a', 'legacy']) await cluster.createNamespace(namespace);
    const exported = exportVap({ catalog: CONTROLS, version: { minor: 37 }, framework: 'all', controls: ['POD-NO-PRIVILEGED'], action: 'Deny', settings: DEFAULT_SETTINGS, templatePaths: new TemplatePaths(), exceptions: [EXCEPTION, EXPIRED], today: '2026-12-03', paramsNamespace: 'default' });
    assert.deepEqual(exported.skippedExceptions, [{ source: '.kubeharden.yaml:7', reason: 'expired on 2020-01-01' }]);
    for (const object of exported.objects) {
      const plural = object.kind === 'ValidatingAdmissionPolicy' ? 'validatingadmissionpolicies' : 'validatingadmissionpolicybindings';
      const response = await cluster.request('admin', 'POST', `/apis/admissionregistration.k8s.io/v1/${plural}`, object);
      assert.equal(response.status, 201, response.text);
    }
  });
  after(async () => {
    await cluster?.stop();
  });

  it('admits exactly the excepted objects', async (t) => {
    if (skip || !cluster) return t.skip(skip);
    const verdict = async (namespace: string, name: string, owned = false) => {
      const response = await (cluster as Cluster).request('admin', 'POST', `/api/v1/namespaces/${namespace}/pods?dryRun=All`, privilegedPod(namespace, name, owned));
      if (response.status === 201) return 'admitted';
      assert.match(response.text, /ValidatingAdmissionPolicy 'kubeharden-pod-no-privileged'/);
      return 'rejected';
    };
    // The policy reaches admission through an informer a moment after it is created.
    const deadline = Date.now() + 120_000;
    while ((await verdict('shop', 'probe')) === 'admitted') {
      assert.ok(Date.now() < deadline, 'the policy never became active');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    assert.deepEqual(
      {
        otherNamespace: await verdict('shop', 'node-exporter'),
        exceptedNamespaceAndName: await verdict('monitoring-a', 'node-exporter'),
        exceptedNamespaceOtherName: await verdict('monitoring-a', 'grafana'),
        ownedByTheExcepted: await verdict('monitoring-a', 'node-exporter-x2k9q', true),
        sameNameWithoutOwner: await verdict('monitoring-a', 'node-exporter-x2k9q'),
        expiredException: await verdict('legacy', 'node-exporter'),
      },
      {
        otherNamespace: 'rejected',
        exceptedNamespaceAndName: 'admitted',
        exceptedNamespaceOtherName: 'rejected',
        ownedByTheExcepted: 'admitted',
        sameNameWithoutOwner: 'rejected',
        expiredException: 'rejected',
      },
    );
  });
});
