/**
 * Exceptions from `.kubeharden.yaml` reach admission, in both shapes of the export. On a real kube-apiserver, an
 * excepted namespace/name (and the Pods a controller makes from it) is admitted, the same object elsewhere is
 * rejected, and an exception of one control does not except the others: in the combined policy it is a variable
 * only that control's validations OR in; an exception of every control (`*`) is a matchCondition in both.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTROLS } from '../../src/controls/index.js';
import { exportVap } from '../../src/enforce/vap/export-vap.js';
import type { VapSplit } from '../../src/enforce/vap/splits.js';
import { DEFAULT_SETTINGS } from '../../src/engine/types.js';
import { TemplatePaths } from '../../src/kube/pod-templates.js';
import type { Json } from '../../src/util/object.js';
import { useCluster } from '../support/use-cluster.js';

const EXCEPTION = { controls: ['POD-NO-PRIVILEGED'], namespaces: ['kube-system', 'monitoring-*'], names: ['node-exporter'], reason: 'needs the host', source: '.kubeharden.yaml:2' };
const EXPIRED = { controls: ['*'], namespaces: ['legacy'], reason: 'migrating', expires: '2020-01-01', source: '.kubeharden.yaml:7' };
const EVERY_CONTROL = { controls: ['*'], namespaces: ['sandbox'], reason: 'experiments', source: '.kubeharden.yaml:11' };
const FORM_LABEL = 'kubeharden.io/test-form';
const SPLITS: readonly VapSplit[] = ['combined', 'per-control'];

type Breaks = 'privileged' | 'hostNetwork';

const pod = (split: VapSplit, breaks: Breaks, namespace: string, name: string, owned = false) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace,
    labels: { [FORM_LABEL]: split },
    ...(owned ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'node-exporter', uid: '8b3c1f6e-0000-4000-8000-000000000001', controller: true }] } : {}),
  },
  spec: {
    ...(breaks === 'hostNetwork' ? { hostNetwork: true } : {}),
    containers: [{ name: 'app', image: 'registry.example/app:1.0', ...(breaks === 'privileged' ? { securityContext: { privileged: true } } : {}) }],
  },
});

describe('export vap exceptions on the API server', { timeout: 300_000 }, () => {
  const shared = useCluster({ profile: 'insecure' }, async (cluster) => {
    for (const namespace of ['shop', 'monitoring-a', 'legacy', 'sandbox']) await cluster.createNamespace(namespace);
    for (const split of SPLITS) {
      const exported = exportVap({ catalog: CONTROLS, version: { minor: 37 }, framework: 'all', controls: ['POD-NO-PRIVILEGED', 'POD-NO-HOST-NAMESPACES'], action: 'Deny', split, settings: DEFAULT_SETTINGS, templatePaths: new TemplatePaths(), exceptions: [EXCEPTION, EXPIRED, EVERY_CONTROL], today: '2026-12-03', paramsNamespace: 'default' });
      assert.deepEqual(exported.skippedExceptions, [{ source: '.kubeharden.yaml:7', reason: 'expired on 2020-01-01' }]);
      for (const object of exported.objects) {
        const plural = object.kind === 'ValidatingAdmissionPolicy' ? 'validatingadmissionpolicies' : 'validatingadmissionpolicybindings';
        // Each shape judges only the Pods labelled with it.
        const body = object.kind === 'ValidatingAdmissionPolicyBinding' ? { ...object, spec: { ...(object.spec as Json), matchResources: { objectSelector: { matchLabels: { [FORM_LABEL]: split } } } } } : object;
        const response = await cluster.request('admin', 'POST', `/apis/admissionregistration.k8s.io/v1/${plural}`, body);
        assert.equal(response.status, 201, response.text);
      }
    }
  });

  for (const split of SPLITS) {
    it(`admits exactly the excepted objects, control by control (--split ${split})`, async (t) => {
      const cluster = shared.ready(t);
      if (!cluster) return;
      /** `admitted`, or the control the rejection names. */
      const verdict = async (breaks: Breaks, namespace: string, name: string, owned = false) => {
        const response = await cluster.request('admin', 'POST', `/api/v1/namespaces/${namespace}/pods?dryRun=All`, pod(split, breaks, namespace, name, owned));
        if (response.status === 201) return 'admitted';
        const message = String((response.json as { message?: string } | undefined)?.message ?? response.text);
        const denied = /ValidatingAdmissionPolicy '(kubeharden-[a-z-]+)' with binding '[^']+' denied request: ([A-Z-]+): /.exec(message);
        assert.ok(denied, message);
        assert.equal(denied[1], split === 'combined' ? 'kubeharden-pod-templates' : `kubeharden-${(denied[2] as string).toLowerCase()}`);
        return denied[2];
      };
      // The policies reach admission through an informer a moment after they are created.
      const deadline = Date.now() + 120_000;
      while ((await verdict('privileged', 'shop', 'probe')) === 'admitted' || (await verdict('hostNetwork', 'shop', 'probe')) === 'admitted') {
        assert.ok(Date.now() < deadline, 'the policies never became active');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      assert.deepEqual(
        {
          otherNamespace: await verdict('privileged', 'shop', 'node-exporter'),
          exceptedNamespaceAndName: await verdict('privileged', 'monitoring-a', 'node-exporter'),
          exceptedNamespaceOtherName: await verdict('privileged', 'monitoring-a', 'grafana'),
          ownedByTheExcepted: await verdict('privileged', 'monitoring-a', 'node-exporter-x2k9q', true),
          sameNameWithoutOwner: await verdict('privileged', 'monitoring-a', 'node-exporter-x2k9q'),
          expiredException: await verdict('privileged', 'legacy', 'node-exporter'),
          otherControlWhereExcepted: await verdict('hostNetwork', 'monitoring-a', 'node-exporter'),
          everyControlExcepted: await verdict('privileged', 'sandbox', 'x'),
          everyControlExceptedOther: await verdict('hostNetwork', 'sandbox', 'x'),
        },
        {
          otherNamespace: 'POD-NO-PRIVILEGED',
          exceptedNamespaceAndName: 'admitted',
          exceptedNamespaceOtherName: 'POD-NO-PRIVILEGED',
          ownedByTheExcepted: 'admitted',
          sameNameWithoutOwner: 'POD-NO-PRIVILEGED',
          expiredException: 'POD-NO-PRIVILEGED',
          otherControlWhereExcepted: 'POD-NO-HOST-NAMESPACES',
          everyControlExcepted: 'admitted',
          everyControlExceptedOther: 'admitted',
        },
      );
    });
  }
});
