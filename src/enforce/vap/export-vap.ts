/**
 * `kubeharden export vap`: the catalog's single-object controls as ValidatingAdmissionPolicies (CEL), so the API
 * server itself refuses what a scan would report. Every selected control that cannot be one is listed with the
 * reason, never dropped silently.
 *
 * By default (`combined`) every pod-template control is one validation of a single policy, and the object controls
 * are one policy per kind they judge: a request that meets one policy finds the pod template and builds its
 * container lists once, not once per control. Every policy's last matchCondition (`fails-a-check`) lets it judge only
 * objects that fail one of its checks, so an admitted request runs the checks once and no validation or message.
 * `per-control` writes one policy and binding per control, for binding controls selectively.
 */
import { celOptionalPresence, eachExpression, OPTIONAL_TYPES_MINOR } from '../../engine/admission-cel.js';
import { appliesToVersion, selectControls } from '../../engine/select.js';
import type { AdmissionEach, AdmissionRule, AdmissionValidation, Control, FrameworkId, InventoryAdmissionRule, ScanSettings } from '../../engine/types.js';
import type { ExceptionRule } from '../../exceptions/exception-set.js';
import type { TemplatePaths } from '../../kube/pod-templates.js';
import { formatVersion, type KubeVersion } from '../../kube/version.js';
import type { Json } from '../../util/object.js';
import { policyExceptions, type SkippedException } from './exception-conditions.js';
import { admissionKinds, objectMatch, type ObjectMatch } from './object-kinds.js';
import { podTemplateMatch } from './pod-variables.js';
import { DEFAULT_VAP_SPLIT, type VapSplit } from './splits.js';

import type { VapAction } from './actions.js';

/** The oldest release with ValidatingAdmissionPolicy's variables and messageExpression (v1beta1). */
export const OLDEST_VAP_MINOR = 28;
/** ValidatingAdmissionPolicy went GA (admissionregistration.k8s.io/v1) in 1.30. */
const V1_MINOR = 30;

export const PARAMS_NAME = 'kubeharden-vap-params';
const LABELS = { 'app.kubernetes.io/managed-by': 'kubeharden' };

export interface VapExportOptions {
  readonly catalog: readonly Control[];
  readonly version: KubeVersion;
  readonly framework: FrameworkId;
  /** Only these control ids (after the framework). */
  readonly controls?: readonly string[];
  readonly action: VapAction;
  /** How controls are grouped into policies (default `combined`). */
  readonly split?: VapSplit;
  readonly settings: ScanSettings;
  readonly templatePaths: TemplatePaths;
  readonly exceptions: readonly ExceptionRule[];
  /** YYYY-MM-DD: exceptions that expired before it are not exported. */
  readonly today: string;
  /** Namespace of the params ConfigMap. */
  readonly paramsNamespace: string;
}

export interface ExportedControl {
  readonly id: string;
  /** The policies holding its validations (several for an object control over several kinds, when combined). */
  readonly policies: readonly string[];
  readonly validations: number;
  /** What the control also reports that one object cannot show (listed in the output's header). */
  readonly notCovered?: string;
}

export interface NotExported {
  readonly id: string;
  readonly reason: string;
}

export interface VapExport {
  readonly apiVersion: string;
  /** Policies, bindings and the params ConfigMap, in apply order (params first). */
  readonly objects: readonly Json[];
  readonly exported: readonly ExportedControl[];
  readonly notExported: readonly NotExported[];
  readonly skippedExceptions: readonly SkippedException[];
}

export class VapVersionError extends Error {}

export function admissionApiVersion(version: KubeVersion): string {
  if (version.minor < OLDEST_VAP_MINOR) {
    throw new VapVersionError(
      `ValidatingAdmissionPolicy needs Kubernetes 1.${OLDEST_VAP_MINOR} or later (admissionregistration.k8s.io/v1beta1 in 1.28–1.29, v1 from 1.30); --k8s-version is ${formatVersion(version)}`,
    );
  }
  return version.minor >= V1_MINOR ? 'admissionregistration.k8s.io/v1' : 'admissionregistration.k8s.io/v1beta1';
}

