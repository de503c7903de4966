/**
 * `--format policyreport` against the real CRDs: Kyverno's wgpolicyk8s.io/v1alpha2 PolicyReport and
 * ClusterPolicyReport, and OpenReports' openreports.io/v1alpha1 Report and ClusterReport, fetched as Go modules.
 *
 * The API server prunes fields a structural schema does not declare, silently. So the CRD schemas are turned into
 * JSON schemas that reject undeclared fields (`additionalProperties: false` wherever the CRD neither declares
 * additionalProperties nor preserves unknown fields): a misspelled field fails here instead of vanishing in the
 * cluster.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { load, loadAll } from 'js-yaml';
import { CONTROLS } from '../../src/controls/index.js';
import { SEVERITIES } from '../../src/vocabulary/severity.js';
import { portablePath } from '../../src/exceptions/fingerprint.js';
import { verdict, type Report } from '../../src/report/report.js';
import {
  MAX_RESULTS_PER_REPORT,
  POLICY_REPORT_APIS,
  renderPolicyReports,
  renderPolicyReportYaml,
  type PolicyReportApi,
  type PolicyReportDocument,
} from '../../src/report/policy-report.js';
import { goModuleDir, needsGo } from '../support/go-module.js';
import { needsShared, sharedPath } from '../support/paths.js';
import { reportForPaths, reportForText } from '../support/report-fixture.js';

/** Where each API's CRDs come from. */
const SOURCES: Record<PolicyReportApi, { module: string; version: string; files: readonly string[] }> = {
  'wgpolicyk8s.io/v1alpha2': {
    module: 'github.com/kyverno/kyverno',
    version: 'v1.19.1',
    files: ['config/crds/policyreport/wgpolicyk8s.io_policyreports.yaml', 'config/crds/policyreport/wgpolicyk8s.io_clusterpolicyreports.yaml'],
  },
  'openreports.io/v1alpha1': {
    module: 'github.com/openreports/reports-api',
    version: 'v0.2.1',
    files: ['config/crd/openreports.io_reports.yaml', 'config/crd/openreports.io_clusterreports.yaml'],
  },
};

const NOW = new Date('2025-06-01T12:34:56.789Z');
/** etcd's default request limit is 1.5 MiB; reports must stay well under it. */
const ETCD_LIMIT = 1.5 * 1024 * 1024;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const goSkip = needsGo();

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A CRD's structural schema as a JSON schema for ajv. Keeps the validating keywords; adds
 * `additionalProperties: false` where the API server would prune unknown fields.
 */
function toJsonSchema(node: unknown): Json {
  if (!isRecord(node)) return {};
  const out: Json = {};
  if (node['x-kubernetes-int-or-string'] === true) {
    out['anyOf'] = [{ type: 'integer' }, { type: 'string' }];
  } else if (typeof node['type'] === 'string') {
    out['type'] = node['nullable'] === true ? [node['type'], 'null'] : node['type'];
  }
  for (const keyword of ['required', 'enum', 'format', 'pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems']) {
    if (node[keyword] !== undefined) out[keyword] = node[keyword];
  }
  if (isRecord(node['properties'])) {
    out['properties'] = Object.fromEntries(Object.entries(node['properties']).map(([key, value]) => [key, toJsonSchema(value)]));
  }
  if (node['items'] !== undefined) out['items'] = toJsonSchema(node['items']);
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (typeof node['additionalProperties'] === 'boolean') out['additionalProperties'] = node['additionalProperties'];
  else if (isRecord(node['additionalProperties'])) out['additionalProperties'] = toJsonSchema(node['additionalProperties']);
  else if (out['properties'] !== undefined && !preserve) out['additionalProperties'] = false;
  return out;
}

interface Crd {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly scope: 'Namespaced' | 'Cluster';
  /** The served version's openAPIV3Schema, as written in the CRD. */
  readonly openApi: Json;
  readonly validate: ValidateFunction;
}

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('int32', { type: 'number', validate: (value: number) => Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isSafeInteger(value) });
  ajv.addFormat('date-time', { type: 'string', validate: (value: string) => !Number.isNaN(Date.parse(value)) });
  return ajv;
}

