import { control } from '../../../src/controls/workload/high-uid-gid.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './high-uid-gid.cases.js';

testControl(control, cases);
