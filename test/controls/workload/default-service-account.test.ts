import { control } from '../../../src/controls/workload/default-service-account.js';
import { testControl } from '../../support/control-tester.js';

testControl(control, {
  valid: [
    { name: 'own service account', spec: { serviceAccountName: 'storefront' } },
    { name: 'deprecated serviceAccount field', spec: { serviceAccount: 'storefront' } },
  ],
  invalid: [
    { name: 'unset', fields: ['spec.serviceAccountName'] },
    { name: 'explicit default', spec: { serviceAccountName: 'default' }, fields: ['spec.serviceAccountName'] },
  ],
});
