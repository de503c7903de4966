/** The valid and invalid cases of seccomp-restricted.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import { appWith, type ControlCases } from '../../support/control-tester.js';

export const cases: ControlCases = {
  valid: [
    { name: 'pod RuntimeDefault', spec: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } } },
    { name: 'every container Localhost', spec: appWith({ seccompProfile: { type: 'Localhost', localhostProfile: 'p' } }) },
    { name: 'Windows pods from 1.25', spec: { os: { name: 'windows' } }, version: '1.25' },
  ],
  invalid: [
    { name: 'unset', fields: ['spec.containers[0].securityContext.seccompProfile'] },
    { name: 'pod Unconfined', spec: { securityContext: { seccompProfile: { type: 'Unconfined' } } }, fields: ['spec.securityContext.seccompProfile.type', 'spec.containers[0].securityContext.seccompProfile'] },
    {
      name: 'pod RuntimeDefault, container Unconfined',
      spec: { ...appWith({ seccompProfile: { type: 'Unconfined' } }), securityContext: { seccompProfile: { type: 'RuntimeDefault' } } },
      fields: ['spec.containers[0].securityContext.seccompProfile.type'],
    },
  ],
};
