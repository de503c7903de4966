/**
 * The API server is the oracle of `psa plan`. When a namespace's `enforce` label changes, Pod Security Admission
 * answers with warnings naming the existing pods that would violate the new level. The real-world corpus' workloads
 * (each as a Pod of its template) and the failing pod-security-admission fixtures (each in namespaces of its own
 * version) are created in namespaces that enforce privileged; then, for every namespace and every level, the label
 * is patched with server-side dry-run at the plan's version, and the warnings must be exactly the ones the plan
 * predicts: the pods it says fail that level, grouped by the checks they fail.
 *
 * The warnings aggregate (k8s.io/pod-security-admission admission.go, EvaluatePodsInNamespace): one line
 * `existing pods in namespace "N" violate the new PodSecurity enforce level "L:V"`, then one warning per distinct
 * set of failing checks, `POD: reasons`, `POD (and 1 other pod): reasons` or `POD (and K other pods): reasons`,
 * naming the pod whose name sorts first; the reasons are the checks' ForbiddenReason texts joined by ", ". The API server keeps at most 4,096 characters of warnings (longer ones are cut to 256 and the rest
 * dropped: apiserver filters/warning.go), so namespaces hold at most NAMESPACE_SIZE pods and every warning fits.
 * PSA checks existing pods only when a label change tightens the policy: the namespaces start at `privileged`
 * (latest), so every patch to baseline or restricted is checked, and a patch to privileged never is (the plan then
 * predicts no failing pod either).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { basename } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { ApiClient } from '../../src/cluster/api-client.js';
import { levelRank, PSA_LEVELS, type PsaLevel } from '../../src/enforce/psa-plan/levels.js';
import { clusterPlanInput, manifestPlanInput } from '../../src/enforce/psa-plan/plan-input.js';
import { planNamespaces, type PlanWorkload, type PsaPlan } from '../../src/enforce/psa-plan/plan.js';
import { workloadLevel } from '../../src/enforce/psa-plan/workload-level.js';
import { podTemplateOf, TemplatePaths } from '../../src/kube/pod-templates.js';
import { parseKubeVersion, type KubeVersion } from '../../src/kube/version.js';
import { collectInputs } from '../../src/loader/inputs.js';
import type { InputError } from '../../src/loader/source.js';
import { isRecord } from '../../src/util/object.js';
import { runCliAsync } from '../support/cli-process.js';
import type { Cluster } from '../support/cluster-harness.js';
import { useCluster } from '../support/use-cluster.js';
import { needsShared, SHARED_PRESENT, sharedPath } from '../support/paths.js';

/** At most this many pods per namespace: 1 + NAMESPACE_SIZE warnings of at most 256 characters stay under 4,096. */
const NAMESPACE_SIZE = 10;
const P = 'pod-security.kubernetes.io/';

interface Fixture {
  file: string;
  level: 'baseline' | 'restricted';
  version: string;
  expect: 'pass' | 'fail';
}

/** A pod to create: where it came from, and the version its namespace is planned and patched at. */
interface PlannedPod {
  readonly namespace: string;
  readonly name: string;
  readonly body: Record<string, unknown>;
  /** The corpus workload's manifest level, to compare with the level of the pod the server stored. */
  readonly manifestLevel?: PsaLevel;
}

/** A DNS label from any text: lower case, `-` for the rest, at most 63 characters. */
const dnsLabel = (text: string): string => text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '').slice(0, 63).replace(/-+$/, '');

/** The pod of a template, with only what Pod Security and pod validation read; the ServiceAccount is the namespace's default. */
function podOf(template: { metadata: Record<string, unknown>; spec: Record<string, unknown> }, name: string, namespace: string): Record<string, unknown> {
  const { serviceAccountName: _name, serviceAccount: _account, ...spec } = template.spec;
  const metadata: Record<string, unknown> = { name, namespace };
  for (const key of ['labels', 'annotations']) if (isRecord(template.metadata[key])) metadata[key] = template.metadata[key];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: { ...spec, serviceAccountName: 'default' } };
}

