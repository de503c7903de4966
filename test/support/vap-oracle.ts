/**
 * What the `export vap` oracles share (test/cluster/vap-oracle.test.ts at the harness' own version,
 * test/cluster/vap-v1beta1.test.ts on a 1.29 server): the controls' tables of cases, the kinds each case is created
 * as, the scanner's verdict on exactly the object sent, the policies bound one control per request, and the tally.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTROLS } from '../../src/controls/index.js';
import { exportVap, policyName } from '../../src/enforce/vap/export-vap.js';
import type { VapSplit } from '../../src/enforce/vap/splits.js';
import { evaluateResource } from '../../src/engine/evaluate.js';
import { selectControls } from '../../src/engine/select.js';
import { DEFAULT_SETTINGS, type Control } from '../../src/engine/types.js';
import { TemplatePaths } from '../../src/kube/pod-templates.js';
import { parseKubeVersion, type KubeVersion } from '../../src/kube/version.js';
import { loadResources, type InputError } from '../../src/loader/source.js';
import { scanInputs } from '../../src/scan/scan.js';
import { isRecord, type Json } from '../../src/util/object.js';
import type { Cluster } from './cluster-harness.js';
import type { ControlCases, ObjectControlCases, PodCase } from './control-tester.js';

export const NAMESPACE = 'vap-oracle';
const CONTROL_LABEL = 'kubeharden.io/oracle-control';
const VERSION_LABEL = 'kubeharden.io/oracle-version';
/** Objects sent to the combined policies carry this label (and the version), not the control label. */
const COMBINED_LABEL = 'kubeharden.io/oracle-combined';
/** A custom kind given as `--pod-template-path`, served by a CRD the test installs. */
const CUSTOM_TEMPLATE_PATH = 'oracle.kubeharden.io/Workload=spec.podTemplate';
export const TEMPLATE_PATHS = TemplatePaths.parse([CUSTOM_TEMPLATE_PATH]);
const CONCURRENCY = 16;

export type Verdict = 'rejected' | 'admitted' | 'refused';

export interface Outcome {
  readonly control: string;
  readonly what: string;
  readonly flagged: boolean;
  readonly verdict: Verdict;
  readonly message: string;
}

export type Tables = Map<Control, ControlCases | ObjectControlCases>;

