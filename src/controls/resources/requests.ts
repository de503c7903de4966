import type { ControlMeta, PodControl } from '../../engine/types.js';
import { missingResource } from './container-resources.js';

export const meta: ControlMeta = {
  id: 'RES-REQUESTS',
  title: 'Containers must set CPU and memory requests',
  rationale:
    'Requests let the scheduler place pods where capacity exists and give them a guaranteed share under contention; ' +
    'without them a noisy neighbour decides what a pod gets.',
  nsaSection: 'Network separation and hardening › Resource policies (LimitRange defaultRequest)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Set resources.requests.cpu and resources.requests.memory on every container.',
    snippet: 'resources:\n  requests:\n    cpu: 100m\n    memory: 128Mi\n',
  },
  references: { trivy: ['KSV-0015', 'KSV-0016'] },
  frameworks: ['nsa'],
};

export const control: PodControl = {
  meta,
  scope: 'pod',
  admission: {
    notAdmissible: 'not expressible at admission: the API server copies a Pod\'s limits into its unset requests before admission, so a policy cannot tell requests written from requests defaulted',
  },
  check: ({ spec, specPath }) => [
    ...missingResource(spec, specPath, 'requests', 'cpu'),
    ...missingResource(spec, specPath, 'requests', 'memory'),
  ],
};
