import { control } from '../../../src/controls/pod-security/seccomp-restricted.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './seccomp-restricted.cases.js';

testControl(control, cases);
