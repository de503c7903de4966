/**
 * The API server is the oracle of `kubeharden export vap`, in both of its shapes. Every exported policy is applied
 * (the server compiles its CEL and checks its cost).
 *
 * Per control (`--split per-control`): each policy is bound to the objects labelled with its control (and version),
 * so one request meets one control. Every valid and invalid case of that control's table
 * (test/controls/<family>/<name>.cases.ts), as a Pod and inside each of the 8 workload kinds, a Rollout and a custom
 * kind given with --pod-template-path, plus every workload of the real-world corpus, is created with server-side
 * dry-run: the server must reject exactly the objects the scanner reports for that control at the same version, and
 * admit the rest.
 *
 * Combined (the default export: one policy holding every pod-template control over shared variables, one per
 * object kind): the same objects, each sent once, must be rejected exactly when the scanner reports any exported
 * control at that version, and the rejection must name the first of them in the policy's order (the API server
 * answers with the first failing validation), so each validation judges as it does alone.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { CONTROLS } from '../../src/controls/index.js';
import { exportVap, policyName } from '../../src/enforce/vap/export-vap.js';
import type { VapSplit } from '../../src/enforce/vap/splits.js';
import { evaluateResource } from '../../src/engine/evaluate.js';
import { selectControls } from '../../src/engine/select.js';
import { DEFAULT_SETTINGS, type Control, type ObjectControl } from '../../src/engine/types.js';
import { TemplatePaths } from '../../src/kube/pod-templates.js';
import { parseKubeVersion, type KubeVersion } from '../../src/kube/version.js';
import { loadResources, type InputError } from '../../src/loader/source.js';
import { isRecord, type Json } from '../../src/util/object.js';
import { startCluster, type Cluster } from '../support/cluster-harness.js';
import type { ControlCases, ObjectControlCases, PodCase } from '../support/control-tester.js';
import { needsShared, sharedPath } from '../support/paths.js';

const NAMESPACE = 'vap-oracle';
const CONTROL_LABEL = 'kubeharden.io/oracle-control';
const VERSION_LABEL = 'kubeharden.io/oracle-version';
/** Objects sent to the combined policies carry this label (and the version), not the control label. */
const COMBINED_LABEL = 'kubeharden.io/oracle-combined';
/** A custom kind given as `--pod-template-path`, served by a CRD the test installs. */
const CUSTOM_TEMPLATE_PATH = 'oracle.kubeharden.io/Workload=spec.podTemplate';
const TEMPLATE_PATHS = TemplatePaths.parse([CUSTOM_TEMPLATE_PATH]);
const CONCURRENCY = 16;

type Verdict = 'rejected' | 'admitted' | 'refused';

interface Outcome {
  readonly control: string;
  readonly what: string;
  readonly flagged: boolean;
  readonly verdict: Verdict;
  readonly message: string;
}

/** Every exported control's table, found beside its test: test/controls/<family>/<name>.cases.ts. */
async function controlTables(): Promise<Map<Control, ControlCases | ObjectControlCases>> {
  const testControls = fileURLToPath(new URL('../controls/', import.meta.url));
  const tables = new Map<Control, ControlCases | ObjectControlCases>();
  for (const family of readdirSync(testControls)) {
    for (const file of readdirSync(join(testControls, family)).filter((name) => name.endsWith('.cases.js'))) {
      const name = file.slice(0, -'.cases.js'.length);
      const { control } = (await import(`../../src/controls/${family}/${name}.js`)) as { control: Control };
      const { cases } = (await import(`../controls/${family}/${file}`)) as { cases: ControlCases | ObjectControlCases };
      tables.set(control, cases);
    }
  }
  return tables;
}

/** The scanner's verdict on exactly the object sent: does this control report it at this version? */
function scannerFlags(control: Control, object: Json, version: KubeVersion): boolean {
  const errors: InputError[] = [];
  const context = { controls: selectControls([control], 'all', version).active, version, templatePaths: TEMPLATE_PATHS };
  const findings = [...loadResources('oracle.yaml', Buffer.from(JSON.stringify(object)), errors, false)].flatMap((r) => evaluateResource(r, context).findings);
  assert.deepEqual(errors, []);
  return findings.length > 0;
}

