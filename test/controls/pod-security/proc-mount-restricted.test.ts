import { control } from '../../../src/controls/pod-security/proc-mount-restricted.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './proc-mount-restricted.cases.js';

testControl(control, cases);
