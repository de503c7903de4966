import { control } from '../../../src/controls/workload/host-aliases.js';
import { testControl } from '../../support/control-tester.js';

testControl(control, {
  valid: [
    { name: 'no hostAliases', spec: {} },
    { name: 'empty list', spec: { hostAliases: [] } },
    { name: 'not a list (the API server would refuse it; nothing to judge)', spec: { hostAliases: 'db' } },
  ],
  invalid: [
    { name: 'one entry', spec: { hostAliases: [{ ip: '10.0.0.5', hostnames: ['db.internal'] }] }, fields: ['spec.hostAliases'] },
    { name: 'several entries give one finding', spec: { hostAliases: [{ ip: '10.0.0.5', hostnames: ['a'] }, { ip: '10.0.0.6', hostnames: ['b'] }] }, fields: ['spec.hostAliases'] },
  ],
});
