/**
 * The inventory keeps its workloads as columns (src/engine/workload-table.ts), not as an object each. Each workload
 * must still read exactly as the object did: the subjects at its labels, automountServiceAccountToken and
 * ServiceAccount fields, its labels, ServiceAccount and automount value, in namespace order; and the reachability
 * controls' look-up by namespace, kind and name must give the first workload so named. The expected values are
 * computed here from each resource directly, as the per-workload objects computed them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Inventory, type WorkloadEntry } from '../../src/engine/inventory.js';
import { collectInputs, loadInput } from '../../src/loader/inputs.js';
import { loadResources, type InputError, type LoadedResource } from '../../src/loader/source.js';
import { podTemplateOf, TemplatePaths, type PodTemplateRef } from '../../src/kube/pod-templates.js';
import { stringLabels } from '../../src/kube/label-selector.js';
import { resourceRef } from '../../src/kube/resource-ref.js';
import { record, str } from '../../src/util/object.js';
import { formatFieldPath, type FieldPath } from '../../src/vocabulary/field-path.js';
import type { Subject } from '../../src/vocabulary/finding.js';
import { needsShared, sharedPath } from '../support/paths.js';

interface Expected {
  readonly namespace: string | null;
  readonly key: string;
  readonly entry: Omit<WorkloadEntry, never>;
}

/** What the per-workload object held, from the resource itself. */
function expectedWorkload(resource: LoadedResource, template: PodTemplateRef): Expected {
  const ref = resourceRef(resource.object);
  const templateSource = resource.document.templateSource();
  const renderedFrom = resource.document.renderedFrom?.();
  const subject = (path: FieldPath): Subject => {
    const position = resource.document.position([...resource.prefix, ...path]);
    return {
      resource: ref,
      location: { file: position.file ?? resource.document.file, line: position.line, column: position.column, ...(templateSource ? { templateSource } : {}), ...(renderedFrom ? { renderedFrom } : {}) },
      field: formatFieldPath(path),
    };
  };
  const { spec, specPath, metadataPath } = template;
  const serviceAccount = str(spec.serviceAccountName) || str(spec.serviceAccount) || 'default';
  const namespace = str(record(resource.object.metadata)?.namespace) ?? null;
  return {
    namespace,
    key: `${namespace ?? 'default'}\u0000${ref.kind}\u0000${ref.name ?? ''}`,
    entry: {
      subject: subject([...metadataPath, 'labels']),
      labels: stringLabels(template.metadata.labels),
      serviceAccount,
      serviceAccountSubject: serviceAccount === 'default' ? undefined : subject([...specPath, str(spec.serviceAccountName) ? 'serviceAccountName' : 'serviceAccount']),
      automount: spec.automountServiceAccountToken,
      automountSubject: subject([...specPath, 'automountServiceAccountToken']),
    },
  };
}

function plain(entry: WorkloadEntry): Expected['entry'] {
  const { subject, labels, serviceAccount, serviceAccountSubject, automount, automountSubject } = entry;
  return { subject, labels: { ...labels }, serviceAccount, serviceAccountSubject, automount, automountSubject };
}

/** Fills an inventory and says, per namespace in order, which workloads it must hold. */
function fill(resources: Iterable<LoadedResource>, inventory: Inventory, expected: Map<string | null, Expected[]>): void {
  const paths = new TemplatePaths();
  for (const resource of resources) {
    const path = paths.pathFor(String(resource.object.apiVersion), String(resource.object.kind));
    const template = path === undefined ? undefined : podTemplateOf(resource.object, path);
    inventory.add(resource, template);
    if (!template) continue;
    const workload = expectedWorkload(resource, template);
    expected.set(workload.namespace, [...(expected.get(workload.namespace) ?? []), workload]);
  }
}

