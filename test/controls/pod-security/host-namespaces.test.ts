import { control } from '../../../src/controls/pod-security/host-namespaces.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './host-namespaces.cases.js';

testControl(control, cases);
