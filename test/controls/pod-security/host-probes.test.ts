import { control } from '../../../src/controls/pod-security/host-probes.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './host-probes.cases.js';

testControl(control, cases);
