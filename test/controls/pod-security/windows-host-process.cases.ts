/** The valid and invalid cases of windows-host-process.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import { appWith, type ControlCases } from '../../support/control-tester.js';

export const cases: ControlCases = {
  valid: [{ name: 'unset' }, { name: 'hostProcess: false', spec: appWith({ windowsOptions: { hostProcess: false } }) }],
  invalid: [
    {
      name: 'pod and container hostProcess',
      spec: { ...appWith({ windowsOptions: { hostProcess: true } }), securityContext: { windowsOptions: { hostProcess: true } } },
      fields: ['spec.securityContext.windowsOptions.hostProcess', 'spec.containers[0].securityContext.windowsOptions.hostProcess'],
    },
  ],
};
