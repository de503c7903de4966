import type { ControlMeta, PodControl, Violation } from '../../engine/types.js';
import { containersOf } from '../../kube/containers.js';
import { record, str } from '../../util/object.js';
import { containerRule, celField } from '../../engine/admission-cel.js';

export const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const LIFECYCLE_HANDLERS = ['postStart', 'preStop'] as const;
const HANDLER_KINDS = ['httpGet', 'tcpSocket'] as const;

export const meta: ControlMeta = {
  id: 'POD-NO-HOST-PROBES',
  title: 'Probes and lifecycle hooks must not target another host',
  rationale:
    'The kubelet runs probes and lifecycle hooks from the node; a custom host turns them into a way to make the ' +
    'node send requests to arbitrary addresses (server-side request forgery).',
  nsaSection: 'Network separation and hardening (node-originated traffic)',
  pss: { level: 'baseline', check: 'hostProbesAndHostLifecycle' },
  severity: 'medium',
  versions: { sinceMinor: 34, changes: [] },
  remediation: {
    text: 'Remove the host field from httpGet and tcpSocket probes and lifecycle handlers (the pod IP is used).',
    snippet: 'livenessProbe:\n  httpGet:\n    path: /healthz\n    port: 8080\n',
  },
  references: {},
  frameworks: ['nsa', 'pss-baseline', 'pss-restricted'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    validations: () =>
      [...PROBES, ...LIFECYCLE_HANDLERS.map((hook) => `lifecycle.${hook}`)].flatMap((where) =>
        HANDLER_KINDS.map((kind) => containerRule(meta, { violates: celField('c', `${where}.${kind}.host`, (v) => `${v} != ''`), field: `${where}.${kind}.host`, must: 'must be empty' })),
      ),
  },
  check({ spec, specPath }) {
    const violations: Violation[] = [];
    for (const ref of containersOf(spec, specPath)) {
      const checkHandler = (handler: unknown, path: readonly (string | number)[], what: string) => {
        for (const kind of HANDLER_KINDS) {
          const host = str(record(record(handler)?.[kind])?.host) ?? '';
          if (host !== '') {
            violations.push({
              path: [...path, kind, 'host'],
              message: `container "${ref.name}" ${what} ${kind} targets host "${host}"`,
            });
          }
        }
      };
      for (const probe of PROBES) checkHandler(ref.container[probe], [...ref.path, probe], probe);
      const lifecycle = record(ref.container.lifecycle);
      for (const hook of LIFECYCLE_HANDLERS) {
        checkHandler(lifecycle?.[hook], [...ref.path, 'lifecycle', hook], `lifecycle.${hook}`);
      }
    }
    return violations;
  },
};
