import { control } from '../../../src/controls/kubelet/client-ca.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: 'config file: set', config: { authentication: { x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' } } } },
    { name: 'flags only: set', flags: ['--client-ca-file=/etc/kubernetes/pki/ca.crt'] },
    { name: 'the flag fills in for the config file', flags: ['--client-ca-file', '/etc/kubernetes/pki/ca.crt'], config: {} },
  ],
  invalid: [
    { name: 'config file: not set (no default)', config: {}, messages: [/^authentication\.x509\.clientCAFile is not set: the kubelet cannot authenticate clients by certificate/] },
    { name: 'config file: empty', config: { authentication: { x509: { clientCAFile: '' } } }, messages: [/^authentication\.x509\.clientCAFile: "":/] },
    { name: 'flags only: not set (no default)', flags: ['--anonymous-auth=false'], messages: [/^--client-ca-file is not set and the kubelet has no configuration file:/] },
    { name: 'the flag beats the config file', flags: ['--client-ca-file='], config: { authentication: { x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' } } }, messages: [/^--client-ca-file=:/] },
  ],
});
