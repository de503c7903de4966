import { control } from '../../../src/controls/control-plane/apiserver-external-authn.js';
import { testComponentControl } from '../../support/component-tester.js';

const OIDC = ['--oidc-issuer-url=https://login.example.com', '--oidc-client-id=kubernetes'];

testComponentControl(control, {
  valid: [
    { name: 'OIDC flags', flags: OIDC },
    { name: 'OIDC flags on an old release', version: '1.10', flags: OIDC },
    { name: 'AuthenticationConfiguration, 1.30 (beta, on by default)', version: '1.30', flags: ['--authentication-config=/etc/kubernetes/authn.yaml'] },
    { name: 'AuthenticationConfiguration, newest', flags: ['--authentication-config=/etc/kubernetes/authn.yaml'] },
    { name: 'AuthenticationConfiguration, 1.29 with its gate', version: '1.29', flags: ['--authentication-config=/a.yaml', '--feature-gates=StructuredAuthenticationConfiguration=true'] },
    { name: 'GA in 1.34: a gate set to false no longer matters', version: '1.34', flags: ['--authentication-config=/a.yaml', '--feature-gates=StructuredAuthenticationConfiguration=false'] },
    { name: 'a token webhook (managed clusters, Guard, Pinniped)', flags: ['--authentication-token-webhook-config-file=/etc/kubernetes/webhook.yaml'] },
  ],
  invalid: [
    { name: 'client certificates only (kubeadm default), newest', flags: ['--client-ca-file=/etc/kubernetes/pki/ca.crt'], messages: [/no external authentication \(--authentication-config .*client certificates, which cannot be revoked/] },
    { name: 'client certificates only, 1.29: OIDC flags are the way', version: '1.29', flags: ['--client-ca-file=/ca.crt'], messages: [/no external authentication \(--oidc-issuer-url, or --authentication-token-webhook-config-file\)/] },
    { name: 'static tokens are not external', flags: ['--token-auth-file=/t.csv'], messages: [/no external authentication/] },
    { name: 'AuthenticationConfiguration before 1.29', version: '1.28', flags: ['--authentication-config=/a.yaml'], messages: [/does not exist in kube-apiserver 1\.28 \(added in 1\.29\)/] },
    { name: 'AuthenticationConfiguration in 1.29 without its gate', version: '1.29', flags: ['--authentication-config=/a.yaml'], messages: [/needs --feature-gates=StructuredAuthenticationConfiguration=true in 1\.29/] },
    { name: 'AuthenticationConfiguration with its gate turned off (beta)', version: '1.31', flags: ['--authentication-config=/a.yaml', '--feature-gates=StructuredAuthenticationConfiguration=false'], messages: [/turns StructuredAuthenticationConfiguration off/] },
    { name: 'an empty issuer', flags: ['--oidc-issuer-url='], messages: [/no external authentication/] },
  ],
});
