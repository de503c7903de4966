/**
 * Each part of a namespace's inventory (engine/inventory.ts `InventoryFacet`) holds everything its controls read:
 * over every tree of ../shared/corpus, each namespace-local control gives the same findings and counts over an
 * inventory of its part alone as over a whole inventory, as `kubeharden scan` builds it. `kubeharden serve` runs a
 * namespace's controls in two groups, one per part (src/serve/live-cluster.ts); a part that left out something one
 * of its controls reads would make that group's results differ from a full scan, and this test fail.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONTROLS } from '../../src/controls/index.js';
import { Inventory, type InventoryFacet } from '../../src/engine/inventory.js';
import type { InventoryControl } from '../../src/engine/types.js';
import { ExceptionSet } from '../../src/exceptions/exception-set.js';
import { podTemplateOf, TemplatePaths, type PodTemplateRef } from '../../src/kube/pod-templates.js';
import { parseKubeVersion } from '../../src/kube/version.js';
import { collectInputs, loadInput } from '../../src/loader/inputs.js';
import { loadResources, type InputError, type LoadedResource } from '../../src/loader/source.js';
import { judgeInventoryControl } from '../../src/scan/scan.js';
import { FACETS, NAMESPACE_LOCAL_CONTROLS } from '../../src/serve/inventory-scope.js';
import type { Finding } from '../../src/vocabulary/finding.js';
import { needsShared, sharedPath } from '../support/paths.js';

const VERSION = parseKubeVersion('latest');
const LOCAL = CONTROLS.filter((control): control is InventoryControl => control.scope === 'inventory' && NAMESPACE_LOCAL_CONTROLS.has(control.meta.id));

/** Every corpus tree of manifests: the real-world projects and the netpol-analyzer cases. */
function trees(): string[] {
  const realWorld = sharedPath('corpus', 'real-world');
  const netpol = sharedPath('corpus', 'netpol', 'netpol-analyzer', 'tests');
  return [...readdirSync(realWorld).map((name) => `${realWorld}/${name}`), ...readdirSync(netpol).map((name) => `${netpol}/${name}`)].sort();
}

/** An object with its pod template, as the scan hands both to `Inventory.add`. */
interface Placed {
  readonly resource: LoadedResource;
  readonly template: PodTemplateRef | undefined;
}

const TEMPLATE_PATHS = new TemplatePaths();

function placed(resource: LoadedResource): Placed {
  const path = TEMPLATE_PATHS.pathFor(String(resource.object['apiVersion']), String(resource.object['kind']));
  return { resource, template: path ? podTemplateOf(resource.object, path) : undefined };
}

async function load(root: string): Promise<Placed[]> {
  const errors: InputError[] = [];
  const loaded: Placed[] = [];
  for (const input of await collectInputs([root], errors)) {
    for (const resource of (await loadInput(input, errors)) ?? []) loaded.push(placed(resource));
  }
  return loaded;
}

/**
 * What the corpus does not show: a Dashboard and a Tiller exposed by a NodePort Service and an Ingress, a Cilium
 * policy, a ServiceAccount that turns token mounting off, a LimitRange and a ResourceQuota.
 */
const EXPOSED = `
apiVersion: v1
kind: Namespace
metadata: {name: tools, labels: {team: ops}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: dashboard, namespace: tools}
spec:
  selector: {matchLabels: {app: dashboard}}
  template:
    metadata: {labels: {app: dashboard}}
    spec:
      serviceAccountName: viewer
      containers: [{name: web, image: "kubernetesui/dashboard:v2.7.0", args: ["--enable-skip-login"], ports: [{containerPort: 8443}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: tiller-deploy, namespace: tools}
spec:
  selector: {matchLabels: {app: helm}}
  template:
    metadata: {labels: {app: helm}}
    spec:
      automountServiceAccountToken: true
      containers: [{name: tiller, image: "gcr.io/kubernetes-helm/tiller:v2.16.12", ports: [{containerPort: 44134}]}]
---
apiVersion: v1
kind: Service
metadata: {name: dashboard, namespace: tools}
spec: {type: NodePort, selector: {app: dashboard}, ports: [{port: 443, targetPort: 8443}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: helm, namespace: tools}
spec:
  rules: [{host: helm.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: tiller, port: {number: 44134}}}}]}}]
---
apiVersion: v1
kind: Service
metadata: {name: tiller, namespace: tools}
spec: {selector: {app: helm}, ports: [{port: 44134}]}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: viewer, namespace: tools}
automountServiceAccountToken: false
---
apiVersion: v1
kind: LimitRange
metadata: {name: limits, namespace: tools}
spec: {limits: [{type: Container, default: {memory: 256Mi}}]}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: quota, namespace: tools}
spec: {hard: {pods: "10"}}
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: only-dashboard, namespace: tools}
spec: {endpointSelector: {matchLabels: {app: nothing-here}}, ingress: [{fromEndpoints: [{matchLabels: {app: dashboard}}]}]}
`;