/** Every exported control's table, found beside its test: test/controls/<family>/<name>.cases.ts. */
export async function controlTables(): Promise<Tables> {
  const testControls = fileURLToPath(new URL('../controls/', import.meta.url));
  const tables: Tables = new Map();
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

/** True when the control carries CEL (`export vap` exports it, whole or in part). */
export function isExported(control: Control): boolean {
  if (control.scope === 'component') return false;
  return control.admission !== undefined && !('notAdmissible' in control.admission);
}

/** The kinds (`Kind`, `group/Kind`) a non-pod control's CEL judges. */
export function judgedKinds(control: Control): readonly string[] {
  if (control.scope === 'object') return control.kinds;
  return control.scope === 'inventory' ? (control.admission?.kinds ?? []) : [];
}

/**
 * The scanner's verdict on exactly the object sent: does this control report it at this version? An inventory
 * control runs through the whole scan, over this one object alone.
 */
export async function scannerFlags(control: Control, object: Json, version: KubeVersion): Promise<boolean> {
  const errors: InputError[] = [];
  const text = Buffer.from(JSON.stringify(object));
  if (control.scope === 'inventory') {
    const input = { name: 'oracle.json', preferJson: true, read: async () => text };
    const result = await scanInputs([input], errors, { framework: 'all', version, templatePaths: TEMPLATE_PATHS });
    assert.deepEqual(errors, []);
    return result.findings.some((finding) => finding.controlId === control.meta.id);
  }
  const context = { controls: selectControls([control], 'all', version).active, version, templatePaths: TEMPLATE_PATHS };
  const findings = [...loadResources('oracle.yaml', text, errors, false)].flatMap((r) => evaluateResource(r, context).findings);
  assert.deepEqual(errors, []);
  return findings.length > 0;
}

const podTemplate = (testCase: PodCase, restartPolicy?: string): Json => ({
  metadata: { labels: { app: 'case', ...testCase.labels }, ...(testCase.annotations ? { annotations: testCase.annotations } : {}) },
  spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0' }], ...(restartPolicy ? { restartPolicy } : {}), ...testCase.spec },
});
const selector = { matchLabels: { app: 'case' } };

/** A case as each kind that keeps a pod template: the API path to create it and the object. */
export const WRAPPERS: readonly { kind: string; path: string; wrap: (testCase: PodCase) => Json }[] = [
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

const RBAC = '/apis/rbac.authorization.k8s.io/v1';
/** Where the object controls' kinds are created (and the kinds inventory controls judge alone). */
export const OBJECT_PATHS: Readonly<Record<string, string>> = {
  'v1/Service': `/api/v1/namespaces/${NAMESPACE}/services`,
  'v1/Secret': `/api/v1/namespaces/${NAMESPACE}/secrets`,
  'networking.k8s.io/v1/Ingress': `/apis/networking.k8s.io/v1/namespaces/${NAMESPACE}/ingresses`,
  'rbac.authorization.k8s.io/v1/Role': `${RBAC}/namespaces/${NAMESPACE}/roles`,
  'rbac.authorization.k8s.io/v1/RoleBinding': `${RBAC}/namespaces/${NAMESPACE}/rolebindings`,
  'rbac.authorization.k8s.io/v1/ClusterRole': `${RBAC}/clusterroles`,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': `${RBAC}/clusterrolebindings`,
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

/** The test namespace, the ServiceAccounts the cases' Pods name, and the CRDs of the Rollout and the custom kind. */
export async function prepareOracleCluster(cluster: Cluster): Promise<void> {
  await cluster.createNamespace(NAMESPACE);
  for (const name of ['storefront']) {
    const response = await cluster.request('admin', 'POST', `/api/v1/namespaces/${NAMESPACE}/serviceaccounts`, { metadata: { name } });
    assert.equal(response.status, 201, response.text);
  }
  for (const definition of [crd('argoproj.io', 'v1alpha1', 'Rollout', 'rollouts'), crd('oracle.kubeharden.io', 'v1', 'Workload', 'workloads')]) {
    const response = await cluster.request('admin', 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', definition);
    assert.equal(response.status, 201, response.text);
  }
}

export async function inParallel<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
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

export interface Trial {
  readonly control: Control;
  readonly minor: number;
  readonly what: string;
  readonly path: string;
  readonly object: Json;
}

/**
 * One server-side dry-run create, labelled for its control's policy, and the scanner's verdict on the same object.
 * `query` adds to `dryRun=All` (`fieldValidation=Strict`, so an older server refuses a field it does not know
 * instead of dropping it unseen).
 */
export async function runTrial(cluster: Cluster, trial: Trial, query = ''): Promise<Outcome> {
  const id = trial.control.meta.id;
  const namespaced = trial.path.includes('/namespaces/');
  const { namespace: _namespace, ...own } = (trial.object.metadata as Json | undefined) ?? {};
  const metadata: Json = { ...own, name: 'case', ...(namespaced ? { namespace: NAMESPACE } : {}) };
  const labels = { ...(isRecord(metadata.labels) ? metadata.labels : {}), [CONTROL_LABEL]: id, [VERSION_LABEL]: String(trial.minor) };
  const object = { ...trial.object, metadata: { ...metadata, labels } };
  const flagged = await scannerFlags(trial.control, object, { minor: trial.minor });
  const response = await cluster.request('admin', 'POST', `${trial.path}?dryRun=All${query}`, object);
  const message = String((response.json as { message?: string } | undefined)?.message ?? response.text);
  const verdict: Verdict = response.status === 201 ? 'admitted' : message.includes(`ValidatingAdmissionPolicy '${policyName(id)}-v${trial.minor}'`) ? 'rejected' : 'refused';
  return { control: id, what: trial.what, flagged, verdict, message };
}

/**
 * The policies for one version, renamed and bound to the objects labelled with their control and that version.
 * `apiVersion`: the admissionregistration version the server is sent (a 1.28–1.29 export differs from v1 in its
 * apiVersion alone, so a v1 server takes it as v1); undefined keeps the export's own.
 */
export function oraclePolicies(minor: number, apiVersion?: string): Json[] {
  return exportAt(minor, 'per-control').objects.map((object) => {
    const metadata = object.metadata as Json;
    const spec = object.spec as Json;
    const id = String((metadata.labels as Json)['kubeharden.io/control'] ?? '');
    const name = `${String(metadata.name)}-v${minor}`;
    const version = object.kind === 'ConfigMap' ? object.apiVersion : (apiVersion ?? object.apiVersion);
    if (object.kind === 'ValidatingAdmissionPolicyBinding') {
      return { ...object, apiVersion: version, metadata: { ...metadata, name }, spec: { ...spec, policyName: name, matchResources: { objectSelector: { matchLabels: { [CONTROL_LABEL]: id, [VERSION_LABEL]: String(minor) } } } } };
    }
    return object.kind === 'ConfigMap' ? object : { ...object, apiVersion: version, metadata: { ...metadata, name } };
  });
}

/** The whole export at a version, in one of its shapes. */
export function exportAt(minor: number, split: VapSplit) {
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

const combinedName = (name: string, minor: number) => `${name}-combined-v${minor}`;

/** The combined policies for one version, renamed and bound to the objects labelled combined at that version. */
export function combinedPolicies(minor: number, apiVersion?: string): Json[] {
  return exportAt(minor, 'combined').objects.map((object) => {
    if (object.kind === 'ConfigMap') return object;
    const metadata = object.metadata as Json;
    const spec = object.spec as Json;
    const name = combinedName(String(metadata.name), minor);
    const version = apiVersion ?? object.apiVersion;
    if (object.kind === 'ValidatingAdmissionPolicyBinding') {
      return { ...object, apiVersion: version, metadata: { ...metadata, name }, spec: { ...spec, policyName: name, matchResources: { objectSelector: { matchLabels: { [COMBINED_LABEL]: 'true', [VERSION_LABEL]: String(minor) } } } } };
    }
    return { ...object, apiVersion: version, metadata: { ...metadata, name } };
  });
}

export interface CombinedOutcome {
  readonly what: string;
  /** The exported controls the scanner reports on the object sent. */
  readonly flagged: readonly string[];
  readonly verdict: Verdict;
  /** The control the rejection names. */
  readonly named: string | undefined;
  readonly message: string;
}

/** The ids the combined export holds at a version. */
const combinedIds = new Map<number, Set<string>>();
function idsOfCombined(minor: number): Set<string> {
  let ids = combinedIds.get(minor);
  if (!ids) combinedIds.set(minor, (ids = new Set(exportAt(minor, 'combined').exported.map((e) => e.id))));
  return ids;
}

/** The scanner's findings on exactly the object sent (the whole scan over that one object), among the exported controls. */
async function scannerFlagsAny(object: Json, version: KubeVersion): Promise<string[]> {
  const errors: InputError[] = [];
  const text = Buffer.from(JSON.stringify(object));
  const result = await scanInputs([{ name: 'oracle.json', preferJson: true, read: async () => text }], errors, { framework: 'all', version, templatePaths: TEMPLATE_PATHS });
  assert.deepEqual(errors, []);
  const ids = idsOfCombined(version.minor);
  return [...new Set(result.findings.map((finding) => finding.controlId).filter((id) => ids.has(id)))];
}

/** One server-side dry-run create against the combined policies, and the scanner's verdict on the same object. */
export async function runCombined(cluster: Cluster, trial: Omit<Trial, 'control'>, query = ''): Promise<CombinedOutcome> {
  const namespaced = trial.path.includes('/namespaces/');
  const { namespace: _namespace, ...own } = (trial.object.metadata as Json | undefined) ?? {};
  const metadata: Json = { ...own, name: 'case', ...(namespaced ? { namespace: NAMESPACE } : {}) };
  const labels = { ...(isRecord(metadata.labels) ? metadata.labels : {}), [COMBINED_LABEL]: 'true', [VERSION_LABEL]: String(trial.minor) };
  const object = { ...trial.object, metadata: { ...metadata, labels } };
  const flagged = await scannerFlagsAny(object, { minor: trial.minor });
  const response = await cluster.request('admin', 'POST', `${trial.path}?dryRun=All${query}`, object);
  const message = String((response.json as { message?: string } | undefined)?.message ?? response.text);
  const verdict: Verdict = response.status === 201 ? 'admitted' : message.includes(`-combined-v${trial.minor}' with binding`) ? 'rejected' : 'refused';
  return { what: trial.what, flagged, verdict, named: /denied request: ([A-Z0-9-]+): /.exec(message)?.[1], message };
}

/**
 * Rejected exactly when the scanner reports any exported control, and the rejection names one of those (the API
 * server answers with the first failing validation of the first policy that fails; a Pod may meet two policies).
 */
export function tallyCombined(outcomes: readonly CombinedOutcome[]) {
  const count = (test: (o: CombinedOutcome) => boolean) => outcomes.filter(test).length;
  const agrees = (o: CombinedOutcome) => (o.verdict === 'rejected' ? o.named !== undefined && o.flagged.includes(o.named) : o.flagged.length === 0);
  return {
    rejected: count((o) => o.verdict === 'rejected'),
    admitted: count((o) => o.verdict === 'admitted'),
    refused: count((o) => o.verdict === 'refused'),
    mismatches: outcomes
      .filter((o) => o.verdict !== 'refused' && !agrees(o))
      .map((o) => `${o.what}: scanner flags [${o.flagged.join(', ')}], API server ${o.verdict}${o.named ? ` naming ${o.named}` : ''}: ${o.message.slice(0, 300)}`),
  };
}

/** Waits until each version's combined policies reject the first Pod case the scanner reports. */
export async function waitUntilCombinedActive(cluster: Cluster, trials: readonly Trial[], query = ''): Promise<void> {
  const probes = new Map<number, Trial>();
  for (const trial of trials) {
    if (probes.has(trial.minor) || !trial.what.startsWith('Pod ')) continue;
    if ((await scannerFlagsAny(trial.object, { minor: trial.minor })).length > 0) probes.set(trial.minor, trial);
  }
  const deadline = Date.now() + 240_000;
  await inParallel([...probes.values()], async (trial) => {
    while ((await runCombined(cluster, trial, query)).verdict === 'admitted') {
      if (Date.now() > deadline) throw new Error(`the combined policies at 1.${trial.minor} never became active`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  });
}

/** Where each object of an export is created, for the admissionregistration version given. */
function resourcePath(object: Json): string {
  const version = String(object.apiVersion);
  switch (object.kind) {
    case 'ValidatingAdmissionPolicy':
      return `/apis/${version}/validatingadmissionpolicies`;
    case 'ValidatingAdmissionPolicyBinding':
      return `/apis/${version}/validatingadmissionpolicybindings`;
    default:
      return `/api/v1/namespaces/${NAMESPACE}/configmaps`;
  }
}

/**
 * Creates the params ConfigMap (once: it is the same at every version), then every policy, then every binding;
 * each must be accepted (201). Returns the policies' names.
 */
export async function applyPolicies(cluster: Cluster, objects: readonly Json[]): Promise<string[]> {
  const applied: string[] = [];
  const params = objects.filter((o) => o.kind === 'ConfigMap').slice(0, 1);
  for (const kind of ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']) {
    await inParallel([...params.splice(0), ...objects.filter((o) => o.kind === kind)], async (object) => {
      const response = await cluster.request('admin', 'POST', resourcePath(object), object);
      assert.equal(response.status, 201, `${String(object.kind)} ${String((object.metadata as Json).name)}: ${response.text}`);
      if (object.kind === 'ValidatingAdmissionPolicy') applied.push(String((object.metadata as Json).name));
    });
  }
  return applied;
}

/** Type checking runs in the background and reports what it finds in each policy's status: every warning, named. */
export async function typeCheckingWarnings(cluster: Cluster, apiVersion: string): Promise<string[]> {
  const listed = await cluster.request('admin', 'GET', `/apis/${apiVersion}/validatingadmissionpolicies`);
  return (listed.json as { items: Json[] }).items.flatMap((policy) => {
    const checking = (policy.status as Json | undefined)?.typeChecking as { expressionWarnings?: unknown[] } | undefined;
    return (checking?.expressionWarnings ?? []).map((w) => `${String((policy.metadata as Json).name)}: ${JSON.stringify(w)}`);
  });
}

/** Versions the cases are judged at: each case's own, else the server's. */
export function caseMinor(testCase: PodCase, serverMinor: number): number {
  return testCase.version ? parseKubeVersion(testCase.version).minor : serverMinor;
}

export interface CaseTrials {
  readonly trials: Trial[];
  /** Pod cases judged at a version outside [oldest, newest]: before 1.28, or (on an older server) after it. */
  readonly otherVersions: number;
  /** Object cases of a kind no 1.28+ server serves (extensions/v1beta1 Ingress). */
  readonly unserved: number;
}

/** Every case of every exported control, as a Pod and in each kind that keeps a pod template, at versions oldest–newest. */
export function caseTrials(tables: Tables, serverMinor: number, oldest: number, newest = Number.POSITIVE_INFINITY): CaseTrials {
  const trials: Trial[] = [];
  let otherVersions = 0;
  let unserved = 0;
  for (const [control, cases] of tables) {
    if (!isExported(control)) continue;
    if (control.scope !== 'pod') {
      for (const { name, object } of [...(cases as ObjectControlCases).valid, ...(cases as ObjectControlCases).invalid]) {
        const path = OBJECT_PATHS[`${String(object.apiVersion)}/${String(object.kind)}`];
        // A kind no 1.28+ server serves (extensions/v1beta1 Ingress, a CRD named Ingress) cannot be admitted at all.
        if (path) trials.push({ control, minor: serverMinor, what: `${String(object.kind)} "${name}" (1.${serverMinor})`, path, object });
        else unserved++;
      }
      continue;
    }
    for (const testCase of [...(cases as ControlCases).valid, ...(cases as ControlCases).invalid]) {
      const minor = caseMinor(testCase, serverMinor);
      if (minor < oldest || minor > newest) {
        otherVersions++;
        continue;
      }
      for (const { kind, path, wrap } of WRAPPERS) trials.push({ control, minor, what: `${kind} "${testCase.name}" (1.${minor})`, path, object: wrap(testCase) });
    }
  }
  return { trials, otherVersions, unserved };
}

/**
 * Policies reach admission through informers, a moment after they are created: wait until each policy rejects
 * the first object of its cases that the scanner reports (or the API server refuses it anyway).
 */
export async function waitUntilActive(cluster: Cluster, trials: readonly Trial[], query = ''): Promise<void> {
  const probes = new Map<string, Trial>();
  for (const trial of trials) {
    const key = `${trial.control.meta.id}-${trial.minor}`;
    if (probes.has(key) || !/^(Pod|Service|Ingress|Secret|Role|ClusterRole|RoleBinding|ClusterRoleBinding) /.test(trial.what)) continue;
    if (await scannerFlags(trial.control, trial.object, { minor: trial.minor })) probes.set(key, trial);
  }
  // Generous: on a busy machine the informers of a few hundred policies take a while.
  const deadline = Date.now() + 240_000;
  await inParallel([...probes.values()], async (trial) => {
    while ((await runTrial(cluster, trial, query)).verdict === 'admitted') {
      if (Date.now() > deadline) throw new Error(`policy for ${trial.control.meta.id} at 1.${trial.minor} never became active`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  });
}

export function tally(outcomes: readonly Outcome[]) {
  const count = (test: (o: Outcome) => boolean) => outcomes.filter(test).length;
  return {
    compared: count((o) => o.verdict !== 'refused'),
    rejected: count((o) => o.verdict === 'rejected'),
    admitted: count((o) => o.verdict === 'admitted'),
    refused: count((o) => o.verdict === 'refused'),
    mismatches: outcomes.filter((o) => o.verdict !== 'refused' && (o.verdict === 'rejected') !== o.flagged).map((o) => `${o.control} ${o.what}: scanner ${o.flagged ? 'flags' : 'passes'}, API server ${o.verdict}: ${o.message.slice(0, 300)}`),
  };
}

/** Each control's outcomes: rejected and admitted, so a count names the control that moved. */
export function perControl(outcomes: readonly Outcome[]): Record<string, { rejected: number; admitted: number; refused: number }> {
  const result: Record<string, { rejected: number; admitted: number; refused: number }> = {};
  for (const outcome of outcomes) {
    const entry = (result[outcome.control] ??= { rejected: 0, admitted: 0, refused: 0 });
    entry[outcome.verdict]++;
  }
  return result;
}
