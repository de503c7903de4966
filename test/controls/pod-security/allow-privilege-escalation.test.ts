import { control } from '../../../src/controls/pod-security/allow-privilege-escalation.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './allow-privilege-escalation.cases.js';

testControl(control, cases);
