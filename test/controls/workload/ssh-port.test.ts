import { control } from '../../../src/controls/workload/ssh-port.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './ssh-port.cases.js';

testControl(control, cases);
