import { control } from '../../../src/controls/pod-security/restricted-volumes.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './restricted-volumes.cases.js';

testControl(control, cases);