/** `299 - "text"` (RFC 7234 Warning, quoted-string with backslash escapes) → text. */
function warningText(header: string): string {
  const match = /^299 \S+ "((?:[^"\\]|\\.)*)"$/.exec(header);
  assert.ok(match, `unexpected Warning header ${header}`);
  return (match[1] as string).replace(/\\(.)/g, '$1');
}

/** PATCH (with server-side dry-run unless `dryRun` is false); the Warning headers of the answer, one per warning. */
function patchWarnings(cluster: Cluster, path: string, body: unknown, dryRun = true): Promise<{ status: number; warnings: string[] }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const request = https.request(new URL(dryRun ? `${path}?dryRun=All` : path, cluster.url), {
      method: 'PATCH',
      ca: cluster.caPem,
      headers: { Authorization: `Bearer ${cluster.tokens['admin']}`, 'Content-Type': 'application/merge-patch+json', 'Content-Length': Buffer.byteLength(payload), Accept: 'application/json' },
    }, (response) => {
      response.resume();
      response.on('end', () => {
        // rawHeaders keeps each Warning apart (the joined header would be ambiguous: warnings hold commas).
        const warnings: string[] = [];
        for (let at = 0; at < response.rawHeaders.length; at += 2) {
          if (response.rawHeaders[at]?.toLowerCase() === 'warning') warnings.push(warningText(response.rawHeaders[at + 1] as string));
        }
        resolve({ status: response.statusCode ?? 0, warnings });
      });
    });
    request.on('error', reject);
    request.end(payload);
  });
}

interface ServerVerdict {
  /** The pods the warnings name, and how many pods each warning stands for. */
  readonly groups: { readonly pod: string; readonly count: number; readonly reasons: string }[];
  readonly other: string[];
}

function parseWarnings(warnings: readonly string[], namespace: string, level: string): ServerVerdict {
  const groups: { pod: string; count: number; reasons: string }[] = [];
  const other: string[] = [];
  const header = `existing pods in namespace "${namespace}" violate the new PodSecurity enforce level "${level}"`;
  for (const warning of warnings) {
    if (warning === header) continue;
    const match = /^([a-z0-9][a-z0-9.-]*)(?: \(and (\d+) other pods?\))?: (.*)$/.exec(warning);
    if (match) groups.push({ pod: match[1] as string, count: 1 + Number(match[2] ?? 0), reasons: reasonKey((match[3] as string).split(', ')) });
    else other.push(warning);
  }
  if (groups.length > 0 && !warnings.includes(header)) other.push(`no "${header}" line`);
  return { groups, other };
}

/**
 * The reason each PSA check gives (ForbiddenReason in k8s.io/pod-security-admission/policy/check_*.go), by the check
 * id our controls carry. A namespace warning lists the reasons of a pod's failing checks, joined by ", ".
 */
const PSA_REASONS: Readonly<Record<string, string>> = {
  allowPrivilegeEscalation: 'allowPrivilegeEscalation != false',
  appArmorProfile: 'forbidden AppArmor profile',
  capabilities_baseline: 'non-default capabilities',
  capabilities_restricted: 'unrestricted capabilities',
  hostNamespaces: 'host namespaces',
  hostPathVolumes: 'hostPath volumes',
  hostPorts: 'hostPort',
  hostProbesAndHostLifecycle: 'probe or lifecycle host',
  privileged: 'privileged',
  procMount: 'procMount',
  procMount_restricted: 'procMount',
  restrictedVolumes: 'restricted volume types',
  runAsNonRoot: 'runAsNonRoot != true',
  runAsUser: 'runAsUser=0',
  seLinuxOptions: 'seLinuxOptions',
  seccompProfile_baseline: 'seccompProfile',
  seccompProfile_restricted: 'seccompProfile',
  sysctls: 'forbidden sysctls',
  windowsHostProcess: 'hostProcess',
};

/** A set of reasons as one key; the AppArmor reason's plural (more than one bad profile) counts as the same reason. */
function reasonKey(reasons: readonly string[]): string {
  return [...new Set(reasons.map((reason) => reason.replace(/^forbidden AppArmor profiles$/, 'forbidden AppArmor profile')))].sort().join(', ');
}

