import { control } from '../../../src/controls/control-plane/apiserver-alwaysadmit.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: 'kubeadm plugins', flags: ['--enable-admission-plugins=NodeRestriction'] },
    { name: 'no plugin flag', flags: [] },
    { name: 'the deprecated --admission-control list without it', flags: ['--admission-control=NamespaceLifecycle,NodeRestriction'] },
  ],
  invalid: [
    { name: 'AlwaysAdmit', flags: ['--enable-admission-plugins=NodeRestriction,AlwaysAdmit'], messages: [/AlwaysAdmit is in --enable-admission-plugins: it admits every request/] },
    { name: 'AlwaysAdmit in the deprecated --admission-control', flags: ['--admission-control=AlwaysAdmit'], messages: [/AlwaysAdmit is in --admission-control: it admits every request/] },
    { name: 'AlwaysAdmit in a repeated flag', flags: ['--enable-admission-plugins=NodeRestriction', '--enable-admission-plugins=AlwaysAdmit'], messages: [/AlwaysAdmit/] },
  ],
});
