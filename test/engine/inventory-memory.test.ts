/**
 * The inventory the cross-resource controls read grows with the workloads of the input: it must stay small per
 * workload (positions as numbers, shared label sets and names, subjects built on demand), or 200,000 Pods cost
 * hundreds of megabytes before a single finding (1,180 bytes a Pod before, 526 after: docs/performance.md).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { control as workloadIsolated } from '../../src/controls/network/workload-isolated.js';
import { control as serviceAccountToken } from '../../src/controls/workload/service-account-token.js';
import { Inventory, NO_POD_MESH, podMeshIn } from '../../src/engine/inventory.js';
import { podTemplateOf, TemplatePaths } from '../../src/kube/pod-templates.js';
import { loadResources, type LoadedResource } from '../../src/loader/source.js';
import { DuplicateObjects } from '../../src/engine/duplicates.js';
import { Reachability } from '../../src/netpol/engine.js';
import { NetworkModelBuilder, networkEssentials } from '../../src/netpol/model.js';
import { FindingStore, setFindingStoreLimits } from '../../src/engine/finding-store.js';
import type { InventoryControl, InventoryViolation } from '../../src/engine/types.js';
import { ExceptionSet } from '../../src/exceptions/exception-set.js';
import { judgeInventoryControl } from '../../src/scan/scan.js';

/** Pods as `kubectl get pods -o json` lists them, with a hundred distinct label sets among them. */
function podList(count: number): string {
  const items = Array.from({ length: count }, (_, index) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `app-${index}`, namespace: `team-${index % 50}`, labels: { app: `app-${index % 100}`, tier: 'web' } },
    spec: {
      containers: [
        { name: 'app', image: `registry.example.com/app:1.${index % 10}`, ports: [{ containerPort: 8080 }] },
        { name: 'sidecar', image: 'busybox', command: ['sh', '-c', 'sleep 3600'] },
      ],
    },
  }));
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2);
}

/** Memory use after full collections. */
function collected(): NodeJS.MemoryUsage {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage();
}

/** Heap and typed arrays (outside the heap, in `external`) after full collections. */
function usedBytes(): number {
  const { heapUsed, external } = collected();
  return heapUsed + external;
}

/**
 * The same once the buffers of earlier work are gone: V8 frees large buffers' memory on a background thread after
 * a collection, so `external` can still fall while a measurement runs and hide what it measures.
 */
