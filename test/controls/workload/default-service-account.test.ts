import { control } from '../../../src/controls/workload/default-service-account.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './default-service-account.cases.js';

testControl(control, cases);
