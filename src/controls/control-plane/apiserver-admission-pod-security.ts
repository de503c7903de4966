import type { ComponentConfig, ComponentViolation } from '../../components/component-config.js';
import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { enabledAdmissionPlugins, featureGate } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-ADMISSION-POD-SECURITY',
  title: 'Pod security admission must be enabled (PodSecurity; PodSecurityPolicy before 1.25)',
  rationale:
    'Without a pod security admission plugin nothing stops a privileged or host-namespace pod at the API server. ' +
    'PodSecurity runs by default from 1.23 unless disabled; before that the guide\'s PodSecurityPolicy had to be ' +
    'enabled explicitly (or, on 1.22, the alpha PodSecurity feature gate), and from 1.25 PodSecurityPolicy no longer exists.',
  nsaSection: 'Kubernetes Pod security › Pod security enforcement',
  pss: null,
  severity: 'medium',
  versions: {
    sinceMinor: 0,
    changes: [
      { minor: 8, change: 'PodSecurityPolicy (policy/v1beta1) is the pod security admission plugin; it must be listed in --enable-admission-plugins' },
      { minor: 22, change: 'PodSecurity admission (alpha) runs when the PodSecurity feature gate is on' },
      { minor: 23, change: 'PodSecurity admission is beta and on by default; it is off only when disabled (plugin or feature gate)' },
      { minor: 25, change: 'PodSecurity is GA; PodSecurityPolicy is removed and the API server refuses to start with it' },
    ],
  },
  remediation: {
    text: 'Keep PodSecurity enabled (not in --disable-admission-plugins) and label namespaces with pod-security.kubernetes.io/enforce; before 1.23 enable PodSecurityPolicy; remove PodSecurityPolicy from --enable-admission-plugins before upgrading to 1.25.',
    snippet: '    - --enable-admission-plugins=NodeRestriction\n    # and no PodSecurity in --disable-admission-plugins\n',
  },
  references: { kubescape: ['C-0068'], cis: ['1.2.16 (cis-1.6)', '1.2.15 (cis-1.20)'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component, version }) => {
    const enabled = enabledAdmissionPlugins(component);
    const pspEnabled = enabled.names.includes('PodSecurityPolicy');
    const problems: ComponentViolation[] = [];
    if (version.minor >= 25 && pspEnabled) {
      problems.push({ at: { flag: enabled.flag }, message: `PodSecurityPolicy is in --${enabled.flag}: the plugin was removed in 1.25, and the API server does not start with it` });
    }
    const podSecurity = podSecurityState(component, version.minor);
    // Before 1.25 a PodSecurityPolicy admission that runs covers pods as well.
    if (podSecurity.on || (pspEnabled && version.minor < 25)) return problems;
    if (podSecurity.why !== undefined) return [...problems, { at: { flag: podSecurity.flag }, message: podSecurity.why }];
    problems.push({
      at: { flag: enabled.flag },
      message:
        version.minor === 22
          ? `PodSecurityPolicy is not in --${enabled.flag} and the PodSecurity feature gate is off (alpha on 1.22): no pod security admission runs`
          : `PodSecurityPolicy is not in --${enabled.flag}: on 1.${version.minor} no pod security admission runs`,
    });
    return problems;
  },
};

/** Whether the PodSecurity plugin runs on this version, and when it was turned off, how. */
function podSecurityState(component: ComponentConfig, minor: number): { on: boolean; flag: string; why?: string } {
  const enabled = enabledAdmissionPlugins(component);
  if (minor < 22) return { on: false, flag: enabled.flag };
  // --admission-control names every plugin that runs: PodSecurity is on by default only without it.
  if (enabled.onlyThese && !enabled.names.includes('PodSecurity')) {
    return { on: false, flag: enabled.flag, why: '--admission-control lists every admission plugin that runs, and neither PodSecurity nor PodSecurityPolicy is among them: no pod security admission runs, whatever the namespace labels say' };
  }
  if (component.flags.list('disable-admission-plugins').includes('PodSecurity')) {
    return { on: false, flag: 'disable-admission-plugins', why: 'PodSecurity is in --disable-admission-plugins: no pod security admission runs, whatever the namespace labels say' };
  }
  const gate = featureGate(component, 'PodSecurity');
  // The gate was alpha (off) in 1.22, beta (on) in 1.23 and 1.24, and locked on from 1.25.
  if (minor === 22) return { on: gate === true, flag: 'feature-gates' };
  if (minor >= 23 && minor <= 24 && gate === false) {
    return { on: false, flag: 'feature-gates', why: '--feature-gates has PodSecurity=false: no pod security admission runs, whatever the namespace labels say' };
  }
  return { on: minor >= 23, flag: 'feature-gates' };
}
