import { control } from '../../../src/controls/pod-security/privileged.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './privileged.cases.js';

testControl(control, cases);
