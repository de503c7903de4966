/** The valid and invalid cases of default-service-account.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import type { ControlCases } from '../../support/control-tester.js';

export const cases: ControlCases = {
  valid: [
    { name: 'own service account', spec: { serviceAccountName: 'storefront' } },
    { name: 'deprecated serviceAccount field', spec: { serviceAccount: 'storefront' } },
  ],
  invalid: [
    { name: 'unset', fields: ['spec.serviceAccountName'] },
    { name: 'explicit default', spec: { serviceAccountName: 'default' }, fields: ['spec.serviceAccountName'] },
  ],
};
