import { control } from '../../../src/controls/secrets/legacy-service-account-token.js';
import { testObjectControl } from '../../support/control-tester.js';
import { cases } from './legacy-service-account-token.cases.js';

testObjectControl(control, cases);