function loadCrd(ajv: Ajv, file: string, version: string): Crd {
  const crd = load(readFileSync(file, 'utf8')) as Json;
  assert.equal(crd['kind'], 'CustomResourceDefinition', file);
  const spec = crd['spec'] as Json;
  const versions = spec['versions'] as Json[];
  const served = versions.find((entry) => entry['name'] === version && entry['served'] === true);
  assert.ok(served, `${file} serves no version ${version} (it has ${versions.map((entry) => entry['name']).join(', ')})`);
  const openApi = (served['schema'] as Json)['openAPIV3Schema'] as Json;
  return {
    group: spec['group'] as string,
    version,
    kind: (spec['names'] as Json)['kind'] as string,
    scope: spec['scope'] as Crd['scope'],
    openApi,
    validate: ajv.compile(toJsonSchema(openApi)),
  };
}

const crdCache = new Map<PolicyReportApi, Crd[]>();

/** The two CRDs (namespaced, cluster) of an API, from the Go module cache. */
function crdsFor(api: PolicyReportApi): Crd[] {
  let crds = crdCache.get(api);
  if (!crds) {
    const source = SOURCES[api];
    const dir = goModuleDir(source.module, source.version);
    const ajv = newAjv();
    const version = api.split('/')[1] as string;
    crds = source.files.map((file) => loadCrd(ajv, join(dir, file), version));
    crdCache.set(api, crds);
  }
  return crds;
}

