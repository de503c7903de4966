import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { control } from '../../../src/controls/kubelet/anonymous-auth.js';
import { componentFindings, testComponentControl, type ComponentCase } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: 'config file: not set (defaults to false)', config: {} },
    { name: 'config file: off', config: { authentication: { anonymous: { enabled: false } } } },
    { name: 'flags only: off', flags: ['--anonymous-auth=false'] },
    { name: 'flags only: off, written as 0 (pflag booleans)', flags: ['--anonymous-auth=0'] },
    { name: 'the flag beats the config file', flags: ['--anonymous-auth=false'], config: { authentication: { anonymous: { enabled: true } } } },
  ],
  invalid: [
    { name: 'flags only: not set (legacy default true)', flags: ['--kubeconfig=/etc/kubernetes/kubelet.conf'], messages: [/^--anonymous-auth is not set and the kubelet has no configuration file, so it defaults to true: /] },
    { name: 'flags only: on', flags: ['--anonymous-auth=true'], messages: [/^--anonymous-auth=true: requests without credentials are served as system:anonymous/] },
    { name: 'flags only: bare boolean flag', flags: ['--anonymous-auth'], messages: [/^--anonymous-auth=true:/] },
    { name: 'config file: on', config: { authentication: { anonymous: { enabled: true } } }, messages: [/^authentication\.anonymous\.enabled: true:/] },
    { name: 'the flag beats the config file', flags: ['--anonymous-auth=true'], config: { authentication: { anonymous: { enabled: false } } }, messages: [/^--anonymous-auth=true:/] },
  ],
});

describe('NODE-KUBELET-ANONYMOUS-AUTH findings point at what decides the value', () => {
  const field = (testCase: ComponentCase) => componentFindings(control, 'kubelet', testCase).map((finding) => [finding.field, finding.location.file]);
  it('the flag, when one is given', () => {
    assert.deepEqual(field({ name: 'flag', flags: ['--anonymous-auth=true'], config: {} }), [['--anonymous-auth', '/var/lib/kubelet/kubeadm-flags.env']]);
  });
  it('the configuration field, set or defaulted', () => {
    assert.deepEqual(field({ name: 'config', config: { authentication: { anonymous: { enabled: true } } } }), [['authentication.anonymous.enabled', '/var/lib/kubelet/config.yaml']]);
  });
  it('the missing flag of a flags-only kubelet', () => {
    assert.deepEqual(field({ name: 'flags only', flags: [] }), [['--anonymous-auth', '/var/lib/kubelet/kubeadm-flags.env']]);
  });
});
