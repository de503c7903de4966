import { control } from '../../../src/controls/workload/sensitive-host-path.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './sensitive-host-path.cases.js';

testControl(control, cases);
