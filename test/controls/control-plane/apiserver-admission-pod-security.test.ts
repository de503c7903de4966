import { control } from '../../../src/controls/control-plane/apiserver-admission-pod-security.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [
    { name: '1.21 with PodSecurityPolicy in --admission-control', version: '1.21', flags: ['--admission-control=NodeRestriction,PodSecurityPolicy'] },
    { name: '1.30 with PodSecurity in --admission-control', version: '1.30', flags: ['--admission-control=NodeRestriction,PodSecurity'] },
    { name: '1.21 with PodSecurityPolicy', version: '1.21', flags: ['--enable-admission-plugins=NodeRestriction,PodSecurityPolicy'] },
    { name: '1.22 with the alpha PodSecurity feature gate', version: '1.22', flags: ['--feature-gates=PodSecurity=true'] },
    { name: '1.23: PodSecurity is on by default', version: '1.23', flags: ['--enable-admission-plugins=NodeRestriction'] },
    { name: '1.24: PodSecurity disabled, PodSecurityPolicy still runs', version: '1.24', flags: ['--enable-admission-plugins=PodSecurityPolicy', '--disable-admission-plugins=PodSecurity'] },
    { name: '1.30: on by default', version: '1.30', flags: ['--enable-admission-plugins=NodeRestriction'] },
  ],
  invalid: [
    { name: '1.30: --admission-control without PodSecurity turns it off', version: '1.30', flags: ['--admission-control=NodeRestriction'], messages: [/--admission-control lists every admission plugin that runs, and neither PodSecurity nor PodSecurityPolicy/] },
    { name: '1.21: --admission-control without PodSecurityPolicy', version: '1.21', flags: ['--admission-control=NodeRestriction'], messages: [/PodSecurityPolicy is not in --admission-control/] },
    { name: '1.21 without PodSecurityPolicy', version: '1.21', flags: ['--enable-admission-plugins=NodeRestriction'], messages: [/PodSecurityPolicy is not in --enable-admission-plugins: on 1\.21 no pod security admission runs/] },
    { name: '1.22 without either', version: '1.22', flags: ['--enable-admission-plugins=NodeRestriction,PodSecurity'], messages: [/PodSecurity feature gate is off \(alpha on 1\.22\)/] },
    { name: '1.23 with the feature gate turned off', version: '1.23', flags: ['--feature-gates=PodSecurity=false'], messages: [/--feature-gates has PodSecurity=false/] },
    { name: '1.25: PodSecurityPolicy is gone', version: '1.25', flags: ['--enable-admission-plugins=NodeRestriction,PodSecurityPolicy'], messages: [/removed in 1\.25, and the API server does not start with it/] },
    { name: '1.25: PodSecurityPolicy listed and PodSecurity disabled', version: '1.25', flags: ['--enable-admission-plugins=PodSecurityPolicy', '--disable-admission-plugins=PodSecurity'], messages: [/removed in 1\.25/, /PodSecurity is in --disable-admission-plugins/] },
    { name: '1.30: PodSecurity disabled', version: '1.30', flags: ['--disable-admission-plugins=PodSecurity'], messages: [/PodSecurity is in --disable-admission-plugins: no pod security admission runs/] },
  ],
});
