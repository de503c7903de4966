import type { ComponentControl, ControlMeta } from '../../engine/types.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-ADMISSION-POD-SECURITY',
  title: 'Pod security admission must be enabled (PodSecurity; PodSecurityPolicy before 1.25)',
  rationale:
    'Without a pod security admission plugin nothing stops a privileged or host-namespace pod at the API server. ' +
    'PodSecurity is on by default from 1.23 (GA in 1.25) unless disabled; before 1.23 the guide\'s ' +
    'PodSecurityPolicy had to be enabled explicitly, and from 1.25 that plugin no longer exists.',
  nsaSection: 'Kubernetes Pod security › Pod security enforcement',
  pss: null,
  severity: 'medium',
  versions: {
    sinceMinor: 0,
    changes: [
      { minor: 23, change: 'PodSecurity admission is enabled by default (beta)' },
      { minor: 25, change: 'PodSecurity is GA; PodSecurityPolicy is removed and the API server refuses to start with it' },
    ],
  },
  remediation: {
    text: 'Keep PodSecurity enabled (do not list it in --disable-admission-plugins) and label namespaces with pod-security.kubernetes.io/enforce; remove PodSecurityPolicy from --enable-admission-plugins on 1.25 and later.',
    snippet: '    - --enable-admission-plugins=NodeRestriction\n',
  },
  references: {},
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component, version }) => {
    const enabled = component.flags.list('enable-admission-plugins');
    const disabled = component.flags.list('disable-admission-plugins');
    const at = { flag: 'enable-admission-plugins' };
    if (version.minor >= 25 && enabled.includes('PodSecurityPolicy')) {
      return [{ at, message: `PodSecurityPolicy in --enable-admission-plugins: the plugin was removed in 1.25, and the API server does not start with it` }];
    }
    if (disabled.includes('PodSecurity')) return [{ at: { flag: 'disable-admission-plugins' }, message: '--disable-admission-plugins turns PodSecurity off: no pod security admission' }];
    if (version.minor >= 23) return [];
    if (enabled.includes('PodSecurityPolicy') || (version.minor >= 22 && enabled.includes('PodSecurity'))) return [];
    return [{ at, message: `neither PodSecurityPolicy nor PodSecurity is in --enable-admission-plugins: on 1.${version.minor} no pod security admission runs` }];
  },
};
