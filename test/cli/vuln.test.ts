/**
 * `kubeharden vuln` end to end, through the compiled CLI: an image pushed to the real registry, run by two
 * workloads (one internet-facing, as root, with a token that reads Secrets cluster-wide; one isolated, non-root,
 * tokenless), matched against the real npm OSV records of ../shared/vuln/advisories/npm: the same advisory ranks
 * differently for each, shows in every report format, and --fail-on-priority gates on it. An image that cannot be
 * read is an error for it alone.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCliAsync } from '../support/cli-process.js';
import { cycloneDxValidator } from '../support/cyclonedx-schema.js';
import { image, layer, push } from '../support/oci-images.js';
import { needsShared, sharedPath } from '../support/paths.js';
import { startRegistry, type Registry } from '../support/registry-harness.js';
import { tempDir } from '../support/temp-dir.js';

const LOCK = JSON.stringify({
  name: 'web',
  version: '1.0.0',
  lockfileVersion: 3,
  packages: {
    '': { name: 'web', version: '1.0.0' },
    'node_modules/lodash': { version: '4.17.20' },
    'node_modules/minimist': { version: '1.2.5' },
  },
});

function manifests(host: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: ${host}/shop/web:1
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-reader}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: web-reads-secrets}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: nightly, namespace: batch}
spec:
  template:
    metadata: {labels: {app: nightly}}
    spec:
      automountServiceAccountToken: false
      securityContext: {runAsNonRoot: true, runAsUser: 1000}
      containers:
        - name: nightly
          image: ${host}/shop/web:1
        - name: gone
          image: ${host}/shop/missing:1
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: batch}
spec: {podSelector: {}, policyTypes: [Ingress]}
`;
}

interface JsonFinding {
  resource: { kind: string; namespace: string; name: string };
  location: { line: number };
  severity: string;
  vulnerability: { id: string; aliases: string[]; package: { name: string; version: string }; fixedVersion: string; layer: string; priority: number; exposure: string[]; severity: { vector: string; score: number }[] };
}

describe('kubeharden vuln', { skip: needsShared }, () => {
  let registry: Registry | undefined;
  let skip: string | undefined;
  let dir = '';
  let npmLayer = '';
  before(async () => {
    const started = await startRegistry('anonymous');
    if ('skip' in started) {
      skip = started.skip;
      return;
    }
    registry = started;
    dir = tempDir('vuln-cli');
    const app = await layer([
      { path: 'app/package-lock.json', content: LOCK },
    ]);
    npmLayer = app.digest;
    await push(registry, 'shop/web', '1', [image([await layer([{ path: 'etc/hostname', content: 'web' }]), app])]);
    writeFileSync(join(dir, 'app.yaml'), manifests(registry.host));
  });
  after(() => registry?.stop());

  const vuln = (args: string[]) => runCliAsync(['vuln', join(dir, 'app.yaml'), '--db', sharedPath('vuln', 'advisories', 'npm'), '--cache-dir', join(dir, 'cache'), ...args]);

  it('ranks the same advisory by the exposure of each workload that runs it', async (t) => {
    if (!registry) return t.skip(skip);
    const result = await vuln(['-o', 'json', '--fail-on', 'none']);
    const report = JSON.parse(result.stdout) as { findings: JsonFinding[]; errors: { file: string; message: string }[] };
    const rows = report.findings.map((f) => [f.resource.kind, f.resource.namespace, f.resource.name, f.vulnerability.id, f.vulnerability.package.name, f.vulnerability.package.version, f.vulnerability.fixedVersion, f.severity, f.vulnerability.priority, f.vulnerability.exposure.join(', ')]);
    assert.deepEqual(rows, [
      ['Deployment', 'shop', 'web', 'GHSA-xvch-5gv4-984h', 'minimist', '1.2.5', '1.2.6', 'critical', 89, 'internet-reachable (Service web of type LoadBalancer), runs as root, token can read Secrets cluster-wide'],
      ['Job', 'batch', 'nightly', 'GHSA-xvch-5gv4-984h', 'minimist', '1.2.5', '1.2.6', 'critical', 49, 'not exposed: no outside reachability, privileges or token rights found'],
    ]);
    const web = report.findings[0]!;
    assert.deepEqual(web.vulnerability.aliases, ['CVE-2021-44906']);
    assert.equal(web.vulnerability.layer, npmLayer);
    assert.deepEqual(web.vulnerability.severity.map((s) => [s.vector, s.score]), [['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8]]);
    assert.equal(web.location.line, 12, 'the finding points at the container image line');
    // lodash 4.17.20 is the fixed version of GHSA-p6mc-m468-83gw: no finding. The missing image is an error of its own.
    assert.deepEqual(report.errors.map((e) => [e.file, e.message]), [[`${registry.host}/shop/missing:1`, `${registry.host}/shop/missing:1: ${registry.host} answered 404 (MANIFEST_UNKNOWN: manifest unknown)`]]);
    assert.equal(result.code, 2, 'an image that could not be read makes the scan incomplete');
  });

  it('shows the findings in every report format', async (t) => {
    if (!registry) return t.skip(skip);
    for (const format of ['table', 'sarif', 'markdown', 'junit', 'html']) {
      const result = await vuln(['-o', format, '--fail-on', 'none']);
      assert.match(result.stdout, /GHSA-xvch-5gv4-984h/, format);
      assert.match(result.stdout, /CVE-2021-44906/, format);
      assert.match(result.stdout, /minimist 1\.2\.5/, format);
      assert.match(result.stdout, /priority 89/, format);
    }
  });

  it('--fail-on-priority fails on the exposed workload only', async (t) => {
    if (!registry) return t.skip(skip);
    const only = ['--image', `${registry.host}/shop/web:1`];
    const low = await runCliAsync(['vuln', ...only, '--db', sharedPath('vuln', 'advisories', 'npm'), '--no-cache', '--fail-on', 'none', '--fail-on-priority', '50', '-o', 'json']);
    assert.equal(low.code, 0, 'no workload runs it: priority 49 from the advisory alone');
    const high = await runCliAsync(['vuln', ...only, '--db', sharedPath('vuln', 'advisories', 'npm'), '--no-cache', '--fail-on', 'none', '--fail-on-priority', '49', '-o', 'json']);
    assert.equal(high.code, 1);
  });

  it('matches the packages of an SBOM, reported on the SBOM itself', async (t) => {
    if (!registry) return t.skip(skip);
    const sbom = join(dir, 'bom.json');
    writeFileSync(sbom, JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, components: [{ type: 'library', name: 'minimist', version: '1.2.5', purl: 'pkg:npm/minimist@1.2.5' }, { type: 'library', name: 'lodash', version: '4.17.21', purl: 'pkg:npm/lodash@4.17.21' }] }));
    const result = await runCliAsync(['vuln', '--sbom', sbom, '--db', sharedPath('vuln', 'advisories', 'npm'), '--fail-on', 'critical', '-o', 'json']);
    const report = JSON.parse(result.stdout) as { findings: JsonFinding[] };
    assert.deepEqual(report.findings.map((f) => [f.resource.kind, f.resource.name, f.vulnerability.id, f.vulnerability.package.name, f.vulnerability.priority]), [['SBOM', sbom, 'GHSA-xvch-5gv4-984h', 'minimist', 49]]);
    assert.equal(result.code, 1);
  });

  it('vuln sbom writes the image as a CycloneDX 1.6 SBOM, which vuln --sbom matches as it matches the image', async (t) => {
    if (!registry) return t.skip(skip);
    const reference = `${registry.host}/shop/web:1`;
    const file = join(dir, 'web.cdx.json');
    const written = await runCliAsync(['vuln', 'sbom', reference, '--cache-dir', join(dir, 'cache'), '--output', file]);
    assert.equal(written.code, 0, written.stderr);
    assert.equal(written.stderr, '');
    assert.equal(written.stdout, '');
    const document = JSON.parse(readFileSync(file, 'utf8')) as { metadata: { timestamp: string; component: { name: string } }; components: { name: string; version: string; purl: string }[] };
    assert.deepEqual(cycloneDxValidator()(document), []);
    assert.equal(document.metadata.component.name, reference);
    assert.deepEqual(document.components.map((component) => component.purl), ['pkg:npm/lodash@4.17.20', 'pkg:npm/minimist@1.2.5']);
    // Read back: the image's finding, from the layer the image has the package in.
    const fromSbom = await runCliAsync(['vuln', '--sbom', file, '--db', sharedPath('vuln', 'advisories', 'npm'), '--fail-on', 'none', '-o', 'json']);
    const report = JSON.parse(fromSbom.stdout) as { findings: JsonFinding[] };
    assert.deepEqual(report.findings.map((f) => [f.vulnerability.id, f.vulnerability.package.name, f.vulnerability.package.version, f.vulnerability.fixedVersion, f.vulnerability.layer]), [['GHSA-xvch-5gv4-984h', 'minimist', '1.2.5', '1.2.6', npmLayer]]);
    // Standard output by default: the same document, but for the time it was made.
    const printed = await runCliAsync(['vuln', 'sbom', reference, '--no-cache']);
    assert.equal(printed.code, 0, printed.stderr);
    const untimed = (text: string) => JSON.stringify({ ...JSON.parse(text), metadata: { ...JSON.parse(text).metadata, timestamp: undefined } });
    assert.equal(untimed(printed.stdout), untimed(readFileSync(file, 'utf8')));
  });

  it('vuln sbom of an image it cannot read: exit 2, one line that names it, no document', async (t) => {
    if (!registry) return t.skip(skip);
    const result = await runCliAsync(['vuln', 'sbom', `${registry.host}/shop/missing:1`, '--no-cache']);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, `kubeharden: ${registry.host}/shop/missing:1: ${registry.host} answered 404 (MANIFEST_UNKNOWN: manifest unknown)\n`);
  });
});

describe('kubeharden vuln table with one control', { skip: needsShared }, () => {
  it('counts one control in the singular: header, score and section lines', async (t) => {
    const sbom = join(tempDir('vuln-one-control', t), 'bom.json');
    writeFileSync(sbom, JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, components: [{ type: 'library', name: 'minimist', version: '1.2.5', purl: 'pkg:npm/minimist@1.2.5' }, { type: 'library', name: 'lodash', version: '4.17.21', purl: 'pkg:npm/lodash@4.17.21' }] }));
    const result = await runCliAsync(['vuln', '--sbom', sbom, '--db', sharedPath('vuln', 'advisories', 'npm'), '--fail-on', 'none']);
    // It said "1 controls", "over 1 assessed controls" and "1 of 1 controls assessed".
    assert.match(result.stdout, /^kubeharden \S+ · Kubernetes \S+ · framework nsa · 1 control\n/);
    assert.match(result.stdout, /\nCompliance score: 50% \(severity-weighted 50%\) over 1 assessed control\.\n/);
    assert.match(result.stdout, /\n {2}Kubernetes Pod security: 50% \(weighted 50%, 1 of 1 control assessed\)\n/);
  });
});
