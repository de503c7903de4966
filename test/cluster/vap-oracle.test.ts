/**
 * The API server is the oracle of `kubeharden export vap`. Every exported policy is applied (the server compiles
 * its CEL and checks its cost), each bound to the objects labelled with its control (and version), so one request
 * meets one control. Then every valid and invalid case of that control's table (test/controls/<family>/<name>.cases.ts),
 * as a Pod and inside each of the 8 workload kinds, a Rollout and a custom kind given with --pod-template-path (or,
 * for Service, Ingress, Secret and RBAC controls, as the object itself), plus every workload, Service, Ingress,
 * Secret and RBAC object of the real-world corpus, is created with server-side dry-run: the server must reject
 * exactly the objects the scanner reports for that control at the same version, and admit the rest.
 *
 * Combined (the default export: one policy holding every pod-template control over shared variables, one per
 * object kind): the same objects, each sent once, must be rejected exactly when the scanner reports any exported
 * control at that version, and the rejection must name one of them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { parseKubeVersion } from '../../src/kube/version.js';
import { loadResources, type InputError } from '../../src/loader/source.js';
import { isRecord, type Json } from '../../src/util/object.js';
import type { Cluster } from '../support/cluster-harness.js';
import { needsShared, sharedPath } from '../support/paths.js';
import { useCluster } from '../support/use-cluster.js';
import {
  applyPolicies,
  caseMinor,
  caseTrials,
  combinedPolicies,
  controlTables,
  exportAt,
  inParallel,
  isExported,
  judgedKinds,
  OBJECT_PATHS,
  oraclePolicies,
  perControl,
  prepareOracleCluster,
  runCombined,
  runTrial,
  tally,
  tallyCombined,
  typeCheckingWarnings,
  waitUntilActive,
  waitUntilCombinedActive,
  WRAPPERS,
  type Tables,
  type Trial,
} from '../support/vap-oracle.js';

/** Combined policies accepted over all versions, and the combined shape's verdicts (see docs/enforce.md). */
const COMBINED_POLICIES = 56;
const COMBINED_CASES = { requests: 1911, rejected: 1776, admitted: 24, refused: 111 };
const COMBINED_CORPUS = { requests: 1395, rejected: 466, admitted: 877, refused: 52 };

/** The outcomes of the RBAC and Secret controls, per control (the pod and Service controls are counted in total). */
function rbacAndSecretCounts(outcomes: Parameters<typeof perControl>[0]) {
  return Object.fromEntries(Object.entries(perControl(outcomes)).filter(([id]) => /^(RBAC|SEC)-/.test(id)));
}

/** Where a corpus object is created, by apiVersion and kind (kinds with a pod template only). */
const CORPUS_PATHS: Readonly<Record<string, string>> = Object.fromEntries(
  WRAPPERS.map(({ kind, path, wrap }) => [`${String(wrap({ name: '' }).apiVersion)}/${kind}`, path]),
);

function corpusFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return corpusFiles(path);
    return /\.(ya?ml|json)$/.test(entry.name) ? [path] : [];
  });
}

/** Corpus objects of the given kinds (apiVersion/kind → create path), as they can be created in the test namespace. */
function corpusObjects(paths: Readonly<Record<string, string>>): { what: string; path: string; object: Json }[] {
  const root = sharedPath('corpus', 'real-world');
  const workloads: { what: string; path: string; object: Json }[] = [];
  for (const file of corpusFiles(root).sort()) {
    const errors: InputError[] = [];
    for (const { object } of loadResources(file, readFileSync(file), errors, false)) {
      const path = paths[`${String(object.apiVersion)}/${String(object.kind)}`];
      if (!path) continue;
      const { resourceVersion: _v, uid: _u, creationTimestamp: _c, selfLink: _s, managedFields: _m, ownerReferences: _o, generateName: _g, ...metadata } = isRecord(object.metadata) ? object.metadata : {};
      const { status: _status, ...rest } = object;
      let spec = rest.spec;
      // The ServiceAccount admission plugin needs a Pod's account to exist; the test namespace has `default`.
      if (object.kind === 'Pod' && isRecord(spec)) spec = { ...spec, serviceAccountName: 'default', serviceAccount: undefined };
      workloads.push({ what: `${relative(root, file)} ${String(object.kind)}/${String(metadata.name ?? '')}`, path, object: JSON.parse(JSON.stringify({ ...rest, ...(spec !== undefined ? { spec } : {}), metadata })) as Json });
    }
  }
  return workloads;
}

