import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { enabledAdmissionPlugins } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-ALWAYSADMIT-OFF',
  title: 'The API server must not enable the AlwaysAdmit admission plugin',
  rationale:
    'AlwaysAdmit admits every request: it is deprecated because it behaves as if there were no admission control. ' +
    'Listing it shows a configuration meant to let everything through, and the CIS benchmark asks for it to be off.',
  nsaSection: 'Control plane hardening (a CIS benchmark check; the guide does not name the plugin)',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Remove AlwaysAdmit from --enable-admission-plugins.', snippet: '    - --enable-admission-plugins=NodeRestriction\n' },
  references: { trivy: ['KCV-0011'], cis: ['1.2.10'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => {
    const enabled = enabledAdmissionPlugins(component);
    return enabled.names.includes('AlwaysAdmit')
      ? [{ at: { flag: enabled.flag }, message: `AlwaysAdmit is in --${enabled.flag}: it admits every request on its own and is deprecated; only the other plugins still check anything` }]
      : [];
  },
};