function inline(): Placed[] {
  return [...loadResources('exposed.yaml', Buffer.from(EXPOSED), [], false)].map(placed);
}

/** A control's findings and counts over an inventory of the objects, whole or one part of it. */
function judge(control: InventoryControl, objects: readonly Placed[], facet: InventoryFacet | undefined): { findings: Finding[]; assessed: number; failed: number } {
  const inventory = new Inventory('in the cluster', { namespace: undefined, excluded: [] }, facet);
  for (const { resource, template } of objects) inventory.add(resource, template);
  const findings: Finding[] = [];
  const counts = judgeInventoryControl(control, inventory, { version: VERSION, namespaceObjectsElsewhere: false }, ExceptionSet.none(), { annotated: new Map(), annotatedNamespaces: new Map() }, (finding) => findings.push(finding));
  return { findings, ...counts };
}

describe('serve: each part of a namespace inventory holds what its controls read', { skip: needsShared }, () => {
  it('every namespace-local control belongs to one part, and every part has controls', () => {
    assert.deepEqual(LOCAL.map((control) => control.meta.id).sort(), [...NAMESPACE_LOCAL_CONTROLS.keys()].sort());
    for (const facet of FACETS) assert.ok([...NAMESPACE_LOCAL_CONTROLS.values()].includes(facet), facet);
  });

  it('over the corpus, each control judges its part alone as it judges the whole inventory', async () => {
    const found = new Map<string, number>();
    const roots = trees();
    for (const root of roots) {
      const objects = await load(root);
      for (const control of LOCAL) {
        const facet = NAMESPACE_LOCAL_CONTROLS.get(control.meta.id);
        const whole = judge(control, objects, undefined);
        assert.deepEqual(judge(control, objects, facet), whole, `${control.meta.id} over the ${facet} part of ${root}`);
        found.set(control.meta.id, (found.get(control.meta.id) ?? 0) + whole.findings.length);
      }
    }
    // The comparison is not empty: the corpus makes findings of every one of the controls.
    assert.equal(roots.length, 12 + 305);
    assert.deepEqual(LOCAL.map((control) => control.meta.id).filter((id) => (found.get(id) ?? 0) === 0), []);
  });

  it('exposed add-ons, a Cilium policy and namespace counts: each control judges its part alone as the whole inventory', () => {
    const objects = inline();
    const messages: string[] = [];
    for (const control of LOCAL) {
      const whole = judge(control, objects, undefined);
      assert.deepEqual(judge(control, objects, NAMESPACE_LOCAL_CONTROLS.get(control.meta.id)), whole, control.meta.id);
      messages.push(...whole.findings.map((finding) => `${finding.controlId}: ${finding.message}`));
    }
    // The add-ons' exposure comes from the Service and the Ingress, which only the workloads part keeps.
    assert.ok(messages.some((message) => message.startsWith('ADDON-NO-DASHBOARD') && message.includes('NodePort')), messages.join('\n'));
    assert.ok(messages.some((message) => message.startsWith('ADDON-NO-TILLER') && message.includes('Ingress')), messages.join('\n'));
    assert.ok(messages.some((message) => message.startsWith('NET-POLICY-SELECTS-NOTHING')), messages.join('\n'));
  });

  it('a part that leaves out what a control reads gives other results: token mounting is not in the network part', async () => {
    const objects = await load(sharedPath('corpus', 'real-world', 'argo-cd'));
    const control = LOCAL.find((candidate) => candidate.meta.id === 'POD-SA-TOKEN-NOT-AUTOMOUNTED')!;
    const whole = judge(control, objects, undefined);
    assert.ok(whole.findings.length > 0);
    assert.notDeepEqual(judge(control, objects, 'network'), whole);
  });
});
