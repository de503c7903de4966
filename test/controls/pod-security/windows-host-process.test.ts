import { control } from '../../../src/controls/pod-security/windows-host-process.js';
import { appWith, testControl } from '../../support/control-tester.js';

testControl(control, {
  valid: [{ name: 'unset' }, { name: 'hostProcess: false', spec: appWith({ windowsOptions: { hostProcess: false } }) }],
  invalid: [
    {
      name: 'pod and container hostProcess',
      spec: { ...appWith({ windowsOptions: { hostProcess: true } }), securityContext: { windowsOptions: { hostProcess: true } } },
      fields: ['spec.securityContext.windowsOptions.hostProcess', 'spec.containers[0].securityContext.windowsOptions.hostProcess'],
    },
  ],
});