/** Everything wrong with an object as the API server would see it; empty when it would be stored as written. */
function problems(api: PolicyReportApi, object: unknown): string[] {
  if (!isRecord(object)) return ['not an object'];
  const crd = crdsFor(api).find((candidate) => candidate.kind === object['kind']);
  if (!crd) return [`kind ${String(object['kind'])} is not one of the ${api} CRDs`];
  const found: string[] = [];
  if (object['apiVersion'] !== `${crd.group}/${crd.version}`) found.push(`apiVersion ${String(object['apiVersion'])} is not ${crd.group}/${crd.version}`);
  if (!crd.validate(object)) {
    for (const error of crd.validate.errors ?? []) found.push(`${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
  }
  const metadata = object['metadata'];
  if (!isRecord(metadata)) return [...found, 'metadata is missing'];
  const name = metadata['name'];
  if (typeof name !== 'string' || name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) found.push(`metadata.name ${JSON.stringify(name)} is not a DNS-1123 subdomain`);
  const namespace = metadata['namespace'];
  if (crd.scope === 'Namespaced') {
    if (typeof namespace !== 'string' || namespace.length > 63 || !DNS1123_LABEL.test(namespace)) found.push(`metadata.namespace ${JSON.stringify(namespace)} is not a DNS-1123 label`);
  } else if (namespace !== undefined) {
    found.push(`cluster-scoped ${crd.kind} has metadata.namespace ${JSON.stringify(namespace)}`);
  }
  for (const field of ['labels', 'annotations']) {
    const map = metadata[field];
    if (map === undefined) continue;
    if (!isRecord(map)) found.push(`metadata.${field} is not a map`);
    else for (const [key, value] of Object.entries(map)) if (typeof value !== 'string') found.push(`metadata.${field}.${key} is not a string`);
  }
  if (isRecord(metadata['labels'])) {
    for (const [key, value] of Object.entries(metadata['labels'])) {
      if (typeof value === 'string' && (value.length > 63 || !LABEL_VALUE.test(value))) found.push(`label ${key}=${value} is not a valid label value`);
    }
  }
  const bytes = Buffer.byteLength(JSON.stringify(object));
  if (bytes > ETCD_LIMIT * 0.8) found.push(`${bytes} bytes: too close to etcd's limit`);
  return found;
}

function assertValid(api: PolicyReportApi, objects: readonly unknown[]): void {
  for (const object of objects) {
    const found = problems(api, object);
    const where = isRecord(object) && isRecord(object['metadata']) ? `${String(object['kind'])} ${String(object['metadata']['namespace'] ?? '')}/${String(object['metadata']['name'])}` : 'object';
    assert.deepEqual(found, [], `${where} does not validate against the ${api} CRD:\n${found.slice(0, 20).join('\n')}`);
  }
}

function clusterKind(api: PolicyReportApi): string {
  return api === 'wgpolicyk8s.io/v1alpha2' ? 'ClusterPolicyReport' : 'ClusterReport';
}

function namespacedKind(api: PolicyReportApi): string {
  return api === 'wgpolicyk8s.io/v1alpha2' ? 'PolicyReport' : 'Report';
}

/** The checks every rendering must pass, whatever the input. */
function assertConsistent(api: PolicyReportApi, report: Report, documents: readonly PolicyReportDocument[]): void {
  assertValid(api, documents);
  assert.ok(documents.length >= 1, 'at least one report object');
  assert.equal(documents[0]?.kind, clusterKind(api), 'the cluster report comes first and always exists');
  const names = new Set<string>();
  for (const document of documents) {
    const key = `${document.metadata.namespace ?? ''}/${document.metadata.name}`;
    assert.ok(!names.has(key), `two report objects named ${key}`);
    names.add(key);
    if (document.kind === clusterKind(api)) assert.equal(document.metadata.namespace, undefined);
    else {
      assert.equal(document.kind, namespacedKind(api));
      assert.ok(document.metadata.namespace, `${document.kind} ${document.metadata.name} has a namespace`);
    }
    assert.equal(document.metadata.labels['app.kubernetes.io/managed-by'], 'kubeharden');
    assert.ok(document.results.length <= MAX_RESULTS_PER_REPORT, `${key}: ${document.results.length} results`);
    const summary = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
    for (const result of document.results) {
      summary[result.result]++;
      assert.equal(result.source, 'kubeharden');
      assert.deepEqual(result.timestamp, { seconds: Math.floor(NOW.getTime() / 1000), nanos: 789_000_000 });
      for (const [key, value] of Object.entries(result.properties)) assert.equal(typeof value, 'string', `property ${key} is a string`);
      for (const resource of result.resources ?? []) {
        // The resource sits in the report of its own namespace; cluster-scoped ones in the cluster report.
        assert.equal(resource.namespace, document.metadata.namespace, `${resource.kind}/${resource.name} in ${key}`);
      }
    }
    assert.deepEqual(document.summary, summary, `${key}: summary counts its results`);
  }
  const results = documents.flatMap((document) => document.results);
  const missing = report.notAssessed?.length ?? 0;
  assert.equal(results.length, report.findings.length + report.errors.length + missing, 'one result per finding, input error and part not assessed');
  const fromFindings = results.filter((result) => result.result === 'fail' || result.result === 'skip');
  assert.deepEqual(
    fromFindings.map((result) => result.properties['fingerprint']).sort(),
    report.findings.map((finding) => finding.fingerprint).sort(),
    'every finding is reported once',
  );
  assert.equal(results.filter((result) => result.result === 'skip').length, report.summary.suppressed);
  assert.equal(results.filter((result) => result.result === 'fail').length, report.summary.open);
  assert.equal(results.filter((result) => result.result === 'error').length, report.errors.length + (report.incomplete ? missing : 0));
  assert.equal(results.filter((result) => result.result === 'warn').length, report.incomplete ? 0 : missing);
  for (const document of documents) assert.equal(document.metadata.annotations['kubeharden.io/verdict'], verdict(report).status);

  // The YAML stream parses back to the same objects, with no anchors or aliases.
  const yaml = renderPolicyReportYaml(report, { api, now: NOW });
  assert.ok(yaml.startsWith('---\n'));
  assert.doesNotMatch(yaml, /^\s*[\w-]+: [&*]ref_/m);
  assert.deepEqual(loadAll(yaml), JSON.parse(JSON.stringify(documents)));
}

describe('policy report CRDs', { skip: goSkip }, () => {
  for (const api of POLICY_REPORT_APIS) {
    test(`${api}: the CRDs declare the enums and fields the renderer relies on`, () => {
      const crds = crdsFor(api);
      assert.deepEqual(crds.map((crd) => crd.scope).sort(), ['Cluster', 'Namespaced']);
      for (const crd of crds) {
        const result = (((crd.openApi['properties'] as Json)['results'] as Json)['items'] as Json)['properties'] as Json;
        // kubeharden's severities map one to one onto the CRD's enum.
        assert.deepEqual([...((result['severity'] as Json)['enum'] as string[])].sort(), [...SEVERITIES].sort());
        assert.deepEqual([...((result['result'] as Json)['enum'] as string[])].sort(), ['error', 'fail', 'pass', 'skip', 'warn']);
        assert.deepEqual(((result['properties'] as Json)['additionalProperties'] as Json)['type'], 'string');
        for (const field of ['source', 'policy', 'rule', 'category', 'timestamp', 'scored', 'resources', 'message']) {
          assert.ok(result[field], `${crd.kind} results declare ${field}`);
        }
        if (api === 'openreports.io/v1alpha1') {
          assert.ok((crd.openApi['properties'] as Json)['source'], `${crd.kind} has a report-level source`);
          assert.ok((crd.openApi['properties'] as Json)['configuration'], `${crd.kind} has configuration`);
        }
      }
    });

    test(`${api}: the validator rejects broken objects`, async () => {
      const report = await reportForPaths(['examples/insecure']);
      const [valid] = renderPolicyReports(report, { api, now: NOW }).filter((document) => document.results.length > 0);
      assert.ok(valid);
      assert.deepEqual(problems(api, valid), []);
      const broken: [string, (object: Json & { results: Json[]; metadata: Json; summary: Json }) => void][] = [
        ['an unknown result value', (object) => void (object.results[0]!['result'] = 'bogus')],
        ['an unknown severity', (object) => void (object.results[0]!['severity'] = 'severe')],
        ['a misspelled result field', (object) => void (object.results[0]!['sevrity'] = 'high')],
        ['a misspelled summary field', (object) => void (object.summary['passed'] = 1)],
        ['an unknown top-level field', (object) => void (object['spec'] = {})],
        ['an unknown field in a resource reference', (object) => void ((object.results[0]!['resources'] as Json[])[0]!['uuid'] = 'x')],
        ['a property that is not a string', (object) => void ((object.results[0]!['properties'] as Json)['line'] = 3)],
        ['a summary count that is a string', (object) => void (object.summary['fail'] = '3')],
        ['a timestamp without nanos', (object) => void delete (object.results[0]!['timestamp'] as Json)['nanos']],
        ['a result without policy', (object) => void delete object.results[0]!['policy']],
        ['a name that is not a DNS-1123 subdomain', (object) => void (object.metadata['name'] = 'Kubeharden_Default')],
        ['a wrong apiVersion', (object) => void (object['apiVersion'] = `${api.split('/')[0]}/v9`)],
        ['an unknown kind', (object) => void (object['kind'] = 'PolicyReports')],
        ['a namespace on a cluster report or none on a namespaced one', (object) => {
          if (object.metadata['namespace'] === undefined) object.metadata['namespace'] = 'default';
          else delete object.metadata['namespace'];
        }],
      ];
      for (const [what, mutate] of broken) {
        const copy = structuredClone(valid) as unknown as Json & { results: Json[]; metadata: Json; summary: Json };
        mutate(copy);
        assert.notDeepEqual(problems(api, copy), [], `the validator accepts ${what}`);
      }
    });
  }
});

describe('renderPolicyReports', { skip: goSkip }, () => {
  const ids = CONTROLS.map((control) => control.meta.id);
  const exceptions = [
    { controls: ['POD-READONLY-ROOTFS'], reason: 'the legacy shop writes to its root filesystem', source: 'test:1' },
    { controls: ['IMG-DIGEST-PINNED'], kinds: ['CronJob'], reason: 'tags are pinned by policy', owner: 'team-shop', expires: '2999-12-31', source: 'test:2' },
  ];

  /** 100 badly configured pods in one namespace: thousands of findings. */
  let bulk: Promise<Report> | undefined;
  function bulkReport(): Promise<Report> {
    const pod = (index: number): string =>
      [
        'apiVersion: v1',
        'kind: Pod',
        `metadata: {name: pod-${index}, namespace: bulk}`,
        'spec:',
        '  hostNetwork: true',
        '  containers:',
        '  - {name: a, image: nginx, securityContext: {privileged: true, runAsUser: 0}}',
        '  - {name: b, image: redis, securityContext: {privileged: true, capabilities: {add: [SYS_ADMIN]}}}',
      ].join('\n');
    bulk ??= reportForText(Array.from({ length: 100 }, (_, index) => pod(index)).join('\n---\n'), { framework: 'all' });
    return bulk;
  }

  for (const api of POLICY_REPORT_APIS) {
    test(`${api}: the insecure examples, with exceptions, as valid reports`, async () => {
      for (const exception of exceptions) for (const id of exception.controls) assert.ok(ids.includes(id), `control ${id} exists`);
      const report = await reportForPaths(['examples/insecure'], { exceptions });
      assert.ok(report.summary.suppressed > 0, 'the exceptions suppress findings');
      assert.ok(report.summary.open > 0);
      const documents = renderPolicyReports(report, { api, now: NOW });
      assertConsistent(api, report, documents);

      assert.deepEqual(
        documents.map((document) => `${document.kind} ${document.metadata.namespace ?? '-'} ${document.metadata.name}`),
        [`${clusterKind(api)} - kubeharden-cluster`, `${namespacedKind(api)} default kubeharden-default`, `${namespacedKind(api)} shop kubeharden-shop`],
      );
      if (api === 'openreports.io/v1alpha1') {
        for (const document of documents) assert.equal(document.source, 'kubeharden');
      } else {
        for (const document of documents) assert.equal(document.source, undefined);
      }

      const results = documents.flatMap((document) => document.results);
      const skipped = results.filter((result) => result.result === 'skip');
      assert.equal(skipped.length, report.summary.suppressed);
      for (const result of skipped) {
        assert.equal(result.properties['suppression'], 'exception');
        assert.match(result.properties['reason'] ?? '', /legacy shop|pinned by policy/);
        assert.match(result.properties['suppressionSource'] ?? '', /^test:[12]$/);
      }
      const pinned = skipped.find((result) => result.policy === 'IMG-DIGEST-PINNED');
      assert.equal(pinned?.properties['owner'], 'team-shop');
      assert.equal(pinned?.properties['expires'], '2999-12-31');
      assert.ok(results.filter((result) => result.policy === 'POD-READONLY-ROOTFS').every((result) => result.result === 'skip'));

      // One finding, field by field.
      const finding = report.findings.find((candidate) => candidate.controlId === 'POD-NO-PRIVILEGED');
      assert.ok(finding);
      const result = results.find((candidate) => candidate.properties['fingerprint'] === finding.fingerprint);
      assert.ok(result);
      assert.equal(result.policy, 'POD-NO-PRIVILEGED');
      assert.equal(result.rule, finding.pss?.check, 'PSS controls use the PSS check name as rule');
      assert.equal(result.category, 'Kubernetes Pod security');
      assert.equal(result.severity, finding.severity);
      assert.equal(result.result, 'fail');
      assert.equal(result.scored, true);
      assert.equal(result.message, finding.message);
      assert.deepEqual(result.resources, [
        { apiVersion: finding.resource.apiVersion, kind: finding.resource.kind, namespace: finding.resource.namespace, name: finding.resource.name, fieldPath: finding.field },
      ]);
      assert.equal(result.properties['controlId'], finding.controlId);
      assert.equal(result.properties['title'], finding.title);
      assert.equal(result.properties['line'], String(finding.location.line));
      assert.equal(result.properties['field'], finding.field);
      assert.equal(result.properties['remediation'], finding.remediation);
      assert.equal(result.properties['file'], portablePath(finding.location.file));

      // Namespace objects are cluster-scoped: their findings are in the cluster report.
      const cluster = documents[0]!;
      assert.ok(cluster.results.length > 0);
      assert.ok(cluster.results.every((entry) => entry.resources?.[0]?.kind === 'Namespace'));
    });

    test(`${api}: no findings still give one empty cluster report`, async () => {
      const report = await reportForText('');
      assert.equal(report.findings.length, 0);
      const documents = renderPolicyReports(report, { api, now: NOW });
      assert.equal(documents.length, 1);
      assert.deepEqual(documents[0]?.summary, { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 });
      assertConsistent(api, report, documents);
      assert.notEqual(renderPolicyReportYaml(report, { api, now: NOW }).trim(), '');
    });

    test(`${api}: parts a cluster scan could not assess are error results (warn under --allow-partial); every object carries the verdict`, async () => {
      const notAssessed = [
        { what: 'Secret (v1)', reason: 'forbidden: secrets is forbidden: User "nobody" cannot list resource "secrets"' },
        { what: 'kubelet on node worker-1', reason: 'GET /api/v1/nodes/worker-1/proxy/configz: HTTP 502' },
      ];
      const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec: {containers: [{name: c, image: x, securityContext: {privileged: true}}]}\n';
      for (const allowPartial of [false, true]) {
        const report = await reportForText(pod, { report: { target: { kind: 'cluster', name: 'https://127.0.0.1:6443' }, notAssessed, allowPartial } });
        const documents = renderPolicyReports(report, { api, now: NOW });
        assertConsistent(api, report, documents);
        const cluster = documents[0] as PolicyReportDocument;
        const outcome = allowPartial ? 'warn' : 'error';
        assert.deepEqual(
          cluster.results.filter((result) => result.policy === 'kubeharden-scan').map((result) => [result.result, result.message]),
          notAssessed.map((item) => [outcome, `not assessed: ${item.what}: ${item.reason}`]),
        );
        assert.equal(cluster.metadata.annotations['kubeharden.io/verdict'], allowPartial ? 'fail' : 'incomplete');
      }
    });

    test(`${api}: cluster-scoped kinds go to the cluster report, namespaced kinds without a namespace to default`, async () => {
      const report = await reportForText(
        [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: {name: web}',
          'spec:',
          '  selector: {matchLabels: {app: web}}',
          '  template:',
          '    metadata: {labels: {app: web}}',
          '    spec: {containers: [{name: web, image: nginx, securityContext: {privileged: true}}]}',
          '---',
          'apiVersion: rbac.authorization.k8s.io/v1',
          'kind: ClusterRole',
          'metadata: {name: everything, namespace: ignored}',
          'rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]',
          '---',
          'apiVersion: v1',
          'kind: Pod',
          'metadata: {name: tool, namespace: team-a}',
          'spec: {containers: [{name: tool, image: busybox, securityContext: {privileged: true}}]}',
        ].join('\n'),
        { framework: 'all', exceptions: [{ controls: ['*'], kinds: ['Pod'], reason: 'a debugging pod', source: 'test:1' }] },
      );
      const documents = renderPolicyReports(report, { api, now: NOW });
      assertConsistent(api, report, documents);
      const byName = new Map(documents.map((document) => [document.metadata.name, document]));
      assert.deepEqual([...byName.keys()], ['kubeharden-cluster', 'kubeharden-default', 'kubeharden-team-a']);

      const cluster = byName.get('kubeharden-cluster')!;
      assert.ok(cluster.results.some((result) => result.policy === 'RBAC-WILDCARD-RULES'));
      for (const result of cluster.results) {
        assert.equal(result.resources?.[0]?.kind, 'ClusterRole');
        assert.equal(result.resources?.[0]?.namespace, undefined, "the API server ignores a ClusterRole's namespace");
      }
      const assumed = byName.get('kubeharden-default')!;
      assert.equal(assumed.metadata.namespace, 'default');
      assert.ok(assumed.results.some((result) => result.policy === 'POD-NO-PRIVILEGED'));
      for (const result of assumed.results) {
        assert.equal(result.resources?.[0]?.kind, 'Deployment');
        assert.equal(result.properties['assumedNamespace'], 'default', 'the guessed namespace is marked');
      }
      const teamA = byName.get('kubeharden-team-a')!;
      assert.equal(teamA.metadata.namespace, 'team-a');
      assert.ok(teamA.results.length > 0);
      // The exception names the Pod; findings about namespace team-a as a whole are the Namespace's, so they stay open.
      const aboutNamespace = new Set(report.findings.filter((finding) => finding.about === 'Namespace/team-a').map((finding) => finding.fingerprint));
      assert.ok(aboutNamespace.size > 0);
      for (const result of teamA.results) {
        assert.equal(result.result, aboutNamespace.has(result.properties['fingerprint'] ?? '') ? 'fail' : 'skip', result.policy);
        assert.equal(result.properties['assumedNamespace'], undefined);
      }
      assert.deepEqual(teamA.summary, { pass: 0, fail: aboutNamespace.size, warn: 0, error: 0, skip: teamA.results.length - aboutNamespace.size });
    });

    test(`${api}: a namespace with thousands of results is split into -2, -3, ... objects`, async () => {
      const report = await bulkReport();
      const documents = renderPolicyReports(report, { api, now: NOW });
      assertConsistent(api, report, documents);
      const bulk = documents.filter((document) => document.metadata.namespace === 'bulk');
      assert.ok(report.findings.length > 2 * MAX_RESULTS_PER_REPORT, `${report.findings.length} findings`);
      assert.ok(bulk.length >= 3, `${bulk.length} objects for namespace bulk`);
      assert.deepEqual(
        bulk.map((document) => document.metadata.name),
        bulk.map((_, index) => (index === 0 ? 'kubeharden-bulk' : `kubeharden-bulk-${index + 1}`)),
      );
      for (const [index, document] of bulk.entries()) {
        assert.equal(document.metadata.annotations['kubeharden.io/part'], `${index + 1}/${bulk.length}`);
        assert.ok(Buffer.byteLength(JSON.stringify(document)) < ETCD_LIMIT / 1.4);
      }
      // Split in order: the parts joined are the findings as the report sorts them.
      assert.deepEqual(
        bulk.flatMap((document) => document.results.map((result) => result.properties['fingerprint'])),
        report.findings.filter((finding) => finding.resource.namespace === 'bulk').map((finding) => finding.fingerprint),
      );
    });
  }

  test('the timestamp is the given time, split into seconds and nanos', async () => {
    const report = await reportForPaths(['examples/insecure']);
    const [, first] = renderPolicyReports(report, { api: 'wgpolicyk8s.io/v1alpha2', now: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)) });
    assert.deepEqual(first?.results[0]?.timestamp, { seconds: Date.UTC(2024, 0, 2, 3, 4, 5) / 1000, nanos: 6_000_000 });
  });
});

