/**
 * `kubeharden export vap`: the catalog's single-object controls as ValidatingAdmissionPolicies (CEL), one policy
 * and one binding per control, so the API server itself refuses what a scan would report. Every selected control
 * that cannot be one is listed with the reason, never dropped silently.
 */
import { appliesToVersion, selectControls } from '../../engine/select.js';
import type { AdmissionRule, Control, FrameworkId, InventoryAdmissionRule, ScanSettings } from '../../engine/types.js';
import type { ExceptionRule } from '../../exceptions/exception-set.js';
import type { TemplatePaths } from '../../kube/pod-templates.js';
import { formatVersion, type KubeVersion } from '../../kube/version.js';
import type { Json } from '../../util/object.js';
import { exceptionConditions, type SkippedException } from './exception-conditions.js';
import { admissionKinds, objectMatch } from './object-kinds.js';
import { podTemplateMatch } from './pod-variables.js';

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
  readonly policy: string;
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

export function policyName(id: string): string {
  return `kubeharden-${id.toLowerCase()}`;
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

  const pods = podTemplateMatch(options.templatePaths);
  const policies: Json[] = [];
  const bindings: Json[] = [];
  const exported: ExportedControl[] = [];
  const params: Record<string, string> = {};
  const skippedExceptions: SkippedException[] = [];
  for (const control of selection.active) {
    if (!chosen(control.meta.id)) continue;
    const rule = admissionRule(control);
    if (typeof rule === 'string') {
      notExported.push({ id: control.meta.id, reason: rule });
      continue;
    }
    const id = control.meta.id;
    const name = policyName(id);
    const validations = rule.validations(options.version);
    const exceptions = exceptionConditions(id, options.exceptions, options.today);
    skippedExceptions.push(...exceptions.skipped.filter((s) => !skippedExceptions.some((k) => k.source === s.source)));
    const usesParams = rule.params !== undefined;
    if (rule.params) Object.assign(params, rule.params(options.settings));

    const match = control.scope === 'pod' ? { resourceRules: pods.resourceRules, kindCondition: pods.isPodTemplateKind, variables: pods.variables } : objectMatch(admissionKinds(control, rule));
    const matchConditions = [
      ...(match.kindCondition ? [{ name: 'kind-has-pod-template', expression: match.kindCondition }] : []),
      ...exceptions.conditions,
    ];
    policies.push({
      apiVersion,
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name, labels: { ...LABELS, 'kubeharden.io/control': id }, annotations: { 'kubeharden.io/title': control.meta.title, 'kubeharden.io/kubernetes-version': formatVersion(options.version) } },
      spec: {
        failurePolicy: 'Fail',
        ...(usesParams ? { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } } : {}),
        matchConstraints: { resourceRules: match.resourceRules },
        ...(matchConditions.length > 0 ? { matchConditions } : {}),
        ...(match.variables.length > 0 ? { variables: match.variables } : {}),
        validations: validations.map((v) => ({ expression: v.expression, messageExpression: v.messageExpression, reason: 'Invalid' })),
      },
    });
    bindings.push({
      apiVersion,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name, labels: { ...LABELS, 'kubeharden.io/control': id } },
      spec: {
        policyName: name,
        validationActions: [options.action],
        ...(usesParams ? { paramRef: { name: PARAMS_NAME, namespace: options.paramsNamespace, parameterNotFoundAction: 'Deny' } } : {}),
      },
    });
    const notCovered = (rule as Partial<InventoryAdmissionRule>).notCovered;
    exported.push({ id, policy: name, validations: validations.length, ...(notCovered ? { notCovered } : {}) });
  }
  const paramsObject: Json[] = Object.keys(params).length > 0 ? [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: PARAMS_NAME, namespace: options.paramsNamespace, labels: LABELS }, data: params }] : [];
  const order = new Map(options.catalog.map((control, index) => [control.meta.id, index]));
  notExported.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  return { apiVersion, objects: [...paramsObject, ...policies, ...bindings], exported, notExported, skippedExceptions };
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
