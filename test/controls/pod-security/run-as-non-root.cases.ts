/** The valid and invalid cases of run-as-non-root.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import { appWith, type ControlCases } from '../../support/control-tester.js';

export const cases: ControlCases = {
  valid: [
    { name: 'pod-level true', spec: { securityContext: { runAsNonRoot: true } } },
    { name: 'container-level true', spec: appWith({ runAsNonRoot: true }) },
    { name: 'user namespace from 1.35', spec: { hostUsers: false }, version: '1.35' },
  ],
  invalid: [
    { name: 'unset', fields: ['spec.containers[0].securityContext.runAsNonRoot'] },
    { name: 'pod true, container false', spec: { ...appWith({ runAsNonRoot: false }), securityContext: { runAsNonRoot: true } }, fields: ['spec.containers[0].securityContext.runAsNonRoot'] },
    { name: 'pod false', spec: { securityContext: { runAsNonRoot: false } }, fields: ['spec.securityContext.runAsNonRoot', 'spec.containers[0].securityContext.runAsNonRoot'] },
    { name: 'user namespace before 1.35', spec: { hostUsers: false }, version: '1.34', fields: ['spec.containers[0].securityContext.runAsNonRoot'] },
  ],
};
