import { control } from '../../../src/controls/control-plane/apiserver-event-rate-limit.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: 'the deprecated --admission-control list', flags: ['--admission-control=EventRateLimit,NodeRestriction', '--admission-control-config-file=/a.yaml'] },
    { name: 'plugin and its configuration', flags: ['--enable-admission-plugins=NodeRestriction,EventRateLimit', '--admission-control-config-file=/etc/kubernetes/admission.yaml'] },
    { name: 'before the plugin existed (1.8)', version: '1.8', flags: [] },
  ],
  invalid: [
    { name: '--admission-control without it', flags: ['--admission-control=NodeRestriction'], messages: [/EventRateLimit is not in --admission-control/] },
    { name: 'no plugin', flags: ['--enable-admission-plugins=NodeRestriction'], messages: [/EventRateLimit is not in --enable-admission-plugins: nothing limits/] },
    { name: 'no admission flags', version: '1.9', flags: [], messages: [/EventRateLimit is not in/] },
    { name: 'plugin without its configuration file', flags: ['--enable-admission-plugins=EventRateLimit'], messages: [/EventRateLimit is enabled but --admission-control-config-file is not set/] },
    { name: 'configuration file given empty', flags: ['--enable-admission-plugins=EventRateLimit', '--admission-control-config-file='], messages: [/--admission-control-config-file is not set/] },
  ],
});
