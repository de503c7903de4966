import type { ComponentControl, ControlMeta } from '../../engine/types.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-ANONYMOUS-AUTH',
  title: 'The API server must not accept anonymous requests',
  rationale:
    'With anonymous authentication on (the default), every request without credentials is served as ' +
    'system:anonymous. One careless binding to system:unauthenticated then opens the API to anyone who can reach it.',
  nsaSection: 'Authentication and authorization › Authentication (anonymous requests)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Start kube-apiserver with --anonymous-auth=false (health checks can use an authenticated probe or /livez on a separate port).',
    snippet: '    - --anonymous-auth=false\n',
  },
  references: { kubescape: ['C-0113'], trivy: ['KCV-0001'], cis: ['1.2.1'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => {
    const anonymous = component.flags.bool('anonymous-auth');
    if (anonymous === false) return [];
    return [
      {
        at: { flag: 'anonymous-auth' },
        message: anonymous === undefined ? '--anonymous-auth is not set, and it defaults to true' : '--anonymous-auth=true serves requests without credentials as system:anonymous',
      },
    ];
  },
};
