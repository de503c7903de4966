/**
 * Credentials in the input never reach what kubeharden writes: exec command lines in `audit detect` (every format),
 * env and ConfigMap values quoted in `netpol generate` comments, and audit log lines that are not JSON.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CLI, PROJECT_ROOT } from '../support/paths.js';
import { checkJsonOutputs } from '../support/json-outputs.js';

const SECRETS = ['S3cretMysql', 'S3cretCurl', 'S3cretBearer99', 'S3cretFlag', 'S3cretUrl', 'S3cretApiKey', 'S3cretJdbc', 'S3cretEnv', 'S3cretLine'];

const dir = mkdtempSync(join(tmpdir(), 'kubeharden-redact-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function kubeharden(args: readonly string[]) {
  const result = spawnSync(CLI, args, { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '1' } });
  checkJsonOutputs(args, { code: result.status, stdout: result.stdout }, PROJECT_ROOT, process.env);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function assertNoSecret(text: string, what: string): void {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `${what} leaks ${secret}: ${text.slice(Math.max(0, text.indexOf(secret) - 80), text.indexOf(secret) + 20)}`);
}

const exec = (id: string, command: string[]) => ({
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'Metadata',
  stage: 'ResponseComplete',
  auditID: id,
  verb: 'create',
  user: { username: 'mallory', groups: ['system:authenticated'] },
  sourceIPs: ['203.0.113.7'],
  requestURI: `/api/v1/namespaces/shop/pods/db-0/exec?${command.map((part) => `command=${encodeURIComponent(part)}`).join('&')}&container=db&stdin=true`,
  objectRef: { resource: 'pods', subresource: 'exec', namespace: 'shop', name: 'db-0', apiVersion: 'v1' },
  responseStatus: { code: 101 },
  stageTimestamp: '2026-03-01T10:00:00Z',
  annotations: { 'authorization.k8s.io/decision': 'allow' },
});

describe('credentials are redacted in what kubeharden writes', () => {
  const log = join(dir, 'audit.log');
  writeFileSync(
    log,
    [
      exec('e1', ['mysql', '-uroot', '-pS3cretMysql', 'shop']),
      exec('e2', ['curl', '-u', 'admin:S3cretCurl', 'https://example.com/tool.sh']),
      exec('e3', ['curl', '-H', 'Authorization: Bearer S3cretBearer99', 'http://169.254.169.254/latest/meta-data/']),
      exec('e4', ['app', '--password=S3cretFlag']),
      exec('e5', ['psql', 'postgres://app:S3cretUrl@db:5432/shop']),
    ]
      .map((event) => JSON.stringify(event))
      .concat('mysql -uroot -pS3cretLine shop')
      .join('\n') + '\n',
  );

  for (const format of ['table', 'json', 'sarif', 'junit', 'html', 'markdown', 'policyreport']) {
    it(`audit detect --format ${format} shows the commands without their credentials`, () => {
      const result = kubeharden(['audit', 'detect', log, '--format', format]);
      assert.equal(result.code, 2, `the bad line makes the run incomplete: ${result.stderr}`);
      assertNoSecret(result.stdout + result.stderr, format);
      if (format === 'table' || format === 'json') {
        // The evidence stays useful: the command, the flag, the user, the host.
        for (const evidence of ['-p***', 'admin:***', 'Bearer ***', '--password=***', 'app:***@db']) assert.ok(result.stdout.includes(evidence), `${format} shows ${evidence}`);
      }
    });
  }

  it('a line that is not JSON is named by line and column, not quoted', () => {
    const result = kubeharden(['audit', 'detect', log, '--format', 'json']);
    const errors = (JSON.parse(result.stdout) as { errors: { line: number; column: number; message: string }[] }).errors;
    assert.deepEqual(errors.map(({ line, column }) => [line, column]), [[6, 1]]);
    assert.match(errors[0]?.message ?? '', /^not JSON: Unexpected token 'm'$/);
  });

  it('a --baseline that is not JSON is refused without quoting it', () => {
    const baseline = join(dir, 'baseline.json');
    writeFileSync(baseline, 'mysql -uroot -pS3cretLine shop\n');
    const result = kubeharden(['scan', 'examples/', '--baseline', baseline]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot read baseline .*baseline\.json: not JSON: Unexpected token 'm'/);
    assertNoSecret(result.stdout + result.stderr, '--baseline');
  });

  it('netpol generate quotes env and ConfigMap values in its comments without their credentials', () => {
    const manifests = join(dir, 'app.yaml');
    writeFileSync(
      manifests,
      `apiVersion: v1
kind: Service
metadata: {name: orders, namespace: shop}
spec:
  selector: {app: orders}
  ports: [{port: 8080}, {name: db, port: 3306}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: orders, namespace: shop}
spec:
  selector: {matchLabels: {app: orders}}
  template:
    metadata: {labels: {app: orders}}
    spec:
      containers: [{name: orders, image: orders:1, ports: [{containerPort: 8080}, {containerPort: 3306}]}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data:
  DATABASE_URL: "jdbc:mysql://orders:3306/shop?user=app&password=S3cretJdbc"
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: web:1
        env:
        - {name: ORDERS_URL, value: "http://orders:8080/?api_key=S3cretApiKey"}
        - {name: ORDERS_PASSWORD, value: "S3cretEnv"}
        envFrom: [{configMapRef: {name: web-config}}]
`,
    );
    const result = kubeharden(['netpol', 'generate', manifests]);
    assert.equal(result.code, 0, result.stderr);
    assertNoSecret(result.stdout + result.stderr, 'netpol generate');
    assert.match(result.stdout, /# .*api_key=\*\*\*/, 'the URL is still named, without its key');
    assert.match(result.stdout, /# .*password=\*\*\*/, 'the JDBC URL is still named, without its password');
  });
});
