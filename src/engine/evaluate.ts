import type { LoadedResource } from '../loader/source.js';
import { podTemplateOf, type TemplatePaths } from '../kube/pod-templates.js';
import type { KubeVersion } from '../kube/version.js';
import { detach, isRecord } from '../util/object.js';
import { formatFieldPath } from './field-path.js';
import type { Finding, ResourceRef } from './finding.js';
import type { PodControl, Violation } from './types.js';

export interface EvaluationContext {
  readonly controls: readonly PodControl[];
  readonly version: KubeVersion;
  readonly templatePaths: TemplatePaths;
}

export function resourceRef(object: Record<string, unknown>): ResourceRef {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : typeof metadata.generateName === 'string' ? metadata.generateName : null;
  return {
    apiVersion: detach(String(object.apiVersion)),
    kind: detach(String(object.kind)),
    namespace: typeof metadata.namespace === 'string' ? detach(metadata.namespace) : null,
    name: name === null ? null : detach(name),
  };
}

export interface Evaluation {
  /** Whether the object holds a pod template the controls could assess. */
  readonly assessed: boolean;
  readonly findings: Finding[];
}

const NOT_ASSESSED: Evaluation = { assessed: false, findings: [] };

/** Runs every selected control on one object; positions are looked up only for the findings it produces. */
export function evaluateResource(resource: LoadedResource, context: EvaluationContext): Evaluation {
  const { object } = resource;
  const templatePath = context.templatePaths.pathFor(String(object.apiVersion), String(object.kind));
  if (!templatePath) return NOT_ASSESSED;
  const template = podTemplateOf(object, templatePath);
  if (!template) return NOT_ASSESSED;

  const pod = { ...template, version: context.version };
  const violations: { control: PodControl; violation: Violation }[] = [];
  for (const control of context.controls) {
    for (const violation of control.check(pod)) violations.push({ control, violation });
  }
  if (violations.length === 0) return { assessed: true, findings: [] };
  const kept = withoutDuplicateFields(violations, context.version);

  const ref = resourceRef(object);
  const templateSource = resource.document.templateSource();
  const findings = kept.map(({ control, violation }): Finding => {
    const position = resource.document.position([...resource.prefix, ...violation.path]);
    return {
      controlId: control.meta.id,
      title: control.meta.title,
      severity: control.meta.severity,
      pss: control.meta.pss,
      resource: ref,
      location: {
        file: resource.document.file,
        line: position.line,
        column: position.column,
        ...(templateSource ? { templateSource: detach(templateSource) } : {}),
      },
      field: detach(formatFieldPath(violation.path)),
      message: detach(violation.message),
      remediation: control.meta.remediation.text,
    };
  });
  return { assessed: true, findings };
}

/**
 * When a control and the stricter one that overrides it both run (outside the PSS frameworks), both may flag the
 * same field, e.g. a hostPath volume. Keep the finding of the more specific, overridden control.
 */
function withoutDuplicateFields(
  violations: { control: PodControl; violation: Violation }[],
  version: KubeVersion,
): { control: PodControl; violation: Violation }[] {
  if (!violations.some(({ control }) => control.meta.overrides?.length)) return violations;
  const flagged = new Set(violations.map(({ control, violation }) => `${control.meta.id}\u0000${violation.path.join('\u0000')}`));
  return violations.filter(({ control, violation }) =>
    !(control.meta.overrides ?? []).some(
      (override) =>
        version.minor >= override.sinceMinor &&
        flagged.has(`${override.controlId}\u0000${violation.path.join('\u0000')}`),
    ),
  );
}
