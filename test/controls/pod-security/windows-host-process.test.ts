import { control } from '../../../src/controls/pod-security/windows-host-process.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './windows-host-process.cases.js';

testControl(control, cases);
