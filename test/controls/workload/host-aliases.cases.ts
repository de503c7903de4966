/** The valid and invalid cases of host-aliases.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import type { ControlCases } from '../../support/control-tester.js';

export const cases: ControlCases = {
  valid: [
    { name: 'no hostAliases', spec: {} },
    { name: 'empty list', spec: { hostAliases: [] } },
    { name: 'not a list (the API server would refuse it; nothing to judge)', spec: { hostAliases: 'db' } },
  ],
  invalid: [
    { name: 'one entry', spec: { hostAliases: [{ ip: '10.0.0.5', hostnames: ['db.internal'] }] }, fields: ['spec.hostAliases'] },
    { name: 'several entries give one finding', spec: { hostAliases: [{ ip: '10.0.0.5', hostnames: ['a'] }, { ip: '10.0.0.6', hostnames: ['b'] }] }, fields: ['spec.hostAliases'] },
  ],
};