/** The policy of one control (`--split per-control`). */
export function policyName(id: string): string {
  return `kubeharden-${id.toLowerCase()}`;
}

/** The combined policy of every pod-template control. */
export const POD_TEMPLATES_POLICY = 'kubeharden-pod-templates';

/**
 * The matchCondition that lets a policy judge only the objects that fail one of its checks. The API server
 * evaluates the validations, then every messageExpression, passing or not, each set with fresh variables
 * (k8s.io/apiserver's validator.go and cel/composition.go, read at 1.28, 1.29 and 1.37); a matchCondition that is
 * false skips both. So nearly every request (an admitted one) runs the checks once, as one program, and no
 * validation or message; a request that fails a check is judged by the validations and messages as written.
 * matchConditions cannot read the policy's variables (the API server compiles them without), so the variables the
 * checks read are bound in place, each as a one-element comprehension (`[expression].all(name, ...)`).
 * A check that errors where none fails makes the condition error, which with `failurePolicy: Fail` refuses the
 * request, as the erroring validation did.
 */
export const FAILS_A_CHECK = 'fails-a-check';

/** A check of the policy: its CEL, and its parts when it is one predicate over a list's items. */
interface PolicyCheck {
  readonly expression: string;
  readonly each?: AdmissionEach | undefined;
}

/**
 * CEL: true unless every check holds. Checks over every item of the same list (with the same exemption) are judged
 * in one comprehension, their predicates joined: the same truth (`&&` in CEL is false when either side is, whatever
 * the other), one walk of the list instead of one per check.
 */
function failsACheck(checks: readonly PolicyCheck[], variables: readonly { name: string; expression: string }[]): string {
  const single: string[] = [];
  const lists = new Map<string, { each: AdmissionEach; holds: string[] }>();
  for (const check of checks) {
    const each = check.each;
    // Only a check whose expression is exactly its parts (a rule may have rewritten one).
    if (!each || check.expression !== eachExpression(each)) {
      single.push(check.expression);
      continue;
    }
    const key = `${each.unless ?? ''}\u0000${each.list}\u0000${each.item}`;
    const group = lists.get(key) ?? { each, holds: [] };
    group.holds.push(each.holds);
    lists.set(key, group);
  }
  const grouped = [...lists.values()].map(({ each, holds }) => eachExpression(each, holds.map((h) => `(${h})`).join(' && ')));
  const every = [...single, ...grouped].map((c) => `(${c})`).join(' && ');
  return `!(${bindVariables(every, variables)})`;
}

const VARIABLE_READ = /\bvariables\.([A-Za-z_]\w*)/g;
const boundName = (variable: string) => `kh_${variable}`;

/** The expression with each variable it reads (and those read by them) bound by a one-element comprehension. */
function bindVariables(expression: string, variables: readonly { name: string; expression: string }[]): string {
  const declared = new Map(variables.map((v) => [v.name, v.expression]));
  const reads = (cel: string) => [...cel.matchAll(VARIABLE_READ)].map((m) => m[1] as string).filter((name) => declared.has(name));
  const needed = new Set(reads(expression));
  // Variables read only earlier ones, so one pass from the last finds every one needed.
  for (const variable of [...variables].reverse()) if (needed.has(variable.name)) for (const name of reads(variable.expression)) needed.add(name);
  const rename = (cel: string) => cel.replace(VARIABLE_READ, (read, name: string) => (declared.has(name) ? boundName(name) : read));
  return variables.filter((v) => needed.has(v.name)).reduceRight((inner, v) => `[${rename(v.expression)}].all(${boundName(v.name)}, ${inner})`, rename(expression));
}

/** An exportable control with its validations at the version. */
interface Entry {
  readonly control: Control;
  readonly rule: AdmissionRule;
  readonly validations: readonly AdmissionValidation[];
}

