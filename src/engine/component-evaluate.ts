import type { ComponentConfig, ComponentViolation } from '../components/component-config.js';
import type { KubeVersion } from '../kube/version.js';
import type { Finding } from '../vocabulary/finding.js';
import type { ComponentControl } from './types.js';

/**
 * Runs the component controls that apply to this component. `ran` is what the scores count as assessed: a
 * control that says it could not judge the component is left out of it, so it is never counted as passed.
 */
export function evaluateComponent(
  component: ComponentConfig,
  controls: readonly ComponentControl[],
  version: KubeVersion,
): { ran: ComponentControl[]; findings: Finding[]; notAssessed: { controlId: string; reason: string }[] } {
  const ran: ComponentControl[] = [];
  const findings: Finding[] = [];
  const notAssessed: { controlId: string; reason: string }[] = [];
  for (const control of controls) {
    if (!control.components.includes(component.component)) continue;
    const results = control.check({ component, version });
    const cannotJudge = results.find((result) => 'notAssessed' in result);
    if (cannotJudge && 'notAssessed' in cannotJudge) {
      notAssessed.push({ controlId: control.meta.id, reason: cannotJudge.notAssessed });
      continue;
    }
    ran.push(control);
    for (const violation of results as readonly ComponentViolation[]) {
      const { location, field } = component.locate(violation.at);
      findings.push({
        controlId: control.meta.id,
        title: control.meta.title,
        severity: control.meta.severity,
        pss: control.meta.pss,
        resource: component.resource,
        location,
        field,
        message: violation.message,
        remediation: control.meta.remediation.text,
      });
    }
  }
  return { ran, findings, notAssessed };
}
