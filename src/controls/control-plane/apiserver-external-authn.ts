import type { ComponentConfig, ComponentViolation } from '../../components/component-config.js';
import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import type { KubeVersion } from '../../kube/version.js';
import { featureGate } from './flag-rules.js';

export const meta: ControlMeta = {
  id: 'CP-APISERVER-EXTERNAL-AUTHN',
  title: 'People should authenticate to the API server through an external identity provider',
  rationale:
    'The guide\'s strongest advice on authentication is to use a strong, external method for users. Kubernetes has ' +
    'no user accounts: without OpenID Connect (--oidc-issuer-url, or from 1.30 a structured AuthenticationConfiguration ' +
    'in --authentication-config) or a token webhook, people end up with client certificates, which cannot be ' +
    'revoked before they expire (one in the system:masters group keeps its rights whatever RBAC says), or with ' +
    'static tokens (CP-APISERVER-NO-TOKEN-AUTH-FILE). An external provider gives central revocation, short-lived tokens ' +
    'and multi-factor login. Managed clusters authenticate through their own webhook; this control judges the ' +
    'flags it can see, so it is a note, not a failure of a specific setting.',
  nsaSection: 'Authentication and authorization › Authentication ("strong authentication methods"; OIDC)',
  pss: null,
  severity: 'info',
  versions: {
    sinceMinor: 0,
    changes: [
      { minor: 29, change: '--authentication-config (AuthenticationConfiguration) added, alpha: needs the StructuredAuthenticationConfiguration feature gate' },
      { minor: 30, change: '--authentication-config beta and on by default' },
      { minor: 34, change: '--authentication-config GA' },
    ],
  },
  remediation: {
    text: 'Authenticate people with OIDC: an AuthenticationConfiguration with a jwt issuer in --authentication-config (1.30+), or --oidc-issuer-url and --oidc-client-id; keep client certificates for components and break-glass access.',
    snippet: '    - --authentication-config=/etc/kubernetes/authentication.yaml\n',
  },
  references: { kubescape: ['C-0286'], cis: ['3.1.1'] },
  frameworks: ['nsa'],
};

/** `--authentication-config` where this version knows it: from 1.29 behind its gate, on by default from 1.30. */
function structuredConfig(component: ComponentConfig, version: KubeVersion): ComponentViolation | 'configured' | undefined {
  const file = component.flags.value('authentication-config');
  if (!file) return undefined;
  const at = { flag: 'authentication-config' };
  if (version.minor < 29) return { at, message: `--authentication-config=${file} does not exist in kube-apiserver 1.${version.minor} (added in 1.29): it does not start` };
  const gate = featureGate(component, 'StructuredAuthenticationConfiguration');
  if (version.minor === 29 && gate !== true) {
    return { at, message: `--authentication-config=${file} needs --feature-gates=StructuredAuthenticationConfiguration=true in 1.29 (alpha, off by default): no external authentication is configured` };
  }
  if (version.minor < 34 && gate === false) {
    return { at, message: `--authentication-config=${file} is set but --feature-gates turns StructuredAuthenticationConfiguration off: no external authentication is configured` };
  }
  return 'configured';
}

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component, version }) => {
    const structured = structuredConfig(component, version);
    if (structured === 'configured') return [];
    if (component.flags.value('oidc-issuer-url') || component.flags.value('authentication-token-webhook-config-file')) return [];
    if (structured) return [structured];
    const how = version.minor >= 30 ? '--authentication-config (an AuthenticationConfiguration with a jwt issuer)' : '--oidc-issuer-url';
    return [
      {
        at: { flag: version.minor >= 30 ? 'authentication-config' : 'oidc-issuer-url' },
        message: `no external authentication (${how}, or --authentication-token-webhook-config-file): people can only use client certificates, which cannot be revoked before they expire, or static tokens`,
      },
    ];
  },
};
