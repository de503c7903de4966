/** `runNetpolReach` and `runNetpolGenerate`: every output format, explain, selectors, exit codes and usage errors. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runNetpolGenerate, runNetpolReach } from '../../src/cli/netpol-command.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { parseXml, type XmlElement } from '../support/xml.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('netpol');
const app = join(dir, 'app.yaml');
const deployment = (name: string, namespace: string, port: number, env: object[] = []) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: c
        image: x
        ports: [{name: main, containerPort: ${port}}]
        env: ${JSON.stringify(env)}
`;
writeFileSync(
  app,
  [
    deployment('web', 'frontend', 8080, [{ name: 'DB_URL', value: 'postgres://db.payments:5432/shop' }]),
    deployment('db', 'payments', 5432),
    `apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: payments}\nspec:\n  selector: {app: db}\n  ports: [{port: 5432, targetPort: main}]\n`,
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: frontend}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  egress: [{ports: [{port: 5432}]}]\n`,
  ].join('---\n'),
);
const out = (name: string) => join(dir, name);

function findAll(element: XmlElement, name: string): XmlElement[] {
  return [...(element.name === name ? [element] : []), ...element.children.flatMap((child) => findAll(child, name))];
}

describe('netpol reach', () => {
  it('table: matrix, connections and the unintended opening, exit 1', async () => {
    assert.equal(await runNetpolReach([app], { format: 'table', output: out('reach.txt') }), 1);
    const text = readFileSync(out('reach.txt'), 'utf8');
    assert.match(text, /Connectivity matrix/);
    assert.match(text, /frontend\/web -> payments\/db : TCP 5432/);
    assert.match(text, /frontend\/web can reach payments\/db: TCP 5432 \(no NetworkPolicy isolates payments\/db for Ingress/);
    assert.doesNotMatch(text, /payments\/db -> frontend\/web/);
  });

  it('json with --from, --to and --port', async () => {
    await runNetpolReach([app], { format: 'json', from: 'frontend/*', to: 'app=db', port: 'tcp/5432', output: out('reach.json') });
    const json = JSON.parse(readFileSync(out('reach.json'), 'utf8'));
    assert.deepEqual(json.connections.filter((c: { from: string; to: string }) => c.from === 'frontend/web' && c.to === 'payments/db'), [{ from: 'frontend/web', to: 'payments/db', connections: 'TCP 5432', ports: { TCP: [[5432, 5432]] } }]);
    assert.equal(json.endpoints.find((e: { name: string }) => e.name === 'frontend/web').isolated.egress, true);
  });

  it('dot: a digraph with the opening in red', async () => {
    await runNetpolReach([app], { format: 'dot', output: out('reach.dot') });
    const dot = readFileSync(out('reach.dot'), 'utf8');
    assert.match(dot, /^digraph reachability \{/);
    assert.match(dot, /"frontend\/web" -> "payments\/db" \[label="TCP 5432", color=red\];/);
  });

  it('html: well-formed, self-contained, with the matrix', async () => {
    await runNetpolReach([app], { format: 'html', output: out('reach.html') });
    const html = readFileSync(out('reach.html'), 'utf8');
    const document = parseXml(html.replace(/^<!DOCTYPE html>\n/, ''));
    assert.equal(findAll(document, 'head').length, 1);
    assert.equal(findAll(document, 'body').length, 1);
    assert.equal(findAll(document, 'script').length, 0);
    assert.doesNotMatch(html, /\b(src|href)=/);
    assert.ok(findAll(document, 'td').some((cell) => cell.text === 'TCP 5432'));
  });

  it('explain names the rule that allows and the side that does not restrict', async () => {
    assert.equal(await runNetpolReach([app], { format: 'table', explain: 'frontend/web->payments/db:5432', output: out('explain.txt') }), 0);
    const text = readFileSync(out('explain.txt'), 'utf8');
    assert.match(text, /^frontend\/web -> payments\/db TCP 5432: ALLOWED/);
    assert.match(text, /frontend\/deny egress\[0\] allows it/);
    await runNetpolReach([app], { format: 'table', explain: 'frontend/web->payments/db:udp/53', output: out('explain2.txt') });
    assert.match(readFileSync(out('explain2.txt'), 'utf8'), /DENIED[\s\S]*allows TCP 5432, not UDP 53/);
  });

  it('usage errors', async () => {
    await assert.rejects(runNetpolReach([], { format: 'table' }), UsageError);
    await assert.rejects(runNetpolReach([app], { format: 'xml' as 'table' }), UsageError);
    await assert.rejects(runNetpolReach([app], { format: 'table', port: 'http' }), UsageError);
    await assert.rejects(runNetpolReach([app], { format: 'table', from: 'nowhere/x' }), UsageError);
    await assert.rejects(runNetpolReach([app], { format: 'table', explain: 'frontend/web' }), UsageError);
    await assert.rejects(runNetpolReach([app], { format: 'table', cluster: true }), UsageError);
  });
});

describe('netpol generate', () => {
  it('writes commented policies that allow the URL the web workload names', async () => {
    assert.equal(await runNetpolGenerate([app], { output: out('policies.yaml') }), 0);
    const text = readFileSync(out('policies.yaml'), 'utf8');
    assert.match(text, /# frontend\/web: env DB_URL=postgres:\/\/db.payments:5432\/shop of container c names Service payments\/db port 5432\n {2}- from:/);
    assert.match(text, /kubernetes.io\/metadata.name: frontend/);
    assert.match(text, /port: main/);
  });
  it('usage errors', async () => {
    await assert.rejects(runNetpolGenerate([], {}), UsageError);
    await assert.rejects(runNetpolGenerate([app], { noInfer: true }), UsageError);
    await assert.rejects(runNetpolGenerate([app], { fromFlows: out('missing.json') }), UsageError);
  });
});
