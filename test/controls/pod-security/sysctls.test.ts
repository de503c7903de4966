import { control } from '../../../src/controls/pod-security/sysctls.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './sysctls.cases.js';

testControl(control, cases);
