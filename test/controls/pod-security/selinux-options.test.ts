import { control } from '../../../src/controls/pod-security/selinux-options.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './selinux-options.cases.js';

testControl(control, cases);
