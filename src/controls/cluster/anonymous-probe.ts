import type { ComponentControl, ControlMeta } from '../../engine/types.js';

export const meta: ControlMeta = {
  id: 'AUTH-ANONYMOUS-PROBE',
  title: 'The API server must refuse requests without credentials (observed)',
  rationale:
    'Flags can be read only where the control plane is visible; a request with no credentials shows what the API ' +
    'server really does. A 401 means anonymous authentication is off. Anything else means requests are served as ' +
    'system:anonymous, and a 200 on a resource list means anonymous users can read cluster data.',
  nsaSection: 'Authentication and authorization › Authentication (anonymous requests)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Start kube-apiserver with --anonymous-auth=false (or, from 1.32, an AuthenticationConfiguration that allows anonymous access only to health endpoints), and remove bindings to system:anonymous and system:unauthenticated.',
    snippet: '    - --anonymous-auth=false\n',
  },
  references: { kubescape: ['C-0262'], cis: ['1.2.1'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['api-endpoint'],
  check: ({ component }) => {
    const probe = component.anonymousProbe;
    if (!probe) return [{ notAssessed: 'no anonymous probe was sent (--probe-anonymous)' }];
    // A proxy error, a 5xx or no answer tells nothing about anonymous authentication.
    const meaningful = [200, 401, 403];
    if (!meaningful.includes(probe.version) || !meaningful.includes(probe.namespaces)) {
      return [{ notAssessed: `the probe got HTTP ${probe.version} and ${probe.namespaces}, which say nothing about anonymous access` }];
    }
    if (probe.namespaces === 200) {
      return [{ at: { flag: 'anonymous-auth' }, message: 'a request without credentials listed the namespaces (HTTP 200): anonymous users can read the cluster' }];
    }
    if (probe.version === 401 && probe.namespaces === 401) return [];
    return [
      {
        at: { flag: 'anonymous-auth' },
        message: `requests without credentials are served as system:anonymous (GET /version: HTTP ${probe.version}, GET /api/v1/namespaces: HTTP ${probe.namespaces}); anonymous authentication is on`,
      },
    ];
  },
};
