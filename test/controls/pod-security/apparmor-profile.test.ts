import { control } from '../../../src/controls/pod-security/apparmor-profile.js';
import { testControl } from '../../support/control-tester.js';
import { cases } from './apparmor-profile.cases.js';

testControl(control, cases);
