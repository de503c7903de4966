import { control } from '../../../src/controls/workload/host-aliases.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './host-aliases.cases.js';

testControl(control, cases);