describe('export vap proven by the API server (server-side dry-run, per control and combined)', { timeout: 1_800_000 }, () => {
  let tables: Tables;
  let serverMinor: number;

  const shared = useCluster({ profile: 'insecure' }, async (cluster) => {
    serverMinor = parseKubeVersion(`1.${cluster.version.minor.replace(/\D/g, '')}`).minor;
    await prepareOracleCluster(cluster);
    tables = await controlTables();
  });

  it('accepts every exported policy and binding, at every version the cases use', async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const minors = new Set([serverMinor, ...[...tables.values()].flatMap((c) => [...c.valid, ...c.invalid]).map((c) => caseMinor(c, serverMinor)).filter((minor) => minor >= 28)]);
    // The server serves v1 only; a 1.28–1.29 export differs from v1 in its apiVersion alone.
    const sorted = [...minors].sort((a, b) => a - b);
    const objects = [...sorted.flatMap((minor) => oraclePolicies(minor, 'admissionregistration.k8s.io/v1')), ...sorted.flatMap((minor) => combinedPolicies(minor, 'admissionregistration.k8s.io/v1'))];
    const applied = await applyPolicies(cluster, objects);
    await waitUntilActive(cluster, caseTrials(tables, serverMinor, 28).trials);
    await waitUntilCombinedActive(cluster, caseTrials(tables, serverMinor, 28).trials);
    // Type checking runs in the background and reports what it finds in the policy's status.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.deepEqual(await typeCheckingWarnings(cluster, 'admissionregistration.k8s.io/v1'), []);
    const combined = applied.filter((name) => name.includes('-combined-v'));
    t.diagnostic(`${applied.length - combined.length} per-control and ${combined.length} combined policies accepted at versions ${sorted.map((m) => `1.${m}`).join(', ')}`);
    assert.deepEqual({ perControl: applied.length - combined.length, combined: combined.length }, { perControl: 278, combined: COMBINED_POLICIES });
  });

  it('every exported control has its table of cases', (t) => {
    if (!shared.ready(t)) return;
    const exported = exportAt(serverMinor, 'combined').exported.map((e) => e.id);
    const withTables = new Set([...tables.keys()].map((control) => control.meta.id));
    assert.deepEqual(exported.filter((id) => !withTables.has(id)), []);
  });

  it("rejects exactly the control tests' cases the scanner reports, as a Pod and in every workload kind", async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const { trials, otherVersions, unserved } = caseTrials(tables, serverMinor, 28);
    const started = Date.now();
    const outcomes = await inParallel(trials, (trial) => runTrial(cluster, trial));
    const result = tally(outcomes);
    t.diagnostic(`${trials.length} requests in ${Date.now() - started} ms: ${result.rejected} rejected, ${result.admitted} admitted, ${result.refused} refused by the API server's own validation; ${otherVersions} cases are for releases before 1.28, ${unserved} for kinds no 1.28+ server serves`);
    for (const refusal of new Set(outcomes.filter((o) => o.verdict === 'refused').map((o) => `${o.control} ${o.what.replace(/^\w+ /, '')}: ${o.message.replace(/^[^:]*: /, '').slice(0, 160)}`))) t.diagnostic(`refused: ${refusal}`);
    assert.deepEqual(result.mismatches, []);
    const counts = rbacAndSecretCounts(outcomes);
    t.diagnostic(`RBAC and Secret controls: ${JSON.stringify(counts)}`);
    assert.deepEqual(counts, {
      'RBAC-ANONYMOUS-BINDINGS': { rejected: 4, admitted: 4, refused: 0 },
      'RBAC-CLUSTER-ADMIN-BINDING': { rejected: 3, admitted: 4, refused: 0 },
      'RBAC-DEFAULT-SA-BINDINGS': { rejected: 2, admitted: 3, refused: 0 },
      'RBAC-WILDCARD-RULES': { rejected: 5, admitted: 6, refused: 0 },
      // The KELVIN SIGN and U+0130 names reach admission only in the Rollout and the custom kind (18 refusals).
      'SEC-NO-CREDENTIALS-IN-ENV': { rejected: 92, admitted: 132, refused: 18 },
      'SEC-NO-LEGACY-SA-TOKEN': { rejected: 2, admitted: 3, refused: 0 },
    });
    assert.deepEqual({ requests: trials.length, rejected: result.rejected, admitted: result.admitted, refused: result.refused, otherVersions, unserved }, { requests: 1911, rejected: 796, admitted: 1004, refused: 111, otherVersions: 9, unserved: 2 });
  });

  it('rejects exactly the real-world corpus objects the scanner reports, control by control', { skip: needsShared }, async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const workloads = corpusObjects(CORPUS_PATHS);
    const exported = [...tables.keys()].filter(isExported);
    const controls = exported.filter((control) => control.scope === 'pod');
    const objectControls = exported.filter((control) => control.scope !== 'pod');
    const objects = corpusObjects(OBJECT_PATHS);
    const judges = (kinds: readonly string[], kind: string) => kinds.some((k) => k === kind || k.endsWith(`/${kind}`));
    const trials = [
      ...controls.flatMap((control) => workloads.map((w) => ({ control, minor: serverMinor, ...w }))),
      ...objectControls.flatMap((control) => objects.filter((o) => judges(judgedKinds(control), String(o.object.kind))).map((o) => ({ control, minor: serverMinor, ...o }))),
    ];
    const started = Date.now();
    const outcomes = await inParallel(trials, (trial) => runTrial(cluster, trial));
    const result = tally(outcomes);
    t.diagnostic(`${workloads.length} workloads × ${controls.length} pod controls and ${objects.length} Services, Ingresses, Secrets and RBAC objects × the ${objectControls.length} controls of their kinds: ${trials.length} requests in ${Date.now() - started} ms: ${result.rejected} rejected, ${result.admitted} admitted, ${result.refused} refused by the API server's own validation`);
    for (const refusal of new Set(outcomes.filter((o) => o.verdict === 'refused').map((o) => `${o.what}: ${o.message.slice(0, 160)}`))) t.diagnostic(`refused: ${refusal}`);
    assert.deepEqual(result.mismatches, []);
    const counts = rbacAndSecretCounts(outcomes);
    t.diagnostic(`RBAC and Secret controls: ${JSON.stringify(counts)}`);
    assert.deepEqual(counts, {
      'SEC-NO-CREDENTIALS-IN-ENV': { rejected: 11, admitted: 369, refused: 17 },
      // The API server refuses 25 bindings: 24 ClusterRoleBindings name a ServiceAccount without its namespace, one
      // RoleBinding (a patch) has no roleRef.
      'RBAC-ANONYMOUS-BINDINGS': { rejected: 5, admitted: 245, refused: 25 },
      'RBAC-CLUSTER-ADMIN-BINDING': { rejected: 1, admitted: 249, refused: 25 },
      'RBAC-DEFAULT-SA-BINDINGS': { rejected: 0, admitted: 250, refused: 25 },
      'RBAC-WILDCARD-RULES': { rejected: 47, admitted: 311, refused: 0 },
      'SEC-NO-LEGACY-SA-TOKEN': { rejected: 0, admitted: 46, refused: 0 },
    });
    assert.deepEqual(
      { workloads: workloads.length, podControls: controls.length, objects: objects.length, objectControls: objectControls.length, requests: trials.length, rejected: result.rejected, admitted: result.admitted, refused: result.refused },
      { workloads: 397, podControls: 32, objects: 998, objectControls: 9, requests: 14886, rejected: 2818, admitted: 11419, refused: 649 },
    );
  });

  /** Sends each object once to the combined policies; no mismatch allowed; the counts, for the exact comparison. */
  async function judgeCombined(t: TestContext, cluster: Cluster, trials: readonly Omit<Trial, 'control'>[]) {
    const started = Date.now();
    const result = tallyCombined(await inParallel(trials, (trial) => runCombined(cluster, trial)));
    t.diagnostic(`${trials.length} requests in ${Date.now() - started} ms: ${result.rejected} rejected, ${result.admitted} admitted, ${result.refused} refused by the API server's own validation`);
    assert.deepEqual(result.mismatches, []);
    return { requests: trials.length, rejected: result.rejected, admitted: result.admitted, refused: result.refused };
  }

  it("the combined policies reject exactly the control tests' cases the scanner reports for any control", async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    assert.deepEqual(await judgeCombined(t, cluster, caseTrials(tables, serverMinor, 28).trials), COMBINED_CASES);
  });

  it('the combined policies reject exactly the real-world corpus objects the scanner reports for any control', { skip: needsShared }, async (t) => {
    const cluster = shared.ready(t);
    if (!cluster) return;
    const trials = [...corpusObjects(CORPUS_PATHS), ...corpusObjects(OBJECT_PATHS)].map((o) => ({ minor: serverMinor, ...o }));
    assert.deepEqual(await judgeCombined(t, cluster, trials), COMBINED_CORPUS);
  });
});