const podTemplate = (testCase: PodCase, restartPolicy?: string): Json => ({
  metadata: { labels: { app: 'case', ...testCase.labels }, ...(testCase.annotations ? { annotations: testCase.annotations } : {}) },
  spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0' }], ...(restartPolicy ? { restartPolicy } : {}), ...testCase.spec },
});
const selector = { matchLabels: { app: 'case' } };

/** A case as each kind that keeps a pod template: the API path to create it and the object. */
const WRAPPERS: readonly { kind: string; path: string; wrap: (testCase: PodCase) => Json }[] = [
  { kind: 'Pod', path: `/api/v1/namespaces/${NAMESPACE}/pods`, wrap: (c) => ({ apiVersion: 'v1', kind: 'Pod', ...podTemplate(c) }) },
  { kind: 'Deployment', path: `/apis/apps/v1/namespaces/${NAMESPACE}/deployments`, wrap: (c) => ({ apiVersion: 'apps/v1', kind: 'Deployment', spec: { selector, template: podTemplate(c) } }) },
  { kind: 'ReplicaSet', path: `/apis/apps/v1/namespaces/${NAMESPACE}/replicasets`, wrap: (c) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', spec: { selector, template: podTemplate(c) } }) },
  { kind: 'StatefulSet', path: `/apis/apps/v1/namespaces/${NAMESPACE}/statefulsets`, wrap: (c) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', spec: { selector, serviceName: 'case', template: podTemplate(c) } }) },
  { kind: 'DaemonSet', path: `/apis/apps/v1/namespaces/${NAMESPACE}/daemonsets`, wrap: (c) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', spec: { selector, template: podTemplate(c) } }) },
  { kind: 'ReplicationController', path: `/api/v1/namespaces/${NAMESPACE}/replicationcontrollers`, wrap: (c) => ({ apiVersion: 'v1', kind: 'ReplicationController', spec: { selector: { app: 'case' }, template: podTemplate(c) } }) },
  { kind: 'Job', path: `/apis/batch/v1/namespaces/${NAMESPACE}/jobs`, wrap: (c) => ({ apiVersion: 'batch/v1', kind: 'Job', spec: { template: podTemplate(c, 'Never') } }) },
  { kind: 'CronJob', path: `/apis/batch/v1/namespaces/${NAMESPACE}/cronjobs`, wrap: (c) => ({ apiVersion: 'batch/v1', kind: 'CronJob', spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: podTemplate(c, 'Never') } } } }) },
  { kind: 'PodTemplate', path: `/api/v1/namespaces/${NAMESPACE}/podtemplates`, wrap: (c) => ({ apiVersion: 'v1', kind: 'PodTemplate', template: podTemplate(c) }) },
  { kind: 'Rollout', path: `/apis/argoproj.io/v1alpha1/namespaces/${NAMESPACE}/rollouts`, wrap: (c) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', spec: { selector, template: podTemplate(c) } }) },
  { kind: 'Workload', path: `/apis/oracle.kubeharden.io/v1/namespaces/${NAMESPACE}/workloads`, wrap: (c) => ({ apiVersion: 'oracle.kubeharden.io/v1', kind: 'Workload', spec: { podTemplate: podTemplate(c) } }) },
];

/** Where a corpus object is created, by apiVersion and kind (kinds with a pod template only). */
const CORPUS_PATHS: Readonly<Record<string, string>> = Object.fromEntries(
  WRAPPERS.map(({ kind, path, wrap }) => [`${String(wrap({ name: '' }).apiVersion)}/${kind}`, path]),
);

/** Where the object controls' kinds are created. */
const OBJECT_PATHS: Readonly<Record<string, string>> = {
  'v1/Service': `/api/v1/namespaces/${NAMESPACE}/services`,
  'networking.k8s.io/v1/Ingress': `/apis/networking.k8s.io/v1/namespaces/${NAMESPACE}/ingresses`,
};

/** A CRD that keeps any fields, so a custom kind reaches admission as written. */
function crd(group: string, version: string, kind: string, plural: string): Json {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [{ name: version, served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  };
}

async function inParallel<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index] as T);
      }
    }),
  );
  return results;
}

