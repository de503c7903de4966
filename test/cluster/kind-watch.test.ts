/**
 * One kind's watch (src/serve/kind-watch.ts) against a real kube-apiserver whose watches go straight to etcd
 * (`--watch-cache=false`), so that compacting etcd makes the version a watch resumes from too old: the server
 * answers 410 Gone, and the watch lists again and carries on, its objects still those the API server holds. The
 * watch ends every 2 s (`timeoutSeconds`) and resumes from the last version it saw.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiClient } from '../../src/cluster/api-client.js';
import { LISTED_KINDS, type ListedKind } from '../../src/cluster/resource-kinds.js';
import { KindWatch } from '../../src/serve/kind-watch.js';
import { adminClient } from '../support/serve-changes.js';
import { within } from '../support/serve-process.js';
import { useCluster } from '../support/use-cluster.js';

const CONFIGMAPS = LISTED_KINDS.find((kind) => kind.plural === 'configmaps') as ListedKind;

/** Posts to etcd's JSON gateway (v3). */
async function etcd(url: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(new URL(path, url), { method: 'POST', body: JSON.stringify(body) });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as Record<string, unknown>;
}

describe('a kind watch, on an API server that watches etcd directly (410 Gone after compaction)', { timeout: 120_000 }, () => {
  const shared = useCluster({ profile: 'insecure', extraApiserverArgs: ['--watch-cache=false'] }, async (cluster) => {
    await cluster.createNamespace('watched');
  });

  it('lists again when etcd compacted the version it resumes from, and holds what the API server holds', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const client: ApiClient = await adminClient(cluster);
    t.after(() => client.close());
    const create = async (name: string) => {
      const created = await cluster.request('admin', 'POST', '/api/v1/namespaces/watched/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { at: String(Date.now()) } });
      assert.equal(created.status, 201, created.text);
    };
    await create('before');

    const held = new Map<string, string>();
    const events: string[] = [];
    const troubles: string[] = [];
    const nameOf = (object: Record<string, unknown>) => `${(object['metadata'] as { namespace?: string }).namespace}/${(object['metadata'] as { name: string }).name}`;
    const watch = new KindWatch(client, CONFIGMAPS, {
      replaced: (_kind, objects) => {
        events.push(`replaced ${objects.length}`);
        held.clear();
        for (const object of objects) held.set(nameOf(object), (object['metadata'] as { resourceVersion: string }).resourceVersion);
      },
      changed: (_kind, object) => {
        events.push(`changed ${nameOf(object)}`);
        held.set(nameOf(object), (object['metadata'] as { resourceVersion: string }).resourceVersion);
      },
      removed: (_kind, object) => {
        events.push(`removed ${nameOf(object)}`);
        held.delete(nameOf(object));
      },
      trouble: (_kind, message) => troubles.push(message),
    }, { watchSeconds: 2, minBackoffMs: 100 });
    let synced = false;
    const running = watch.run(() => (synced = true));
    t.after(async () => {
      watch.stop();
      await running;
    });
    await within(10_000, 'the first list', () => synced);
    assert.ok(held.has('watched/before'));

    // A change the watch sees, then writes to another kind only: the watch's version stays that change's.
    await create('seen');
    await within(5_000, 'the watch sees the new ConfigMap', () => held.has('watched/seen'));
    const seenAt = Number(watch.resourceVersion);
    for (let index = 0; index < 5; index++) {
      const created = await cluster.request('admin', 'POST', '/api/v1/namespaces/watched/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: `bump-${index}` }, data: {} });
      assert.equal(created.status, 201, created.text);
    }
    // etcd forgets every revision before the latest: resuming from the ConfigMap's version is now too old.
    const header = (await etcd(cluster.etcdUrl, '/v3/kv/range', { key: Buffer.from('/').toString('base64') }))['header'] as { revision: string };
    const revision = Number(header.revision);
    assert.ok(revision > seenAt, `etcd's revision ${revision} is past the watch's ${seenAt}`);
    await etcd(cluster.etcdUrl, '/v3/kv/compaction', { revision: String(revision), physical: true });

    // The watch ends after 2 s, resumes from the compacted version, gets 410 Gone, and lists again.
    await within(15_000, 'a list after 410 Gone', () => watch.relists > 0);
    assert.equal(watch.relists, 1);
    await create('after');
    await within(5_000, 'the watch sees the ConfigMap made after the relist', () => held.has('watched/after'));

    // What it holds is what the API server holds, each at its current version; nothing was lost or seen twice.
    const listed = await cluster.request('admin', 'GET', '/api/v1/configmaps');
    const expected = new Map((listed.json as { items: Record<string, unknown>[] }).items.map((item) => [nameOf(item), (item['metadata'] as { resourceVersion: string }).resourceVersion]));
    assert.deepEqual(new Map([...held].sort()), new Map([...expected].sort()));
    assert.deepEqual(events.filter((event) => event.startsWith('changed watched/')), ['changed watched/seen', 'changed watched/after']);
    assert.equal(events.filter((event) => event.startsWith('replaced')).length, 2, events.join(', '));
    assert.deepEqual(troubles, []);
  });
});