describe('renderPolicyReports on the real-world corpus', { skip: goSkip || needsShared }, () => {
  let report: Report | undefined;
  async function corpusReport(): Promise<Report> {
    report ??= await reportForPaths([sharedPath('corpus', 'real-world')], { framework: 'all' });
    return report;
  }

  for (const api of POLICY_REPORT_APIS) {
    test(`${api}: every report object of the whole real-world corpus validates`, async () => {
      const corpus = await corpusReport();
      assert.ok(corpus.findings.length > 2000, `${corpus.findings.length} findings`);
      const documents = renderPolicyReports(corpus, { api, now: NOW });
      assertConsistent(api, corpus, documents);
      const namespaces = new Set(documents.map((document) => document.metadata.namespace).filter((namespace) => namespace !== undefined));
      // 20: ingress-nginx's Kustomize overlays are reported as not rendered, and their namespace has no other objects.
      assert.equal(namespaces.size, 20, 'namespaces of the corpus with a PolicyReport');
      assert.ok(documents.some((document) => document.metadata.name.endsWith('-2')), 'some namespace is big enough to be split');
      const results = documents.flatMap((document) => document.results);
      assert.ok(results.some((result) => result.resources?.[0]?.kind === 'ClusterRole'));
      assert.ok(results.some((result) => result.properties['assumedNamespace'] === 'default'));
      if (corpus.errors.length > 0) {
        const errors = documents[0]!.results.filter((result) => result.result === 'error');
        assert.equal(errors.length, corpus.errors.length, 'unreadable inputs are error results of the cluster report');
        assert.ok(errors.every((result) => result.scored === false && result.message.length > 0));
      }
    });
  }
});
