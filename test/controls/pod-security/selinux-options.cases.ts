/** The valid and invalid cases of selinux-options.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import { appWith, type ControlCases } from '../../support/control-tester.js';

export const cases: ControlCases = {
  valid: [
    { name: 'no options' },
    { name: 'container_t with level', spec: { securityContext: { seLinuxOptions: { type: 'container_t', level: 's0:c1' } } } },
    { name: 'container_engine_t from 1.31', spec: appWith({ seLinuxOptions: { type: 'container_engine_t' } }), version: '1.31' },
  ],
  invalid: [
    { name: 'container_engine_t before 1.31', spec: appWith({ seLinuxOptions: { type: 'container_engine_t' } }), version: '1.30', fields: ['spec.containers[0].securityContext.seLinuxOptions.type'] },
    { name: 'spc_t type', spec: { securityContext: { seLinuxOptions: { type: 'spc_t' } } }, fields: ['spec.securityContext.seLinuxOptions.type'] },
    {
      name: 'custom user and role',
      spec: appWith({ seLinuxOptions: { user: 'system_u', role: 'system_r' } }),
      fields: ['spec.containers[0].securityContext.seLinuxOptions.user', 'spec.containers[0].securityContext.seLinuxOptions.role'],
    },
  ],
};