/** Runs `work` over `items`, `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++] as T);
  }));
}

describe('psa plan proven by the API server: dry-run enforce labels warn of exactly the pods the plan says fail', { skip: needsShared, timeout: 1_200_000 }, () => {
  const pods: PlannedPod[] = [];
  /** Each namespace made, and the version it is planned and patched at. */
  const namespaces = new Map<string, KubeVersion>();
  const refused = new Map<string, number>();
  const refusals: string[] = [];
  let created = 0;
  let serverVersion: KubeVersion;

  const shared = useCluster({ profile: 'insecure' }, async (cluster) => {
    serverVersion = parseKubeVersion(cluster.version.gitVersion);
    const templatePaths = new TemplatePaths();

    // The corpus, NAMESPACE_SIZE workloads to a namespace, at the server's version.
    const errors: InputError[] = [];
    const corpus = await manifestPlanInput(await collectInputs([sharedPath('corpus', 'real-world')], errors), errors, templatePaths);
    corpus.workloads.forEach((workload, index) => {
      const path = templatePaths.pathFor(workload.apiVersion, workload.kind);
      const template = path ? podTemplateOf(workload.resource.object, path) : undefined;
      if (!template) return;
      const namespace = `corpus-${String(Math.floor(index / NAMESPACE_SIZE)).padStart(3, '0')}`;
      namespaces.set(namespace, serverVersion);
      const name = dnsLabel(`${index}-${workload.kind}-${workload.name}`);
      pods.push({ namespace, name, body: podOf(template, name, namespace), manifestLevel: workloadLevel(workload.resource, serverVersion, templatePaths).passes });
    });

    // The failing fixtures of each version, NAMESPACE_SIZE to a namespace, each namespace at its fixtures' version.
    const dir = sharedPath('conformance', 'pod-security-admission');
    const fixtures: Fixture[] = SHARED_PRESENT ? (JSON.parse(readFileSync(`${dir}/expectations.json`, 'utf8')) as { fixtures: Fixture[] }).fixtures.filter((f) => f.expect === 'fail') : [];
    const byVersion = new Map<string, Fixture[]>();
    for (const fixture of fixtures) byVersion.set(fixture.version, [...(byVersion.get(fixture.version) ?? []), fixture]);
    for (const [version, group] of byVersion) {
      group.forEach((fixture, index) => {
        const namespace = `psa-${version.replace('.', '-')}-${String(Math.floor(index / NAMESPACE_SIZE)).padStart(2, '0')}`;
        namespaces.set(namespace, parseKubeVersion(version));
        const pod = yaml.load(readFileSync(`${dir}/${fixture.file}`, 'utf8')) as { metadata?: Record<string, unknown>; spec: Record<string, unknown> };
        const name = dnsLabel(`${fixture.level}-${basename(fixture.file, '.yaml')}`);
        pods.push({ namespace, name, body: podOf({ metadata: pod.metadata ?? {}, spec: pod.spec }, name, namespace) });
      });
    }

    for (const namespace of namespaces.keys()) await cluster.createNamespace(namespace, { [`${P}enforce`]: 'privileged' });
    await pool(pods, 8, async (pod) => {
      const response = await (cluster as Cluster).request('admin', 'POST', `/api/v1/namespaces/${pod.namespace}/pods`, pod.body);
      if (response.status === 201) {
        created++;
        return;
      }
      // Pods the API server refuses for reasons of their own (not Pod Security: the namespaces enforce privileged).
      const message = `${pod.namespace.startsWith('corpus-') ? 'corpus' : 'fixtures'}: ${String((response.json as { reason?: string } | undefined)?.reason ?? response.status)}`;
      refused.set(message, (refused.get(message) ?? 0) + 1);
      refusals.push(`${pod.namespace}/${pod.name}: ${String((response.json as { message?: string } | undefined)?.message ?? response.text).slice(0, 300)}`);
    });
    // Pod Security reads existing pods from the API server's informer cache: let it catch up with the creates.
    await new Promise((resolve) => setTimeout(resolve, 3000));
  });

  it('every namespace at every level: the warnings are exactly the plan\'s failing pods, grouped by the checks they fail', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const client = await ApiClient.connect({ kubeconfig: cluster.adminKubeconfig, timeoutMs: 30_000, concurrency: 4, env: {} });
    const templatePaths = new TemplatePaths();
    const { input, notAssessed } = await clusterPlanInput(client, templatePaths, { excludeNamespaces: [] });
    assert.deepEqual(notAssessed, []);
    // One plan per version in use, as `psa plan --cluster -k VERSION` makes it.
    const plans = new Map<number, PsaPlan>();
    for (const version of new Set([...namespaces.values()].map((v) => v.minor))) plans.set(version, planNamespaces(input, { version: { minor: version }, latest: serverVersion, templatePaths }));

    const workloadsOf = new Map<string, PlanWorkload[]>();
    for (const workload of input.workloads) workloadsOf.set(workload.namespace, [...(workloadsOf.get(workload.namespace) ?? []), workload]);
    const disagreements: string[] = [];
    const tally = { corpus: { namespaces: 0, comparisons: 0, failingPods: 0, warnings: 0, namedAlone: 0 }, fixtures: { namespaces: 0, comparisons: 0, failingPods: 0, warnings: 0, namedAlone: 0 } };
    for (const [namespace, version] of namespaces) {
      const planned = plans.get(version.minor)?.namespaces.find((entry) => entry.name === namespace);
      assert.ok(planned, `${namespace} is in the plan`);
      const counts = tally[namespace.startsWith('corpus-') ? 'corpus' : 'fixtures'];
      counts.namespaces++;
      for (const level of PSA_LEVELS) {
        const predicted = new Set(planned.workloads.filter((workload) => levelRank(workload.passes) < levelRank(level)).map((workload) => workload.name));
        // The reasons each failing pod gives, from the checks the plan judged it by: PSA writes one warning per
        // distinct set, naming the pod that sorts first and counting the rest.
        const expected = new Map<string, string[]>();
        for (const workload of workloadsOf.get(namespace) ?? []) {
          if (!predicted.has(workload.name) || level === 'privileged') continue;
          const judged = workloadLevel(workload.resource, version, templatePaths);
          const key = reasonKey((level === 'baseline' ? judged.baseline : judged.restricted).map((violation) => PSA_REASONS[violation.check] ?? `unknown check ${violation.check}`));
          expected.set(key, [...(expected.get(key) ?? []), workload.name]);
        }
        const expectedWarnings = [...expected].map(([reasons, names]) => `${[...names].sort()[0]}×${names.length}: ${reasons}`).sort();
        const { status, warnings } = await patchWarnings(cluster, `/api/v1/namespaces/${namespace}`, { metadata: { labels: { [`${P}enforce`]: level, [`${P}enforce-version`]: `v1.${version.minor}` } } });
        assert.equal(status, 200, `${namespace} ${level}`);
        const verdict = parseWarnings(warnings, namespace, `${level}:v1.${version.minor}`);
        const serverWarnings = verdict.groups.map((group) => `${group.pod}×${group.count}: ${group.reasons}`).sort();
        const counted = verdict.groups.reduce((sum, group) => sum + group.count, 0);
        counts.comparisons++;
        counts.failingPods += counted;
        counts.warnings += verdict.groups.length;
        counts.namedAlone += verdict.groups.filter((group) => group.count === 1).length;
        if (counted !== predicted.size || !isDeepStrictEqual(serverWarnings, expectedWarnings) || verdict.other.length > 0) {
          disagreements.push(`${namespace} ${level}:v1.${version.minor}: plan ${predicted.size} [${expectedWarnings.join(' | ')}], server ${counted} [${serverWarnings.join(' | ')}] ${verdict.other.join('; ')}`);
        }
      }
    }
    assert.deepEqual(disagreements, []);
    // Measured with the test kube-apiserver v1.37.2 (docs/enforce.md). failingPods: the pods the warnings stand for,
    // summed over the namespace × level comparisons; namedAlone: warnings that name their only pod.
    assert.deepEqual(tally, {
      corpus: { namespaces: 37, comparisons: 111, failingPods: 314, warnings: 110, namedAlone: 58 },
      fixtures: { namespaces: 365, comparisons: 1095, failingPods: 5782, warnings: 2307, namedAlone: 689 },
    });
    // Refused by pod validation, never by Pod Security (the namespaces enforce privileged): the corpus' StatefulSet
    // mounts of volumeClaimTemplates, protocol "tcp", a missing image, a string lun; the fixtures' procMount
    // Unmasked without hostUsers: false, which the API server refuses since 1.35.
    assert.deepEqual({ created, refused: Object.fromEntries(refused) }, { created: 3833, refused: { 'corpus: BadRequest': 1, 'corpus: Invalid': 8, 'fixtures: Invalid': 12 } }, refusals.join('\n'));
  });

  it('each corpus workload passes the same level as a manifest and as the pod the server stored', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const result = await runCliAsync(['psa', 'plan', '--cluster', '--kubeconfig', cluster.adminKubeconfig, '-o', 'json']);
    assert.equal(result.code === 0 || result.code === 1, true, result.stderr);
    const report = JSON.parse(result.stdout) as { kubernetesVersion: string; namespaces: { name: string; workloads: { name: string; passes: PsaLevel }[] }[] };
    assert.equal(report.kubernetesVersion, `1.${serverVersion.minor}`);
    const live = new Map(report.namespaces.flatMap((namespace) => namespace.workloads.map((workload) => [`${namespace.name}/${workload.name}`, workload.passes] as const)));
    const tally: Record<string, number> = {};
    const differ: string[] = [];
    for (const pod of pods.filter((entry) => entry.manifestLevel !== undefined)) {
      const stored = live.get(`${pod.namespace}/${pod.name}`);
      if (stored === undefined) continue;
      tally[stored] = (tally[stored] ?? 0) + 1;
      if (stored !== pod.manifestLevel) differ.push(`${pod.namespace}/${pod.name}: manifest ${pod.manifestLevel}, stored pod ${stored}`);
    }
    assert.deepEqual(differ, []);
    assert.deepEqual(tally, { restricted: 90, baseline: 224, privileged: 45 });
  });

  it('--cluster marks a namespace whose enforce label rejects its pods as stronger, names them, and exits 1', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const kubeconfig = cluster.adminKubeconfig;
    type Report = { namespaces: { name: string; status: string; passes: string; rejectedByCurrent: { name: string }[]; workloads: { name: string; passes: string }[] }[] };
    const all = JSON.parse((await runCliAsync(['psa', 'plan', '--cluster', '--kubeconfig', kubeconfig, '-o', 'json'])).stdout) as Report;
    // The first corpus namespace with pods that fail restricted: enforce restricted there for real, as a too-eager rollout would.
    const target = all.namespaces.find((n) => n.name.startsWith('corpus-') && n.passes !== 'restricted');
    assert.ok(target);
    const failing = target.workloads.filter((w) => w.passes !== 'restricted').map((w) => w.name).sort();
    const { status, warnings } = await patchWarnings(cluster, `/api/v1/namespaces/${target.name}`, { metadata: { labels: { [`${P}enforce`]: 'restricted', [`${P}enforce-version`]: `v1.${serverVersion.minor}` } } }, false);
    assert.equal(status, 200);
    const warned = parseWarnings(warnings, target.name, `restricted:v1.${serverVersion.minor}`).groups.reduce((sum, group) => sum + group.count, 0);
    const result = await runCliAsync(['psa', 'plan', '--cluster', '--kubeconfig', kubeconfig, '-n', target.name, '-o', 'json']);
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as Report;
    assert.deepEqual(report.namespaces.map((n) => [n.name, n.status, n.rejectedByCurrent.map((w) => w.name).sort()]), [[target.name, 'stronger', failing]]);
    assert.deepEqual([target.name, target.passes, target.workloads.length, failing.length, warned], ['corpus-002', 'privileged', 10, 8, 8]);
    const table = await runCliAsync(['psa', 'plan', '--cluster', '--kubeconfig', kubeconfig, '-n', target.name]);
    assert.equal(table.code, 1);
    assert.match(table.stderr, /^kubeharden: cluster .* runs v1\.37\.\d+; planning for Kubernetes 1\.37\n$/);
    assert.match(table.stdout, /\ncorpus-002 +10 +privileged +restricted:v1\.37 +stronger +enforce=privileged warn=baseline audit=baseline\n/);
  });
});
