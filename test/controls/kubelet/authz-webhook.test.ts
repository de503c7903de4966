import { control } from '../../../src/controls/kubelet/authz-webhook.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: 'config file: not set (defaults to Webhook)', config: {} },
    { name: 'config file: Webhook', config: { authorization: { mode: 'Webhook' } } },
    { name: 'flags only: Webhook', flags: ['--authorization-mode=Webhook'] },
    { name: 'the flag beats the config file', flags: ['--authorization-mode', 'Webhook'], config: { authorization: { mode: 'AlwaysAllow' } } },
  ],
  invalid: [
    { name: 'flags only: not set (legacy default AlwaysAllow)', flags: [], messages: [/^--authorization-mode is not set and the kubelet has no configuration file, so it defaults to AlwaysAllow: every request/] },
    { name: 'flags only: AlwaysAllow', flags: ['--authorization-mode=AlwaysAllow'], messages: [/^--authorization-mode=AlwaysAllow:/] },
    { name: 'config file: AlwaysAllow', config: { authorization: { mode: 'AlwaysAllow' } }, messages: [/^authorization\.mode: AlwaysAllow:/] },
    { name: 'the flag beats the config file', flags: ['--authorization-mode=AlwaysAllow'], config: { authorization: { mode: 'Webhook' } }, messages: [/^--authorization-mode=AlwaysAllow:/] },
  ],
});
