import { control } from '../../../src/controls/kubelet/iptables.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: 'config file: not set (defaults to true)', config: {} },
    { name: 'config file: on', config: { makeIPTablesUtilChains: true } },
    { name: 'flags only: not set (defaults to true)', flags: [] },
    { name: 'flags only: on', flags: ['--make-iptables-util-chains'] },
    { name: 'the flag beats the config file', flags: ['--make-iptables-util-chains=true'], config: { makeIPTablesUtilChains: false } },
  ],
  invalid: [
    { name: 'config file: off', config: { makeIPTablesUtilChains: false }, messages: [/^makeIPTablesUtilChains: false: the kubelet does not keep its iptables utility chains/] },
    { name: 'flags only: off', flags: ['--make-iptables-util-chains=false'], messages: [/^--make-iptables-util-chains=false:/] },
    { name: 'the flag beats the config file', flags: ['--make-iptables-util-chains=f'], config: { makeIPTablesUtilChains: true }, messages: [/^--make-iptables-util-chains=f:/] },
  ],
});
