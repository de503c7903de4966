import { control as cpuLimit } from '../../../src/controls/resources/cpu-limit.js';
import { control as memoryLimit } from '../../../src/controls/resources/memory-limit.js';
import { control as requests } from '../../../src/controls/resources/requests.js';
import { testControl } from '../../support/control-tester.js';
import { cases as cpuLimitCases } from './cpu-limit.cases.js';
import { cases as memoryLimitCases } from './memory-limit.cases.js';
import { cases as requestsCases } from './requests.cases.js';

testControl(cpuLimit, cpuLimitCases);
testControl(memoryLimit, memoryLimitCases);
testControl(requests, requestsCases);