interface Trial {
  readonly control: Control;
  readonly minor: number;
  readonly what: string;
  readonly path: string;
  readonly object: Json;
}

async function run(cluster: Cluster, trial: Trial): Promise<Outcome> {
  const id = trial.control.meta.id;
  const metadata: Json = { ...(trial.object.metadata as Json | undefined), name: 'case', namespace: NAMESPACE };
  const labels = { ...(isRecord(metadata.labels) ? metadata.labels : {}), [CONTROL_LABEL]: id, [VERSION_LABEL]: String(trial.minor) };
  const object = { ...trial.object, metadata: { ...metadata, labels } };
  const flagged = scannerFlags(trial.control, object, { minor: trial.minor });
  const response = await cluster.request('admin', 'POST', `${trial.path}?dryRun=All`, object);
  const message = String((response.json as { message?: string } | undefined)?.message ?? response.text);
  const verdict: Verdict = response.status === 201 ? 'admitted' : message.includes(`ValidatingAdmissionPolicy '${policyName(id)}-v${trial.minor}'`) ? 'rejected' : 'refused';
  return { control: id, what: trial.what, flagged, verdict, message };
}

function exportAt(minor: number, split: VapSplit) {
  return exportVap({
    catalog: CONTROLS,
    version: { minor },
    framework: 'all',
    action: 'Deny',
    split,
    settings: DEFAULT_SETTINGS,
    templatePaths: TEMPLATE_PATHS,
    exceptions: [],
    today: '2026-12-03',
    paramsNamespace: NAMESPACE,
  });
}

/** The per-control policies for one version, renamed and bound to the objects labelled with their control and that version. */
function oraclePolicies(minor: number): Json[] {
  return exportAt(minor, 'per-control').objects.map((object) => {
    const metadata = object.metadata as Json;
    const spec = object.spec as Json;
    const id = String((metadata.labels as Json)['kubeharden.io/control'] ?? '');
    const name = `${String(metadata.name)}-v${minor}`;
    // The server serves v1 only; a 1.28–1.29 export differs from v1 in its apiVersion alone.
    const apiVersion = object.kind === 'ConfigMap' ? object.apiVersion : 'admissionregistration.k8s.io/v1';
    if (object.kind === 'ValidatingAdmissionPolicyBinding') {
      return { ...object, apiVersion, metadata: { ...metadata, name }, spec: { ...spec, policyName: name, matchResources: { objectSelector: { matchLabels: { [CONTROL_LABEL]: id, [VERSION_LABEL]: String(minor) } } } } };
    }
    return object.kind === 'ConfigMap' ? object : { ...object, apiVersion, metadata: { ...metadata, name } };
  });
}

const combinedName = (name: string, minor: number) => `${name}-combined-v${minor}`;

/** The combined policies for one version, renamed and bound to the objects labelled combined at that version. */
function combinedPolicies(minor: number): Json[] {
  return exportAt(minor, 'combined').objects.map((object) => {
    if (object.kind === 'ConfigMap') return object;
    const metadata = object.metadata as Json;
    const spec = object.spec as Json;
    const name = combinedName(String(metadata.name), minor);
    const apiVersion = 'admissionregistration.k8s.io/v1';
    if (object.kind === 'ValidatingAdmissionPolicyBinding') {
      return { ...object, apiVersion, metadata: { ...metadata, name }, spec: { ...spec, policyName: name, matchResources: { objectSelector: { matchLabels: { [COMBINED_LABEL]: 'true', [VERSION_LABEL]: String(minor) } } } } };
    }
    return { ...object, apiVersion, metadata: { ...metadata, name } };
  });
}

const RESOURCE_PATHS: Readonly<Record<string, string>> = {
  ValidatingAdmissionPolicy: '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies',
  ValidatingAdmissionPolicyBinding: '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings',
  ConfigMap: `/api/v1/namespaces/${NAMESPACE}/configmaps`,
};

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

