import { control } from '../../../src/controls/pod-security/proc-mount.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './proc-mount.cases.js';

testControl(control, cases);
