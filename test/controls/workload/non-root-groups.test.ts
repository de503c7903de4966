import { control } from '../../../src/controls/workload/non-root-groups.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './non-root-groups.cases.js';

testControl(control, cases);
