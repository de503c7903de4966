import { control } from '../../../src/controls/pod-security/seccomp-restricted.js';
import { appWith, testControl } from '../../support/control-tester.js';

testControl(control, {
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
});
