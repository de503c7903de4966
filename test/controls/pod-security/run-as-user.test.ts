import { control } from '../../../src/controls/pod-security/run-as-user.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './run-as-user.cases.js';

testControl(control, cases);
