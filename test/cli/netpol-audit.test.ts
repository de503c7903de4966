/**
 * `kubeharden netpol audit`: Hubble flows against NetworkPolicies. A small shop (web, cache, db; db admits web on
 * 5432 and, by a stale rule, on 6379) and crafted flows: allowed traffic, a dropped probe, a flow forwarded against
 * the policy, and a connection the baseline has not seen.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli-process.js';
import { tempDir } from '../support/temp-dir.js';

const APP = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web:1}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cache
  namespace: shop
spec:
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec:
      containers: [{name: cache, image: cache:1}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: db
  namespace: shop
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: db:1, ports: [{containerPort: 5432}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db
  namespace: shop
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress]
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: 5432}]
  - from: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: 6379}]
`;

function flow(verdict: string, from: string, to: string, port: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ flow: { verdict, source: { namespace: 'shop', labels: [`k8s:app=${from}`], pod_name: `${from}-7d4b9-x2k` }, destination: { namespace: 'shop', labels: [`k8s:app=${to}`], pod_name: `${to}-5c8f-abcd` }, l4: { TCP: { destination_port: port } }, traffic_direction: 'INGRESS', ...extra } });
}

const FLOWS = [
  flow('FORWARDED', 'web', 'db', 5432),
  flow('FORWARDED', 'web', 'db', 5432, { is_reply: false }),
  flow('DROPPED', 'cache', 'db', 5432, { drop_reason_desc: 'POLICY_DENIED' }),
  flow('FORWARDED', 'cache', 'db', 5432),
  flow('FORWARDED', 'web', 'cache', 8080),
  flow('FORWARDED', 'db', 'web', 40000, { is_reply: true }),
];

interface JsonReport {
  findings: { controlId: string; location: { file: string; line: number }; field: string; message: string }[];
}

function setUp(t: Parameters<typeof tempDir>[1]): { dir: string; app: string; flows: string } {
  const dir = tempDir('netpol-audit', t);
  const app = join(dir, 'app.yaml');
  writeFileSync(app, APP);
  const flows = join(dir, 'flows.json');
  writeFileSync(flows, `${FLOWS.join('\n')}\n`);
  return { dir, app, flows };
}

describe('kubeharden netpol audit', () => {
  it('reports flows the policies deny (dropped and forwarded) and the allow rule no flow used', (t) => {
    const { app, flows } = setUp(t);
    const result = runCli(['netpol', 'audit', app, '--flows', flows, '-o', 'json']);
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.deepEqual(
      report.findings.map((finding) => [finding.controlId, finding.location.line, finding.field, finding.message]),
      [
        ['NETPOL-FLOW-DENIED', 33, 'metadata.name', 'shop/cache -> shop/db TCP/5432 was dropped (POLICY_DENIED): ingress of shop/db is isolated by shop/db and no rule allows it (flow line 3)'],
        ['NETPOL-FLOW-DENIED', 33, 'metadata.name', 'shop/cache -> shop/db TCP/5432 was forwarded although ingress of shop/db is isolated by shop/db and no rule allows it (flow line 4)'],
        ['NETPOL-RULE-UNUSED', 53, 'spec.ingress[1]', 'ingress rule 2 of shop/db (1 peer, 1 port entry) allowed no observed flow'],
      ],
    );
  });

  it('records a flow baseline and then reports only connections new since it', (t) => {
    const { dir, app, flows } = setUp(t);
    const baseline = join(dir, 'baseline.json');
    const first = runCli(['netpol', 'audit', app, '--flows', flows, '--write-flows-baseline', baseline, '--fail-on', 'none']);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(JSON.parse(readFileSync(baseline, 'utf8')), { kind: 'kubeharden.io/flow-baseline', connections: ['shop/cache -> shop/db TCP/5432', 'shop/web -> shop/cache TCP/8080', 'shop/web -> shop/db TCP/5432'] });
    writeFileSync(flows, `${[...FLOWS, flow('FORWARDED', 'web', 'db', 6379), flow('FORWARDED', 'cache', 'web', 8080)].join('\n')}\n`);
    const second = runCli(['netpol', 'audit', app, '--flows', flows, '--flows-baseline', baseline, '-o', 'json', '--fail-on', 'none']);
    assert.equal(second.code, 0, second.stderr);
    const report = JSON.parse(second.stdout) as JsonReport;
    assert.deepEqual(report.findings.filter((finding) => finding.controlId === 'NETPOL-FLOW-NEW').map((finding) => finding.message), [
      'shop/web -> shop/db TCP/6379 is not in the baseline (first seen at flow line 7)',
      'shop/cache -> shop/web TCP/8080 is not in the baseline (first seen at flow line 8)',
    ]);
    // The 6379 rule is used now.
    assert.equal(report.findings.filter((finding) => finding.controlId === 'NETPOL-RULE-UNUSED').length, 0);
  });

  it('writes SARIF like every report', (t) => {
    const { app, flows } = setUp(t);
    const result = runCli(['netpol', 'audit', app, '--flows', flows, '-o', 'sarif']);
    const sarif = JSON.parse(result.stdout) as { runs: { results: { ruleId: string }[] }[] };
    assert.deepEqual(sarif.runs[0]?.results.map((entry) => entry.ruleId).sort(), ['NETPOL-FLOW-DENIED', 'NETPOL-FLOW-DENIED', 'NETPOL-RULE-UNUSED']);
  });

  it('says what is missing, exit 2', (t) => {
    const { app, dir } = setUp(t);
    assert.equal(runCli(['netpol', 'audit', app]).code, 2);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"connections": 1}');
    const result = runCli(['netpol', 'audit', app, '--flows', bad, '--flows-baseline', bad]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /is not a flow baseline/);
  });
});
