import { control } from '../../../src/controls/pod-security/capabilities-baseline.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './capabilities-baseline.cases.js';

testControl(control, cases);
