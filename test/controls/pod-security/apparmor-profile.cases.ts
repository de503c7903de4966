/** The valid and invalid cases of apparmor-profile.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import { appWith, type ControlCases } from '../../support/control-tester.js';

const ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/app';

export const cases: ControlCases = {
  valid: [
    { name: 'no profile' },
    { name: 'RuntimeDefault field', spec: { securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } } },
    { name: 'Localhost field on a container', spec: appWith({ appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } }) },
    { name: 'runtime/default annotation', annotations: { [ANNOTATION]: 'runtime/default' } },
    { name: 'localhost annotation', annotations: { [ANNOTATION]: 'localhost/my-profile' } },
  ],
  invalid: [
    { name: 'Unconfined pod field', spec: { securityContext: { appArmorProfile: { type: 'Unconfined' } } }, fields: ['spec.securityContext.appArmorProfile.type'] },
    { name: 'Unconfined container field', spec: appWith({ appArmorProfile: { type: 'Unconfined' } }), fields: ['spec.containers[0].securityContext.appArmorProfile.type'] },
    { name: 'unconfined annotation', annotations: { [ANNOTATION]: 'unconfined' }, fields: [`metadata.annotations["${ANNOTATION}"]`] },
  ],
};
