import type { InputError, LoadedResource } from '../loader/source.js';
import { podTemplateError, podTemplateOf, type PodTemplateRef, type TemplatePaths } from '../kube/pod-templates.js';
import type { KubeVersion } from '../kube/version.js';
import { detach } from '../util/object.js';
import { formatFieldPath } from '../vocabulary/field-path.js';
import type { Finding } from '../vocabulary/finding.js';
import { resourceRef } from '../kube/resource-ref.js';
import { groupKind } from '../kube/group-kind.js';
import { DEFAULT_SETTINGS, type Control, type ObjectControl, type PodControl, type ScanSettings, type Violation } from './types.js';

export interface EvaluationContext {
  readonly controls: readonly Control[];
  readonly settings?: ScanSettings;
  readonly version: KubeVersion;
  readonly templatePaths: TemplatePaths;
}

export interface Evaluation {
  /** Whether any control assessed the object. */
  readonly assessed: boolean;
  /** The controls that judged the object (for per-control scores). */
  readonly ran: readonly Control[];
  /** The object's pod template, if it has one (the inventory reuses it). */
  readonly podTemplate: PodTemplateRef | undefined;
  readonly findings: Finding[];
  /** Set when the object's pod template, or a container list or container in it, has the wrong type. */
  readonly inputError?: InputError;
}

const NOT_ASSESSED: Evaluation = { assessed: false, ran: [], podTemplate: undefined, findings: [] };

/** Runs every selected control on one object; positions are looked up only for the findings it produces. */
export function evaluateResource(resource: LoadedResource, context: EvaluationContext): Evaluation {
  const { object } = resource;
  const apiVersion = String(object.apiVersion);
  const kind = String(object.kind);
  const violations: { control: Control; violation: Violation }[] = [];
  let assessed = false;

  const templatePath = context.templatePaths.pathFor(apiVersion, kind);
  const template = templatePath ? podTemplateOf(object, templatePath) : undefined;
  const inputError = templatePath ? podTemplateError(resource, templatePath) : undefined;
  if (template) {
    assessed = true;
    const pod = { ...template, object, version: context.version, settings: context.settings ?? DEFAULT_SETTINGS };
    for (const control of podControls(context)) {
      for (const violation of control.check(pod)) violations.push({ control, violation });
    }
  }
  const objectControls = objectControlsFor(context, groupKind(apiVersion, kind));
  if (objectControls.length > 0) {
    assessed = true;
    const objectContext = { object, version: context.version };
    for (const control of objectControls) {
      for (const violation of control.check(objectContext)) violations.push({ control, violation });
    }
  }
  if (!assessed) return inputError ? { ...NOT_ASSESSED, inputError } : NOT_ASSESSED;
  const ran = template ? (objectControls.length > 0 ? [...podControls(context), ...objectControls] : podControls(context)) : objectControls;
  if (violations.length === 0) return { assessed, ran, podTemplate: template, findings: [], ...(inputError ? { inputError } : {}) };
  const kept = withoutDuplicateFields(violations, context.version);

  const ref = resourceRef(object);
  const templateSource = resource.document.templateSource();
  const renderedFrom = resource.document.renderedFrom?.();
  const findings = kept.map(({ control, violation }): Finding => {
    const position = resource.document.position([...resource.prefix, ...violation.path]);
    return {
      controlId: control.meta.id,
      title: control.meta.title,
      severity: control.meta.severity,
      pss: control.meta.pss,
      resource: ref,
      location: {
        file: position.file ?? resource.document.file,
        line: position.line,
        column: position.column,
        ...(templateSource ? { templateSource: detach(templateSource) } : {}),
        ...(renderedFrom ? { renderedFrom } : {}),
      },
      field: detach(formatFieldPath(violation.path)),
      message: detach(violation.message),
      remediation: control.meta.remediation.text,
    };
  });
  return { assessed, ran, podTemplate: template, findings, ...(inputError ? { inputError } : {}) };
}

/** The selected controls split by scope, computed once per control list. */
const byScope = new WeakMap<readonly Control[], { pod: PodControl[]; object: Map<string, ObjectControl[]> }>();

function scopes(context: EvaluationContext) {
  let split = byScope.get(context.controls);
  if (!split) {
    split = { pod: [], object: new Map() };
    for (const control of context.controls) {
      if (control.scope === 'pod') split.pod.push(control);
      else if (control.scope === 'object') {
        for (const kind of control.kinds) split.object.set(kind, [...(split.object.get(kind) ?? []), control]);
      }
    }
    byScope.set(context.controls, split);
  }
  return split;
}

function podControls(context: EvaluationContext): readonly PodControl[] {
  return scopes(context).pod;
}

function objectControlsFor(context: EvaluationContext, kind: string): readonly ObjectControl[] {
  return scopes(context).object.get(kind) ?? [];
}

/**
 * When a control and the stricter one that overrides it both run (outside the PSS frameworks), both may flag the
 * same field, e.g. a hostPath volume. Keep the finding of the more specific, overridden control.
 */
function withoutDuplicateFields(
  violations: { control: Control; violation: Violation }[],
  version: KubeVersion,
): { control: Control; violation: Violation }[] {
  const overriding = violations.filter(({ control }) => control.meta.overrides?.some((o) => version.minor >= o.sinceMinor));
  if (overriding.length === 0) return violations;
  const replaced = new Set(overriding.flatMap(({ control }) => (control.meta.overrides ?? []).map((o) => o.controlId)));
  const flagged = new Set(
    violations.filter(({ control }) => replaced.has(control.meta.id)).map(({ control, violation }) => `${control.meta.id}\u0000${violation.path.join('\u0000')}`),
  );
  if (flagged.size === 0) return violations;
  return violations.filter(({ control, violation }) =>
    !(control.meta.overrides ?? []).some(
      (override) =>
        version.minor >= override.sinceMinor &&
        flagged.has(`${override.controlId}\u0000${violation.path.join('\u0000')}`),
    ),
  );
}