/** The controls of one policy and what the policy matches. */
interface PolicyGroup {
  readonly name: string;
  readonly entries: Entry[];
  readonly match: ObjectMatch;
}

export function exportVap(options: VapExportOptions): VapExport {
  const apiVersion = admissionApiVersion(options.version);
  const selection = selectControls(options.catalog, options.framework, options.version, { settings: options.settings, components: true });
  const wanted = options.controls ? new Set(options.controls) : undefined;
  const chosen = (id: string) => !wanted || wanted.has(id);

  const notExported: NotExported[] = selection.skipped.filter(({ control }) => chosen(control.meta.id)).map(({ control, reason }) => ({ id: control.meta.id, reason }));
  if (wanted) {
    // Asked for by id but outside the framework or the version: say so rather than print nothing.
    for (const control of options.catalog) {
      if (!wanted.has(control.meta.id) || selection.active.includes(control) || notExported.some((n) => n.id === control.meta.id)) continue;
      const why = appliesToVersion(control, options.version) ? `not in the ${options.framework} framework (use --framework all)` : `does not apply to Kubernetes ${formatVersion(options.version)}`;
      notExported.push({ id: control.meta.id, reason: why });
    }
  }

  const entries: Entry[] = [];
  for (const control of selection.active) {
    if (!chosen(control.meta.id)) continue;
    const rule = admissionRule(control);
    if (typeof rule === 'string') notExported.push({ id: control.meta.id, reason: rule });
    else entries.push({ control, rule, validations: rule.validations(options.version) });
  }

  const cel = options.version.minor >= OPTIONAL_TYPES_MINOR ? celOptionalPresence : (expression: string) => expression;
  const policies: Json[] = [];
  const bindings: Json[] = [];
  const params: Record<string, string> = {};
  const skippedExceptions: SkippedException[] = [];
  const policiesOf = new Map<string, string[]>();
  for (const group of policyGroups(entries, options.split ?? DEFAULT_VAP_SPLIT, podTemplateMatch(options.templatePaths))) {
    const ids = group.entries.map((entry) => entry.control.meta.id);
    const exceptions = policyExceptions(ids, options.exceptions, options.today);
    skippedExceptions.push(...exceptions.skipped.filter((s) => !skippedExceptions.some((k) => k.source === s.source)));
    const usesParams = group.entries.some((entry) => entry.rule.params !== undefined);
    for (const entry of group.entries) {
      if (entry.rule.params) Object.assign(params, entry.rule.params(options.settings));
      policiesOf.set(entry.control.meta.id, [...(policiesOf.get(entry.control.meta.id) ?? []), group.name]);
    }
    const checks = group.entries.flatMap(({ control, validations }) => {
      const exempt = exceptions.exemptVariables.get(control.meta.id);
      // An exempt control's checks are judged whole (its exemption is not its items').
      return validations.map((v) => ({ expression: exempt ? `variables.${exempt.name} || (${v.expression})` : v.expression, messageExpression: v.messageExpression, each: exempt ? undefined : v.each }));
    });
    const variables = [...group.match.variables, ...exceptions.exemptVariables.values()].map((v) => ({ name: v.name, expression: cel(v.expression) }));
    const matchConditions = [
      ...(group.match.kindCondition ? [{ name: 'kind-has-pod-template', expression: group.match.kindCondition }] : []),
      ...exceptions.conditions,
      { name: FAILS_A_CHECK, expression: cel(failsACheck(checks, variables)) },
    ];
    const validations = checks.map((v) => ({ expression: cel(v.expression), messageExpression: cel(v.messageExpression), reason: 'Invalid' }));
    const single = group.entries.length === 1 ? group.entries[0]?.control : undefined;
    const labels = { ...LABELS, ...(single ? { 'kubeharden.io/control': single.meta.id } : {}) };
    policies.push({
      apiVersion,
      kind: 'ValidatingAdmissionPolicy',
      metadata: {
        name: group.name,
        labels,
        annotations: { ...(single ? { 'kubeharden.io/title': single.meta.title } : { 'kubeharden.io/controls': ids.join(',') }), 'kubeharden.io/kubernetes-version': formatVersion(options.version) },
      },
      spec: {
        failurePolicy: 'Fail',
        ...(usesParams ? { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } } : {}),
        matchConstraints: { resourceRules: group.match.resourceRules },
        matchConditions,
        ...(variables.length > 0 ? { variables } : {}),
        validations,
      },
    });
    bindings.push({
      apiVersion,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: group.name, labels },
      spec: {
        policyName: group.name,
        validationActions: [options.action],
        ...(usesParams ? { paramRef: { name: PARAMS_NAME, namespace: options.paramsNamespace, parameterNotFoundAction: 'Deny' } } : {}),
      },
    });
  }
  const exported: ExportedControl[] = [];
  for (const { control, rule, validations } of entries) {
    const names = policiesOf.get(control.meta.id);
    const notCovered = (rule as Partial<InventoryAdmissionRule>).notCovered;
    if (names) exported.push({ id: control.meta.id, policies: names, validations: validations.length, ...(notCovered ? { notCovered } : {}) });
    else notExported.push({ id: control.meta.id, reason: 'not expressible at admission: it judges only kinds no release since 1.28 serves' });
  }
  const paramsObject: Json[] = Object.keys(params).length > 0 ? [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: PARAMS_NAME, namespace: options.paramsNamespace, labels: LABELS }, data: params }] : [];
  const order = new Map(options.catalog.map((control, index) => [control.meta.id, index]));
  notExported.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  return { apiVersion, objects: [...paramsObject, ...policies, ...bindings], exported, notExported, skippedExceptions };
}

