import { control } from '../../../src/controls/pod-security/capabilities-restricted.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './capabilities-restricted.cases.js';

testControl(control, cases);
