import { control } from '../../../src/controls/pod-security/host-ports.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './host-ports.cases.js';

testControl(control, cases);
