import { control } from '../../../src/controls/pod-security/host-path-volumes.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './host-path-volumes.cases.js';

testControl(control, cases);