async function settledBytes(): Promise<number> {
  for (let round = 0; round < 3; round++) {
    collected();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return usedBytes();
}

/** Every violation of a control's judgement, and what it assessed. */
function judgedAll(control: InventoryControl, inventory: Inventory, context: { version: { minor: number }; namespaceObjectsElsewhere: boolean }): { assessed: number; violations: InventoryViolation[] } {
  const judgement = control.check(inventory, context);
  const violations: InventoryViolation[] = [];
  for (let step = judgement.next(); ; step = judgement.next()) {
    if (step.done) return { assessed: step.value, violations };
    violations.push(step.value);
  }
}

function fill(inventory: Inventory, text: string): void {
  const paths = new TemplatePaths();
  for (const resource of loadResources('pods.json', Buffer.from(text), [], true)) {
    const { apiVersion, kind } = resource.object;
    const path = paths.pathFor(String(apiVersion), String(kind));
    inventory.add(resource, path === undefined ? undefined : podTemplateOf(resource.object, path));
  }
}

describe('inventory memory', () => {
  it('shares equal label sets between workloads, and builds their subjects on demand', () => {
    const inventory = new Inventory();
    const text = podList(400);
    fill(inventory, text);
    const workloads = inventory.namespaces.get('team-0')?.workloads ?? [];
    const [first, second] = [workloads.at(0), workloads.at(2)]; // app-0 and app-100: the same labels
    assert.ok(first && second);
    assert.deepEqual(first.labels, { app: 'app-0', tier: 'web' });
    assert.equal(first.labels, second.labels, 'one label set object');
    assert.ok(Object.isFrozen(first.labels), 'shared, so never changed by one of its users');
    assert.equal(first.serviceAccount, 'default');
    assert.deepEqual(first.subject, {
      resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'team-0', name: 'app-0' },
      location: { file: 'pods.json', line: 11, column: 9 },
      field: 'metadata.labels',
    });
    // No automountServiceAccountToken: the subject is the spec that would hold it, found in the text.
    const lines = text.split('\n');
    const specLine = lines.findIndex((line, at) => line.includes('"spec"') && at > lines.findIndex((named) => named.includes('"app-100"'))) + 1;
    assert.deepEqual(second.automountSubject.location, { file: 'pods.json', line: specLine, column: 7 });
    assert.equal(second.automountSubject.field, 'spec.automountServiceAccountToken');
    // Subjects are not kept: each is made when asked for, from numbers.
    assert.equal(Object.getOwnPropertyDescriptor(first, 'subject'), undefined);
    assert.notEqual(first.subject, first.subject);
  });

  it('keeps a mesh entry only for pods that show a mesh, the last object of a name winning', () => {
    // 300 bytes a Pod when every pod had one (docs/performance.md).
    const inventory = new Inventory();
    fill(inventory, podList(400));
    assert.equal(inventory.transit.pods.size, 0);
    assert.equal(podMeshIn(inventory.transit, 'team-0', 'Pod', 'app-0'), NO_POD_MESH);

    const meshed = (name: string, inject: boolean) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'shop', labels: inject ? { 'sidecar.istio.io/inject': 'true', app: name } : { app: name } },
      spec: { containers: [{ name: 'app', image: 'app:1' }] },
    });
    const later = new Inventory();
    const items = [meshed('with-then-without', true), meshed('with-then-without', false), meshed('without-then-with', false), meshed('without-then-with', true)];
    fill(later, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2));
    assert.equal(podMeshIn(later.transit, 'shop', 'Pod', 'with-then-without'), NO_POD_MESH);
    assert.deepEqual(podMeshIn(later.transit, 'shop', 'Pod', 'without-then-with'), { labels: { 'sidecar.istio.io/inject': 'true' }, annotations: {}, containers: [] });
    assert.equal(later.transit.pods.size, 1);
  });

  it('gives the findings of many pods that say the same thing one message between them', () => {
    // A control's violations all live until the scan has stored them: 346 and 410 bytes each with a message of their
    // own, about 160 with shared ones (docs/performance.md). Since the inventory keeps names packed in its table
    // (411 instead of 833 bytes a Pod), each violation's subject carries a name decoded for it: 240–270 bytes here,
    // still well below what a message of its own costs.
    const heapUsed = () => collected().heapUsed;
    const inventory = new Inventory();
    fill(inventory, podList(20_000));
    const context = { version: { minor: 30 }, namespaceObjectsElsewhere: false };
    for (const control of [serviceAccountToken, workloadIsolated]) {
      const before = heapUsed();
      const result = judgedAll(control, inventory, context);
      assert.equal(result.assessed, 20_000, control.meta.id);
      const bytes = (heapUsed() - before) / result.violations.length;
      assert.equal(result.violations.length, 20_000, control.meta.id);
      assert.ok(bytes < 300, `${control.meta.id}: ${bytes.toFixed(0)} bytes a violation`);
      const [first, other] = [result.violations[0], result.violations[2]]; // app-0 and app-100: the same namespace and labels
      assert.equal(first?.message, other?.message);
    }
  });

  it('keeps the network model and its reachability in a few dozen bytes a Pod: replicas of a label set share one endpoint group', () => {
    // Measured here: with an Endpoint object a pod endpoint, 213 bytes a Pod in the builder and 56 in the built model
    // and reachability; grouped by (namespace, labels, ports, host network), with packed columns for the rest, 88
    // and 20 (docs/performance.md, "Endpoint groups").
    const used = () => {
      const { heapUsed, external } = collected();
      return heapUsed + external;
    };
    const count = 20_000;
    const builder = new NetworkModelBuilder();
    const pods = (JSON.parse(podList(count)) as { items: Record<string, unknown>[] }).items;
    const podPath = new TemplatePaths().pathFor('v1', 'Pod');
    assert.ok(podPath);
    const before = used();
    pods.forEach((pod, index) => {
      // As the scan's inventory adds them: a detached copy of what the model reads.
      const essentials = networkEssentials(pod, podTemplateOf(pod, podPath));
      builder.add(essentials.object, `pods/${index % 100}.json`, essentials.template);
    });
    const builderBytes = (used() - before) / count;
    const built = used();
    const reachability = new Reachability(builder.build());
    const reachabilityBytes = (used() - built) / count;
    assert.equal(reachability.endpoints.length, count);
    // 50 namespaces × 100 label sets, whose pods fall in 100 (namespace, labels) pairs as index % 50 and % 100 agree.
    assert.equal(reachability.endpoints.groups.length, 100);
    assert.ok(builderBytes < 120, `network model builder: ${builderBytes.toFixed(0)} bytes a Pod`);
    assert.ok(reachabilityBytes < 40, `built model and reachability: ${reachabilityBytes.toFixed(0)} bytes a Pod`);
  });

  it('stores each violation of a control as it is made: judging 20,000 Pods holds under 150 bytes a finding, not the violations', async () => {
    // When `check` returned every violation at once, all of them (about 260 bytes each) and a Set of the failed
    // subjects' keys were alive when the last finding was stored: 495 bytes a finding measured here. Now the control
    // yields them one by one and the failed subjects' keys are packed, the file as a number (60 bytes).
    const inventory = new Inventory();
    fill(inventory, podList(20_000));
    const context = { version: { minor: 30 }, namespaceObjectsElsewhere: false };
    const annotations = { annotated: new Map(), annotatedNamespaces: new Map() };
    for (const control of [serviceAccountToken, workloadIsolated]) {
      const before = await settledBytes();
      let stored = 0;
      let heldAtLast = 0;
      const judged = judgeInventoryControl(control, inventory, context, ExceptionSet.none(), annotations, () => {
        // What is alive when the last finding is stored, taken where the scan would store it.
        if (++stored === 20_000) heldAtLast = (usedBytes() - before) / stored;
      });
      assert.deepEqual(judged, { assessed: 20_000, failed: 20_000 }, control.meta.id);
      assert.equal(stored, 20_000, control.meta.id);
      assert.ok(heldAtLast < 150, `${control.meta.id}: ${heldAtLast.toFixed(0)} bytes a finding held at the last one`);
    }
  });

  it('keeps the finding store\'s number for each resource packed: 20,000 resources in under 100 bytes each', async () => {
    // A Map from a resource's key to its number cost 222 bytes a resource measured here (the key a concatenated
    // string of seven parts, its entry in the table); packed, 64. Records and index entries are spilled here (tiny
    // bounds), so what stays is the per-resource table.
    const before = setFindingStoreLimits({ recordBytesInMemory: 0, entriesInMemory: 256 });
    const store = new FindingStore();
    setFindingStoreLimits(before);
    try {
      const finding = (index: number) => ({
        controlId: 'POD-SA-TOKEN-NOT-AUTOMOUNTED',
        title: 'Title',
        severity: 'medium' as const,
        pss: null,
        resource: { apiVersion: 'v1', kind: 'Pod', namespace: `team-${index % 50}`, name: `app-${index}` },
        location: { file: 'pods.json', line: 10 + index * 30, column: 7 },
        field: 'spec.automountServiceAccountToken',
        message: 'pod mounts an API token',
        remediation: 'Set automountServiceAccountToken: false.',
      });
      store.add(finding(0));
      store.entries(); // writes the first batch of records, so the spill's write buffer is not counted below
      const held = await settledBytes();
      for (let index = 1; index <= 20_000; index++) store.add(finding(index));
      store.entries();
      const bytes = (usedBytes() - held) / 20_000;
      assert.equal(store.resourceCount, 20_001);
      assert.equal(store.resourceIdOf('pods.json', finding(20_000).resource), 20_000);
      assert.equal(store.resourceIdOf('pods.json', { ...finding(1).resource, name: 'app-20001' }), undefined);
      assert.ok(bytes < 100, `${bytes.toFixed(0)} bytes a resource`);
    } finally {
      store.close();
    }
  });

  it('keeps per Pod what the cross-resource controls read in a few hundred bytes: workloads, network model, reachability, duplicates', () => {
    // Measured here (docs/performance.md, "Compact tables"): with a Workload object and an Endpoint object a Pod and
    // Map keys, 599 bytes a Pod in the workloads and network model, 149 in reachability, 129 in the duplicate table;
    // with typed columns and packed keys 380, 46 and 65.
    // Typed arrays and buffers live outside the heap: `external` counts them.
    const used = () => {
      const { heapUsed, external } = collected();
      return heapUsed + external;
    };
    const count = 20_000;
    // One small document a Pod (as a folder of manifests): what a kept structure holds is its own, not a big file's.
    const pods = (JSON.parse(podList(count)) as { items: unknown[] }).items.map((pod) => Buffer.from(JSON.stringify(pod, null, 2)));
    const podPath = new TemplatePaths().pathFor('v1', 'Pod');
    assert.ok(podPath);
    const kept = (keep: (resource: LoadedResource) => void): number => {
      const before = used();
      pods.forEach((bytes, index) => {
        for (const resource of loadResources(`pods/${index % 100}.json`, bytes, [], true)) keep(resource);
      });
      return (used() - before) / count;
    };
    // What loading alone leaves behind, taken from each figure.
    const loading = kept(() => undefined);
    const inventory = new Inventory();
    const withNetwork = kept((resource) => inventory.add(resource, podTemplateOf(resource.object, podPath))) - loading;
    const before = used();
    const reachability = inventory.reachability();
    const reachabilityBytes = (used() - before) / count;
    const duplicates = new DuplicateObjects();
    const duplicateBytes = kept((resource) => duplicates.add(resource)) - loading;
    assert.equal(reachability.endpoints.length, count);
    assert.ok(withNetwork < 450, `workloads and network model: ${withNetwork.toFixed(0)} bytes a Pod`);
    assert.ok(reachabilityBytes < 120, `reachability: ${reachabilityBytes.toFixed(0)} bytes a Pod`);
    assert.ok(duplicateBytes < 110, `duplicate table: ${duplicateBytes.toFixed(0)} bytes a Pod`);
    assert.equal(duplicates.result().length, 0);
  });
});
