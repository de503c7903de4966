import { control } from '../../../src/controls/pod-security/proc-mount-restricted.js';
import { appWith, testControl } from '../../support/control-tester.js';

testControl(control, {
  valid: [{ name: 'unset' }, { name: 'Default', spec: appWith({ procMount: 'Default' }) }],
  invalid: [
    { name: 'Unmasked even in a user namespace', spec: { ...appWith({ procMount: 'Unmasked' }), hostUsers: false }, fields: ['spec.containers[0].securityContext.procMount'] },
  ],
});
