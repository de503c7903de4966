import { control } from '../../../src/controls/pod-security/run-as-non-root.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './run-as-non-root.cases.js';

testControl(control, cases);
