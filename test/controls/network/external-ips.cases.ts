/** The valid and invalid cases of external-ips, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import type { ObjectControlCases } from '../../support/control-tester.js';
import { service } from './fixtures.js';

export const cases: ObjectControlCases = {
  valid: [{ name: 'no externalIPs', object: service({ externalIPs: [] }) }],
  invalid: [{ name: 'externalIPs', object: service({ externalIPs: ['203.0.113.7'] }), fields: ['spec.externalIPs'] }],
};