/**
 * The policies, in catalog order: per control, or (combined) one for every pod-template control, placed where the
 * first of them is, and one per kind the object controls judge (a control over two kinds is in both).
 */
function policyGroups(entries: readonly Entry[], split: VapSplit, pods: ReturnType<typeof podTemplateMatch>): PolicyGroup[] {
  const podMatch: ObjectMatch = { resourceRules: pods.resourceRules, kindCondition: pods.isPodTemplateKind, variables: pods.variables };
  if (split === 'per-control') {
    return entries.map((entry) => ({ name: policyName(entry.control.meta.id), entries: [entry], match: entry.control.scope === 'pod' ? podMatch : objectMatch(admissionKinds(entry.control, entry.rule)) }));
  }
  const groups = new Map<string, PolicyGroup>();
  const add = (name: string, match: ObjectMatch, entry: Entry) => {
    const group = groups.get(name) ?? { name, entries: [], match };
    group.entries.push(entry);
    groups.set(name, group);
  };
  for (const entry of entries) {
    if (entry.control.scope === 'pod') {
      add(POD_TEMPLATES_POLICY, podMatch, entry);
      continue;
    }
    for (const kind of admissionKinds(entry.control, entry.rule)) {
      const match = objectMatch([kind]);
      const resource = match.resourceRules[0]?.resources[0];
      // Kinds no release since 1.28 serves match nothing.
      if (resource !== undefined) add(`kubeharden-${resource}`, match, entry);
    }
  }
  return [...groups.values()];
}

/** The control's CEL, or why there is none. */
function admissionRule(control: Control): AdmissionRule | string {
  switch (control.scope) {
    case 'inventory':
      if (control.admission) return control.admission;
      return control.needsCluster
        ? `needs the cluster's state: ${control.needsCluster.reason}`
        : 'needs other objects: it judges the input as a whole (namespaces, policies, grants), which one admission request does not show';
    case 'component':
      return `needs the cluster's state: it judges the configuration of ${control.components.join(', ')}, not an API object`;
    default:
      if (!control.admission) return 'not expressed in CEL yet: a single-object control without an admission rule';
      if ('notAdmissible' in control.admission) return control.admission.notAdmissible;
      return control.admission;
  }
}
