import type { ComponentViolation } from '../../components/component-config.js';
import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { boolSetting, featureGate, requireBool } from './setting.js';

export const meta: ControlMeta = {
  id: 'NODE-KUBELET-CERT-ROTATION',
  title: 'The kubelet should rotate its certificates',
  rationale:
    'Without rotateCertificates the kubelet keeps its client certificate until it expires, so a leaked key stays valid ' +
    'and the node drops out of the cluster on expiry. rotateCertificates defaults to false with and without a ' +
    'KubeletConfiguration file; the RotateKubeletServerCertificate feature gate (beta, on by default since 1.12) must not be turned off.',
  nsaSection: 'Network separation and hardening › Encryption (TLS between components)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Set rotateCertificates: true in the KubeletConfiguration (or --rotate-certificates) and remove RotateKubeletServerCertificate=false from the feature gates.',
    snippet: 'rotateCertificates: true\n',
  },
  references: { trivy: ['KCV-0090', 'KCV-0091'], cis: ['4.2.10', '4.2.11'] },
  frameworks: ['nsa'],
};

const rotate = boolSetting('rotate-certificates', ['rotateCertificates'], false);

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kubelet'],
  check: ({ component }) => {
    const violations: ComponentViolation[] = requireBool(component, rotate, true, 'the kubelet never renews its client certificate');
    const gate = featureGate(component, 'RotateKubeletServerCertificate');
    if (gate && !gate.enabled) violations.push({ at: gate.at, message: `${gate.said}: the kubelet cannot request or renew its serving certificate` });
    return violations;
  },
};
