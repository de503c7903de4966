import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { requireBool } from './flag-rules.js';

/** 1.19 made connections to kubelets HTTPS whatever the flag says (kubernetes#91630); 1.22 removed it (#101178). */
const ALWAYS_HTTPS_MINOR = 19;

export const meta: ControlMeta = {
  id: 'CP-APISERVER-KUBELET-HTTPS',
  title: 'The API server must call kubelets over HTTPS',
  rationale:
    'Up to 1.18, --kubelet-https=false makes the API server call kubelets (logs, exec, attach, port-forward) over ' +
    'plain HTTP: the streams cross the network unencrypted, and the kubelet is not ' +
    'authenticated. 1.19 deprecated the flag and ignores it (the connection is always HTTPS); 1.22 removed it, ' +
    'which CP-APISERVER-REMOVED-FLAGS reports.',
  nsaSection: 'Network separation and hardening › Encryption (TLS between components)',
  pss: null,
  severity: 'medium',
  versions: {
    sinceMinor: 0,
    untilMinor: 21,
    changes: [
      { minor: ALWAYS_HTTPS_MINOR, change: 'deprecated and ignored: connections to kubelets are always HTTPS, so false only says plain HTTP was wanted' },
    ],
  },
  remediation: { text: 'Remove --kubelet-https=false from kube-apiserver (true is the default), and give it a kubelet client certificate.', snippet: '    # remove: - --kubelet-https=false\n' },
  references: { trivy: ['KCV-0004'], checkov: ['CKV_K8S_71'], cis: ['1.2.4 (cis-1.6)', '1.2.3 (cis-1.20)'] },
  frameworks: ['nsa'],
};

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kube-apiserver'],
  check: ({ component, version }) =>
    requireBool(
      component,
      'kubelet-https',
      true,
      true,
      version.minor < ALWAYS_HTTPS_MINOR
        ? 'the API server calls kubelets (logs, exec, port-forward) over plain HTTP'
        : `kube-apiserver 1.${version.minor} ignores it and uses HTTPS, but the manifest asks for plain HTTP to kubelets, and 1.22 does not start with the flag`,
    ),
};
