import type { ComponentConfig } from '../components/component-config.js';
import type { KubeVersion } from '../kube/version.js';
import type { Finding } from './finding.js';
import type { ComponentControl } from './types.js';

/** Runs the component controls that apply to this component; `ran` is what the scores count as assessed. */
export function evaluateComponent(
  component: ComponentConfig,
  controls: readonly ComponentControl[],
  version: KubeVersion,
): { ran: ComponentControl[]; findings: Finding[] } {
  const ran = controls.filter((control) => control.components.includes(component.component));
  const findings: Finding[] = [];
  for (const control of ran) {
    for (const violation of control.check({ component, version })) {
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
  return { ran, findings };
}
