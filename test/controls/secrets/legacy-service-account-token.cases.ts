import type { ObjectControlCases } from '../../support/control-tester.js';

const secret = (fields: Record<string, unknown>, annotations?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'ci-token', namespace: 'ci', ...(annotations ? { annotations } : {}) },
  ...fields,
});

export const cases: ObjectControlCases = {
  valid: [
    { name: 'an Opaque Secret', object: secret({ type: 'Opaque', data: { a: 'Yg==' } }) },
    { name: 'a TLS Secret', object: secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } }) },
    { name: 'another annotation', object: secret({ type: 'Opaque' }, { 'kubernetes.io/service-account.uid': '1234' }) },
  ],
  invalid: [
    { name: 'a service-account-token Secret in a manifest', object: secret({ type: 'kubernetes.io/service-account-token' }, { 'kubernetes.io/service-account.name': 'ci' }), fields: ['type'], mustNotShow: [] },
    // What a live cluster shows: metadata only, no type.
    { name: 'metadata only (a live cluster)', object: secret({}, { 'kubernetes.io/service-account.name': 'deployer' }), fields: ['metadata.annotations["kubernetes.io/service-account.name"]'] },
  ],
};