function tally(outcomes: readonly Outcome[]) {
  const count = (test: (o: Outcome) => boolean) => outcomes.filter(test).length;
  return {
    compared: count((o) => o.verdict !== 'refused'),
    rejected: count((o) => o.verdict === 'rejected'),
    admitted: count((o) => o.verdict === 'admitted'),
    refused: count((o) => o.verdict === 'refused'),
    mismatches: outcomes.filter((o) => o.verdict !== 'refused' && (o.verdict === 'rejected') !== o.flagged).map((o) => `${o.control} ${o.what}: scanner ${o.flagged ? 'flags' : 'passes'}, API server ${o.verdict}: ${o.message.slice(0, 300)}`),
  };
}

interface CombinedOutcome {
  readonly what: string;
  /** The exported controls the scanner reports, in the policies' order. */
  readonly flagged: readonly string[];
  readonly verdict: Verdict;
  /** The control the rejection names. */
  readonly named: string | undefined;
  readonly message: string;
}

/** The controls one combined export holds at a version, in its order. */
const combinedControls = new Map<number, Control[]>();
function controlsOfCombined(minor: number): Control[] {
  let controls = combinedControls.get(minor);
  if (!controls) {
    const byId = new Map(CONTROLS.map((control) => [control.meta.id, control]));
    controls = exportAt(minor, 'combined').exported.map((e) => byId.get(e.id) as Control);
    combinedControls.set(minor, controls);
  }
  return controls;
}

/** The scanner's verdict on exactly the object sent, for every control of the combined export at this version. */
function scannerFlagsAny(object: Json, version: KubeVersion): string[] {
  const controls = controlsOfCombined(version.minor);
  const active = selectControls(controls, 'all', version).active;
  assert.equal(active.length, controls.length);
  const errors: InputError[] = [];
  const findings = [...loadResources('oracle.yaml', Buffer.from(JSON.stringify(object)), errors, false)].flatMap((r) => evaluateResource(r, { controls: active, version, templatePaths: TEMPLATE_PATHS }).findings);
  assert.deepEqual(errors, []);
  const flagged = new Set(findings.map((finding) => finding.controlId));
  return controls.map((control) => control.meta.id).filter((id) => flagged.has(id));
}

async function runCombined(cluster: Cluster, trial: Omit<Trial, 'control'>): Promise<CombinedOutcome> {
  const metadata: Json = { ...(trial.object.metadata as Json | undefined), name: 'case', namespace: NAMESPACE };
  const labels = { ...(isRecord(metadata.labels) ? metadata.labels : {}), [COMBINED_LABEL]: 'true', [VERSION_LABEL]: String(trial.minor) };
  const object = { ...trial.object, metadata: { ...metadata, labels } };
  const flagged = scannerFlagsAny(object, { minor: trial.minor });
  const response = await cluster.request('admin', 'POST', `${trial.path}?dryRun=All`, object);
  const message = String((response.json as { message?: string } | undefined)?.message ?? response.text);
  const verdict: Verdict = response.status === 201 ? 'admitted' : message.includes(`-combined-v${trial.minor}' with binding`) ? 'rejected' : 'refused';
  return { what: trial.what, flagged, verdict, named: /denied request: ([A-Z0-9-]+): /.exec(message)?.[1], message };
}

function tallyCombined(outcomes: readonly CombinedOutcome[]) {
  const count = (test: (o: CombinedOutcome) => boolean) => outcomes.filter(test).length;
  const agrees = (o: CombinedOutcome) => (o.verdict === 'rejected' ? o.named === o.flagged[0] : o.flagged.length === 0);
  return {
    rejected: count((o) => o.verdict === 'rejected'),
    admitted: count((o) => o.verdict === 'admitted'),
    refused: count((o) => o.verdict === 'refused'),
    mismatches: outcomes
      .filter((o) => o.verdict !== 'refused' && !agrees(o))
      .map((o) => `${o.what}: scanner flags [${o.flagged.join(', ')}], API server ${o.verdict}${o.named ? ` naming ${o.named}` : ''}: ${o.message.slice(0, 300)}`),
  };
}

