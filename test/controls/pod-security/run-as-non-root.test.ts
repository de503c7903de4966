import { control } from '../../../src/controls/pod-security/run-as-non-root.js';
import { appWith, testControl } from '../../support/control-tester.js';

testControl(control, {
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
});
