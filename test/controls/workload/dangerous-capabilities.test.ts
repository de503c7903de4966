import { control } from '../../../src/controls/workload/dangerous-capabilities.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './dangerous-capabilities.cases.js';

testControl(control, cases);