describe('export vap proven by the API server (server-side dry-run, per control and combined)', { timeout: 900_000 }, () => {
  let cluster: Cluster | undefined;
  let skip: string | undefined;
  let tables: Map<Control, ControlCases | ObjectControlCases>;
  let serverMinor: number;
  const applied: string[] = [];

  before(async () => {
    const started = await startCluster({ profile: 'insecure' });
    if ('skip' in started) {
      skip = started.skip;
      return;
    }
    cluster = started;
    serverMinor = parseKubeVersion(`1.${cluster.version.minor.replace(/\D/g, '')}`).minor;
    await cluster.createNamespace(NAMESPACE);
    // The ServiceAccount admission plugin needs the accounts the cases' Pods name.
    for (const name of ['storefront']) {
      const response = await cluster.request('admin', 'POST', `/api/v1/namespaces/${NAMESPACE}/serviceaccounts`, { metadata: { name } });
      assert.equal(response.status, 201, response.text);
    }
    for (const definition of [crd('argoproj.io', 'v1alpha1', 'Rollout', 'rollouts'), crd('oracle.kubeharden.io', 'v1', 'Workload', 'workloads')]) {
      const response = await cluster.request('admin', 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', definition);
      assert.equal(response.status, 201, response.text);
    }
    tables = await controlTables();
  });
  after(async () => {
    await cluster?.stop();
  });

  /** Versions the cases are judged at: each case's own (1.28 and later), else the server's. */
  const caseMinor = (testCase: PodCase) => (testCase.version ? parseKubeVersion(testCase.version).minor : serverMinor);

  /** Every case of every exported control, as a Pod and in each kind that keeps a pod template. */
  function caseTrials(): { trials: Trial[]; olderCases: number; unserved: number } {
    const trials: Trial[] = [];
    let olderCases = 0;
    let unserved = 0;
    for (const [control, cases] of tables) {
      if (!('admission' in control) || !control.admission || 'notAdmissible' in control.admission) continue;
      if (control.scope === 'object') {
        for (const { name, object } of [...(cases as ObjectControlCases).valid, ...(cases as ObjectControlCases).invalid]) {
          const path = OBJECT_PATHS[`${String(object.apiVersion)}/${String(object.kind)}`];
          // A kind no 1.28+ server serves (extensions/v1beta1 Ingress, a CRD named Ingress) cannot be admitted at all.
          if (path) trials.push({ control, minor: serverMinor, what: `${String(object.kind)} "${name}" (1.${serverMinor})`, path, object });
          else unserved++;
        }
        continue;
      }
      for (const testCase of [...(cases as ControlCases).valid, ...(cases as ControlCases).invalid]) {
        const minor = caseMinor(testCase);
        if (minor < 28) {
          olderCases++;
          continue;
        }
        for (const { kind, path, wrap } of WRAPPERS) trials.push({ control, minor, what: `${kind} "${testCase.name}" (1.${minor})`, path, object: wrap(testCase) });
      }
    }
    return { trials, olderCases, unserved };
  }

  /**
   * Policies reach admission through informers, a moment after they are created: wait until each policy rejects
   * the first Pod of its cases that the scanner reports (or the API server refuses it anyway).
   */
  async function waitUntilActive(c: Cluster): Promise<void> {
    const probes = new Map<string, Trial>();
    for (const trial of caseTrials().trials) {
      const key = `${trial.control.meta.id}-${trial.minor}`;
      if (!probes.has(key) && /^(Pod|Service|Ingress) /.test(trial.what) && scannerFlags(trial.control, trial.object, { minor: trial.minor })) probes.set(key, trial);
    }
    // The combined policies: the first Pod at each version that the scanner reports for any control.
    const combinedProbes = new Map<number, Trial>();
    for (const trial of caseTrials().trials) {
      if (!combinedProbes.has(trial.minor) && trial.what.startsWith('Pod ') && scannerFlagsAny(trial.object, { minor: trial.minor }).length > 0) combinedProbes.set(trial.minor, trial);
    }
    // Generous: on a busy machine the informers of a few hundred policies take a while.
    const deadline = Date.now() + 240_000;
    await inParallel([...probes.values()], async (trial) => {
      while ((await run(c, trial)).verdict === 'admitted') {
        if (Date.now() > deadline) throw new Error(`policy for ${trial.control.meta.id} at 1.${trial.minor} never became active`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    });
    await inParallel([...combinedProbes.values()], async (trial) => {
      while ((await runCombined(c, trial)).verdict === 'admitted') {
        if (Date.now() > deadline) throw new Error(`the combined policies at 1.${trial.minor} never became active`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    });
  }

  it('accepts every exported policy and binding, at every version the cases use', async (t) => {
    if (skip || !cluster) return t.skip(skip);
    const minors = new Set([serverMinor, ...[...tables.values()].flatMap((c) => [...c.valid, ...c.invalid]).map(caseMinor).filter((minor) => minor >= 28)]);
    const sorted = [...minors].sort((a, b) => a - b);
    const objects = [...sorted.flatMap(oraclePolicies), ...sorted.flatMap(combinedPolicies)];
    // Policies before their bindings; the params ConfigMap is the same at every version, so it is created once.
    const params = objects.filter((o) => o.kind === 'ConfigMap').slice(0, 1);
    for (const kind of ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']) {
      await inParallel([...params.splice(0), ...objects.filter((o) => o.kind === kind)], async (object) => {
        const response = await (cluster as Cluster).request('admin', 'POST', RESOURCE_PATHS[String(object.kind)] as string, object);
        assert.equal(response.status, 201, `${String(object.kind)} ${String((object.metadata as Json).name)}: ${response.text}`);
        if (object.kind === 'ValidatingAdmissionPolicy') applied.push(String((object.metadata as Json).name));
      });
    }
    await waitUntilActive(cluster);
    // Type checking runs in the background and reports what it finds in the policy's status.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const listed = await cluster.request('admin', 'GET', RESOURCE_PATHS.ValidatingAdmissionPolicy as string);
    const warnings = ((listed.json as { items: Json[] }).items).flatMap((policy) => {
      const checking = (policy.status as Json | undefined)?.typeChecking as { expressionWarnings?: unknown[] } | undefined;
      return (checking?.expressionWarnings ?? []).map((w) => `${String((policy.metadata as Json).name)}: ${JSON.stringify(w)}`);
    });
    assert.deepEqual(warnings, []);
    const combined = applied.filter((name) => name.includes('-combined-v'));
    assert.deepEqual({ perControl: applied.length - combined.length, combined: combined.length }, { perControl: 236, combined: 21 });
    t.diagnostic(`${applied.length - combined.length} per-control and ${combined.length} combined policies accepted at versions ${sorted.map((m) => `1.${m}`).join(', ')}`);
  });

  it('every exported control has its table of cases', (t) => {
    if (skip || !cluster) return t.skip(skip);
    const exported = exportVap({ catalog: CONTROLS, version: { minor: serverMinor }, framework: 'all', action: 'Deny', settings: DEFAULT_SETTINGS, templatePaths: TEMPLATE_PATHS, exceptions: [], today: '2026-12-03', paramsNamespace: NAMESPACE }).exported.map((e) => e.id);
    const withTables = new Set([...tables.keys()].map((control) => control.meta.id));
    assert.deepEqual(exported.filter((id) => !withTables.has(id)), []);
  });

  it("rejects exactly the control tests' cases the scanner reports, as a Pod and in every workload kind", async (t) => {
    if (skip || !cluster) return t.skip(skip);
    const { trials, olderCases, unserved } = caseTrials();
    const started = Date.now();
    const outcomes = await inParallel(trials, (trial) => run(cluster as Cluster, trial));
    const result = tally(outcomes);
    t.diagnostic(`${trials.length} requests in ${Date.now() - started} ms: ${result.rejected} rejected, ${result.admitted} admitted, ${result.refused} refused by the API server's own validation; ${olderCases} cases are for releases before 1.28, ${unserved} for kinds no 1.28+ server serves`);
    for (const refusal of new Set(outcomes.filter((o) => o.verdict === 'refused').map((o) => `${o.control} ${o.what.replace(/^\w+ /, '')}: ${o.message.replace(/^[^:]*: /, '').slice(0, 160)}`))) t.diagnostic(`refused: ${refusal}`);
    assert.deepEqual(result.mismatches, []);
    assert.deepEqual({ requests: trials.length, rejected: result.rejected, admitted: result.admitted, refused: result.refused, olderCases, unserved }, { requests: 1633, rejected: 688, admitted: 852, refused: 93, olderCases: 9, unserved: 2 });
  });

  it('rejects exactly the real-world corpus workloads the scanner reports, control by control', { skip: needsShared }, async (t) => {
    if (skip || !cluster) return t.skip(skip);
    const workloads = corpusObjects(CORPUS_PATHS);
    const exported = [...tables.keys()].filter((control) => 'admission' in control && control.admission !== undefined && !('notAdmissible' in control.admission));
    const controls = exported.filter((control) => control.scope === 'pod');
    const objectControls = exported.filter((control) => control.scope === 'object');
    const objects = corpusObjects(OBJECT_PATHS);
    const trials = [
      ...controls.flatMap((control) => workloads.map((w) => ({ control, minor: serverMinor, ...w }))),
      ...objectControls.flatMap((control) => objects.filter((o) => (control as ObjectControl).kinds.some((kind) => kind === String(o.object.kind) || kind.endsWith(`/${String(o.object.kind)}`))).map((o) => ({ control, minor: serverMinor, ...o }))),
    ];
    const started = Date.now();
    const outcomes = await inParallel(trials, (trial) => run(cluster as Cluster, trial));
    const result = tally(outcomes);
    t.diagnostic(`${workloads.length} workloads × ${controls.length} pod controls and ${objects.length} Services and Ingresses × ${objectControls.length} object controls: ${trials.length} requests in ${Date.now() - started} ms: ${result.rejected} rejected, ${result.admitted} admitted, ${result.refused} refused by the API server's own validation`);
    for (const refusal of new Set(outcomes.filter((o) => o.verdict === 'refused').map((o) => `${o.what}: ${o.message.slice(0, 160)}`))) t.diagnostic(`refused: ${refusal}`);
    assert.deepEqual(result.mismatches, []);
    assert.deepEqual(
      { workloads: workloads.length, podControls: controls.length, objects: objects.length, objectControls: objectControls.length, requests: trials.length, rejected: result.rejected, admitted: result.admitted, refused: result.refused },
      { workloads: 397, podControls: 31, objects: 319, objectControls: 4, requests: 13260, rejected: 2754, admitted: 9949, refused: 557 },
    );
  });

  /** Sends each object once to the combined policies; no mismatch allowed; the counts, for the exact comparison. */
  async function judgeCombined(t: TestContext, trials: readonly Omit<Trial, 'control'>[]) {
    const started = Date.now();
    const result = tallyCombined(await inParallel(trials, (trial) => runCombined(cluster as Cluster, trial)));
    t.diagnostic(`${trials.length} requests in ${Date.now() - started} ms: ${result.rejected} rejected, ${result.admitted} admitted, ${result.refused} refused by the API server's own validation`);
    assert.deepEqual(result.mismatches, []);
    return { requests: trials.length, rejected: result.rejected, admitted: result.admitted, refused: result.refused };
  }

  it("the combined policies reject exactly the control tests' cases the scanner reports for any control, naming the first", async (t) => {
    if (skip || !cluster) return t.skip(skip);
    assert.deepEqual(await judgeCombined(t, caseTrials().trials), { requests: 1633, rejected: 1536, admitted: 4, refused: 93 });
  });

  it('the combined policies reject exactly the real-world corpus objects the scanner reports for any control, naming the first', { skip: needsShared }, async (t) => {
    if (skip || !cluster) return t.skip(skip);
    const trials = [...corpusObjects(CORPUS_PATHS), ...corpusObjects(OBJECT_PATHS)].map((o) => ({ minor: serverMinor, ...o }));
    assert.deepEqual(await judgeCombined(t, trials), { requests: 716, rejected: 413, admitted: 276, refused: 27 });
  });
});
