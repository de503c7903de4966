/**
 * `kubeharden serve` end to end, as a process against a real kube-apiserver: /healthz, /readyz, /metrics in a
 * valid exposition, and the SQLite history following a change within 2 s; a restart reconciles with the history
 * instead of writing findings twice.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';
import { startServe, within, type ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { useCluster } from '../support/use-cluster.js';

const PRIVILEGED = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', securityContext: { privileged: true } }] } },
  },
};

interface Row {
  control_id: string;
  namespace: string | null;
  name: string | null;
  first_seen: number;
  last_seen: number;
  resolved_at: number | null;
}

describe('kubeharden serve as a process (real API server, SQLite history)', { timeout: 300_000 }, () => {
  let serve: ServeProcess | undefined;
  let database = '';

  const shared = useCluster({ profile: 'insecure' }, async (cluster, onStop) => {
    // The tests start (and restart) serve: whichever runs last is stopped before the cluster.
    onStop(() => serve?.stop());
    await cluster.createNamespace('shop');
    const created = await cluster.request('admin', 'POST', '/apis/apps/v1/namespaces/shop/deployments', PRIVILEGED);
    assert.equal(created.status, 201, created.text);
    database = join(tempDir('serve-history'), 'history.db');
  });

  const rows = (): Row[] => {
    const db = new Database(database, { readonly: true });
    try {
      return db.prepare("SELECT control_id, namespace, name, first_seen, last_seen, resolved_at FROM kh_findings WHERE control_id = 'POD-NO-PRIVILEGED'").all() as Row[];
    } finally {
      db.close();
    }
  };

  it('answers /healthz, then /readyz once the cluster is judged, and /metrics in the exposition format', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    serve = await startServe(['--kubeconfig', cluster.adminKubeconfig, '--database', `sqlite:${database}`, '--listen', '127.0.0.1:0', '--cluster-name', 'test-one', '--reports', 'none', '--support-date', '2026-12-03']);
    assert.equal((await serve.get('/healthz')).status, 200);
    await within(30_000, '/readyz answers 200', async () => (await serve!.get('/readyz')).status === 200);
    const metrics = await serve.get('/metrics');
    assert.equal(metrics.status, 200);
    assert.match(String(metrics.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const { samples, types } = parsePrometheusText(metrics.body);
    assert.equal(types.get('kubeharden_findings'), 'gauge');
    assert.equal(types.get('kubeharden_evaluation_seconds'), 'histogram');
    assert.equal(sampleValue(samples, 'kubeharden_findings', { control: 'POD-NO-PRIVILEGED', namespace: 'shop', cluster: 'test-one', severity: 'high' }), 1);
    assert.equal(sampleValue(samples, 'kubeharden_ready', { cluster: 'test-one' }), 1);
    assert.equal(sampleValue(samples, 'kubeharden_objects', { kind: 'Deployment' }), 1);
    const score = sampleValue(samples, 'kubeharden_score', { kind: 'plain' });
    assert.ok(score !== undefined && score > 0 && score < 100, `score ${score}`);
    assert.ok((sampleValue(samples, 'kubeharden_watch_lag_seconds', { kind: 'Pod' }) ?? -1) >= 0);
    const open = rows();
    assert.equal(open.length, 1);
    assert.equal(open[0]!.resolved_at, null);
    assert.equal(open[0]!.name, 'web');
  });

  it('a fix is seen in /metrics and resolved in the history within 2 s', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const fixed = await cluster.request('admin', 'PATCH', '/apis/apps/v1/namespaces/shop/deployments/web', [{ op: 'remove', path: '/spec/template/spec/containers/0/securityContext' }]);
    assert.equal(fixed.status, 200, fixed.text);
    const took = await within(2000, 'the finding leaves /metrics and is resolved in the history', async () => {
      const { samples } = parsePrometheusText((await serve!.get('/metrics')).body);
      return sampleValue(samples, 'kubeharden_findings', { control: 'POD-NO-PRIVILEGED', namespace: 'shop' }) === undefined && rows()[0]?.resolved_at !== null;
    });
    t.diagnostic(`followed in ${took} ms`);
    const [row] = rows();
    assert.ok(row!.resolved_at! >= row!.first_seen);
    const { samples } = parsePrometheusText((await serve!.get('/metrics')).body);
    assert.ok((sampleValue(samples, 'kubeharden_event_to_report_seconds_count') ?? 0) >= 1);
  });

  it('after a restart, open findings are kept (not written twice) and a finding that comes back is a new occurrence', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    assert.equal(await serve!.stop(), 0);
    const restored = await cluster.request('admin', 'PATCH', '/apis/apps/v1/namespaces/shop/deployments/web', [{ op: 'add', path: '/spec/template/spec/containers/0/securityContext', value: { privileged: true } }]);
    assert.equal(restored.status, 200, restored.text);
    const before = new Database(database, { readonly: true });
    const openBefore = (before.prepare('SELECT COUNT(*) AS n FROM kh_findings WHERE resolved_at IS NULL').get() as { n: number }).n;
    before.close();
    serve = await startServe(['--kubeconfig', cluster.adminKubeconfig, '--database', `sqlite:${database}`, '--listen', '127.0.0.1:0', '--cluster-name', 'test-one', '--reports', 'none', '--support-date', '2026-12-03']);
    await within(30_000, '/readyz answers 200', async () => (await serve!.get('/readyz')).status === 200);
    const occurrences = rows();
    assert.equal(occurrences.length, 2, 'the first occurrence stays resolved; the new one is open');
    assert.equal(occurrences.filter((row) => row.resolved_at === null).length, 1);
    const db = new Database(database, { readonly: true });
    const openAfter = (db.prepare('SELECT COUNT(*) AS n FROM kh_findings WHERE resolved_at IS NULL').get() as { n: number }).n;
    const duplicates = db.prepare('SELECT finding_key, COUNT(*) AS n FROM kh_findings WHERE resolved_at IS NULL GROUP BY cluster, finding_key HAVING COUNT(*) > 1').all();
    const migrations = db.prepare('SELECT version FROM kh_schema_migrations ORDER BY version').all();
    db.close();
    assert.equal(openAfter, openBefore + 1);
    assert.deepEqual(duplicates, []);
    assert.deepEqual(migrations, [{ version: 1 }, { version: 2 }]);
  });
});
