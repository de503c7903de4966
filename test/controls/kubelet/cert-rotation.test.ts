import { control } from '../../../src/controls/kubelet/cert-rotation.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: 'config file: on', config: { rotateCertificates: true } },
    { name: 'config file: on, server gate explicitly on', config: { rotateCertificates: true, featureGates: { RotateKubeletServerCertificate: true } } },
    { name: 'flags only: on', flags: ['--rotate-certificates'] },
    { name: 'flags only: on, other gates off', flags: ['--rotate-certificates=true', '--feature-gates=SomeOtherGate=false,RotateKubeletServerCertificate=true'] },
    { name: 'the flag beats the config file', flags: ['--rotate-certificates=true'], config: { rotateCertificates: false } },
    { name: 'a flag gate beats the config gate', flags: ['--feature-gates=RotateKubeletServerCertificate=true'], config: { rotateCertificates: true, featureGates: { RotateKubeletServerCertificate: false } } },
  ],
  invalid: [
    { name: 'config file: not set (defaults to false)', config: {}, messages: [/^rotateCertificates is not set, and it defaults to false: the kubelet never renews its client certificate/] },
    { name: 'config file: off', config: { rotateCertificates: false }, messages: [/^rotateCertificates: false:/] },
    { name: 'flags only: not set (defaults to false)', flags: [], messages: [/^--rotate-certificates is not set and the kubelet has no configuration file, so it defaults to false:/] },
    { name: 'flags only: off', flags: ['--rotate-certificates=false'], messages: [/^--rotate-certificates=false:/] },
    {
      name: 'config file: server certificate gate off',
      config: { rotateCertificates: true, featureGates: { RotateKubeletServerCertificate: false } },
      messages: [/^featureGates\.RotateKubeletServerCertificate: false: the kubelet cannot request or renew its serving certificate/],
    },
    { name: 'flags only: server certificate gate off', flags: ['--rotate-certificates', '--feature-gates=RotateKubeletServerCertificate=false'], messages: [/^--feature-gates with RotateKubeletServerCertificate=false:/] },
    {
      name: 'the flag beats the config file (a flag gate too)',
      flags: ['--rotate-certificates=false', '--feature-gates', 'RotateKubeletServerCertificate=false'],
      config: { rotateCertificates: true, featureGates: { RotateKubeletServerCertificate: true } },
      messages: [/^--rotate-certificates=false:/, /^--feature-gates with RotateKubeletServerCertificate=false:/],
    },
    {
      name: 'gates the flag does not name come from the config file',
      flags: ['--feature-gates=SomeOtherGate=true'],
      config: { rotateCertificates: true, featureGates: { RotateKubeletServerCertificate: false } },
      messages: [/^featureGates\.RotateKubeletServerCertificate: false:/],
    },
  ],
});
