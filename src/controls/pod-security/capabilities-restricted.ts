import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { containersOf, isWindowsPod, securityContext } from '../../kube/containers.js';
import { array, record, stringOf } from '../../util/object.js';
import { containerRule, celField, WINDOWS_POD } from '../../engine/admission-cel.js';

export const meta: ControlMeta = {
  id: 'POD-CAPS-DROP-ALL',
  title: 'Containers must drop ALL capabilities and add only NET_BIND_SERVICE',
  rationale:
    'Dropping every Linux capability removes root-like kernel powers from the container; NET_BIND_SERVICE is the ' +
    'one most applications legitimately need.',
  nsaSection: 'Kubernetes Pod security › Pod security enforcement (requiredDropCapabilities: ALL)',
  pss: { level: 'restricted', check: 'capabilities_restricted' },
  severity: 'medium',
  versions: { sinceMinor: 22, changes: [{ minor: 25, change: 'pods with spec.os.name: windows are exempt.' }] },
  remediation: {
    text: 'Drop ALL capabilities and add back only NET_BIND_SERVICE if the container binds ports below 1024.',
    snippet: 'securityContext:\n  capabilities:\n    drop: ["ALL"]\n',
  },
  references: { trivy: ['KSV-0003', 'KSV-0106'], cis: ['5.2.9'] },
  frameworks: ['nsa', 'pss-restricted'],
  overrides: [{ controlId: 'POD-CAPS-BASELINE', sinceMinor: 22 }],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: (version) => [
      containerRule(meta, {
        violates: `!${celField('c', 'securityContext.capabilities.drop', (v) => `'ALL' in ${v}`)}`,
        field: 'securityContext.capabilities.drop',
        must: 'must include ALL',
        unless: version.minor >= 25 ? WINDOWS_POD : undefined,
      }),
      containerRule(meta, {
        violates: celField('c', 'securityContext.capabilities.add', (v) => `${v}.exists(a, a != 'NET_BIND_SERVICE')`),
        field: 'securityContext.capabilities.add',
        must: 'may add only NET_BIND_SERVICE',
        unless: version.minor >= 25 ? WINDOWS_POD : undefined,
      }),
    ],
  },
  check({ spec, specPath, version }) {
    if (version.minor >= 25 && isWindowsPod(spec)) return [];
    const violations: Violation[] = [];
    for (const ref of containersOf(spec, specPath)) {
      const capabilities = record(securityContext(ref.container)?.capabilities);
      const capabilitiesPath = [...ref.path, 'securityContext', 'capabilities'];
      if (!array(capabilities?.drop).some((capability) => capability === 'ALL')) {
        violations.push({
          path: [...capabilitiesPath, 'drop'],
          message: `container "${ref.name}" does not drop ALL capabilities`,
        });
      }
      array(capabilities?.add).forEach((capability, index) => {
        if (capability !== 'NET_BIND_SERVICE') {
          violations.push({
            path: [...capabilitiesPath, 'add', index],
            message: `container "${ref.name}" adds capability ${stringOf(capability)}; only NET_BIND_SERVICE is allowed`,
          });
        }
      });
    }
    return violations;
  },
};
