/** The valid and invalid cases of ingress-tls, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import type { ObjectControlCases } from '../../support/control-tester.js';
import { ingress } from './fixtures.js';

export const cases: ObjectControlCases = {
  valid: [
    { name: 'TLS', object: ingress({ tls: [{ hosts: ['a.example'], secretName: 'a' }], rules: [] }) },
    { name: 'a CRD named Ingress is not judged', object: ingress({}, 'example.com/v1') },
  ],
  invalid: [
    { name: 'plain HTTP', object: ingress({ rules: [{ host: 'a.example' }] }), fields: ['spec.tls'] },
    { name: 'legacy extensions/v1beta1', object: ingress({ rules: [] }, 'extensions/v1beta1'), fields: ['spec.tls'] },
  ],
};
