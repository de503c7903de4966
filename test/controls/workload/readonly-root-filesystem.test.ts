import { control } from '../../../src/controls/workload/readonly-root-filesystem.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './readonly-root-filesystem.cases.js';

testControl(control, cases);
