import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { enabledAdmissionPlugins } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-EVENT-RATE-LIMIT',
  title: 'The API server should limit the rate of Event writes (EventRateLimit admission plugin)',
  rationale:
    'Events are written by every kubelet and controller and by anyone allowed to create them; a crash-looping workload ' +
    'or a hostile client can flood the API server and etcd with them. The EventRateLimit plugin caps Event writes per ' +
    'server, namespace, user or source, with the limits in the admission configuration file ' +
    '(--admission-control-config-file, eventratelimit.admission.k8s.io/v1alpha1).',
  nsaSection: 'Control plane hardening (availability of the API server; a CIS benchmark check)',
  pss: null,
  severity: 'low',
  versions: { sinceMinor: 9, changes: [] },
  remediation: {
    text: 'Add EventRateLimit to --enable-admission-plugins and name an AdmissionConfiguration with its limits in --admission-control-config-file.',
    snippet: '    - --enable-admission-plugins=NodeRestriction,EventRateLimit\n    - --admission-control-config-file=/etc/kubernetes/admission.yaml\n',
  },
  references: { kubescape: ['C-0121'], trivy: ['KCV-0010'], cis: ['1.2.9', '1.2.10 (cis-1.6)'], checkov: ['CKV_K8S_78'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component }) => {
    const enabled = enabledAdmissionPlugins(component);
    if (!enabled.names.includes('EventRateLimit')) {
      return [{ at: { flag: enabled.flag }, message: `EventRateLimit is not in --${enabled.flag}: nothing limits how fast clients can write Events into etcd` }];
    }
    if (!component.flags.value('admission-control-config-file')) {
      return [{ at: { flag: 'admission-control-config-file' }, message: 'EventRateLimit is enabled but --admission-control-config-file is not set: the plugin reads its limits from the AdmissionConfiguration that flag names' }];
    }
    return [];
  },
};
