import { control } from '../../../src/controls/pod-security/seccomp-baseline.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './seccomp-baseline.cases.js';

testControl(control, cases);