function assertSameAnswers(inventory: Inventory, expected: Map<string | null, Expected[]>): number {
  let compared = 0;
  const first = new Map<string, Subject>();
  for (const [name, entry] of inventory.namespaces) {
    const wanted = expected.get(name) ?? [];
    assert.equal(entry.workloads.length, wanted.length, `namespace ${name}`);
    assert.deepEqual([...entry.workloads].map(plain), wanted.map((workload) => workload.entry), `namespace ${name}`);
    wanted.forEach((workload, index) => {
      assert.deepEqual(entry.workloads.at(index) && plain(entry.workloads.at(index) as WorkloadEntry), workload.entry);
      if (!first.has(workload.key)) first.set(workload.key, workload.entry.subject);
    });
    compared += wanted.length;
  }
  assert.equal(compared, [...expected.values()].reduce((sum, list) => sum + list.length, 0), 'every workload is in its namespace');
  for (const [key, subject] of first) {
    const [namespace, kind, name] = key.split('\u0000') as [string, string, string];
    assert.deepEqual(inventory.workloadSubject(namespace, kind, name), subject, key);
  }
  assert.equal(inventory.workloadSubject('no-such-namespace', 'Deployment', 'web'), undefined);
  return compared;
}

describe('the inventory workload table', () => {
  it('answers every query the per-workload objects did, over the real-world corpus', { skip: needsShared }, async () => {
    const errors: InputError[] = [];
    const inputs = await collectInputs([sharedPath('corpus', 'real-world')], errors);
    const inventory = new Inventory();
    const expected = new Map<string | null, Expected[]>();
    for (const input of inputs) fill((await loadInput(input, errors)) ?? [], inventory, expected);
    // The corpus' pod templates (test/conformance/real-world.test.ts counts 368 of them).
    assert.equal(assertSameAnswers(inventory, expected), 368);
  });

  it('keeps odd values as given: automount that is not a boolean, names that are missing, empty or not latin1 (lone surrogates too)', () => {
    const pod = (metadata: Record<string, unknown>, spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata, spec: { containers: [{ name: 'app', image: 'app:1' }], ...spec } });
    const items = [
      pod({ name: 'string-automount', namespace: 'shop' }, { automountServiceAccountToken: 'false' }),
      pod({ name: 'number-automount', namespace: 'shop' }, { automountServiceAccountToken: 0, serviceAccount: 'legacy' }),
      pod({ name: 'off', namespace: 'shop', labels: { app: 'off', n: 5 } }, { automountServiceAccountToken: false, serviceAccountName: 'api' }),
      pod({ name: 'on', namespace: 'shop' }, { automountServiceAccountToken: true }),
      pod({ generateName: 'job-', namespace: 'shop' }, {}),
      pod({ namespace: 'shop' }, {}),
      pod({ name: 'lone-\ud800-surrogate', namespace: '\u00e9t\u00e9' }, {}),
      pod({ name: 'lone-\ud801-surrogate', namespace: '\u00e9t\u00e9' }, {}),
      pod({ name: '\u540d\u524d' }, {}),
      pod({ name: 'empty-namespace', namespace: '' }, {}),
      pod({ name: 'string-automount', namespace: 'shop' }, { automountServiceAccountToken: true }),
    ];
    const inventory = new Inventory();
    const expected = new Map<string | null, Expected[]>();
    fill(loadResources('odd.json', Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2)), [], true), inventory, expected);
    assert.equal(assertSameAnswers(inventory, expected), items.length);
    const shop = inventory.namespaces.get('shop')?.workloads;
    assert.deepEqual([...(shop ?? [])].map((workload) => workload.automount), ['false', 0, false, true, undefined, undefined, true]);
    assert.deepEqual(inventory.namespaces.get('\u00e9t\u00e9')?.workloads.at(1)?.subject.resource.name, 'lone-\ud801-surrogate');
    // The first of two workloads with one name answers the look-up.
    assert.equal(inventory.workloadSubject('shop', 'Pod', 'string-automount')?.location.line, 8);
  });
});
