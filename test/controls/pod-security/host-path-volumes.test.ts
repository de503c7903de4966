import { control } from '../../../src/controls/pod-security/host-path-volumes.js';
import { testControl } from '../../support/control-tester.js';

testControl(control, {
  valid: [
    { name: 'no volumes' },
    { name: 'emptyDir and configMap', spec: { volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', configMap: { name: 'c' } }] } },
    { name: 'hostPath: null is no hostPath', spec: { volumes: [{ name: 'a', hostPath: null }] } },
  ],
  invalid: [
    { name: 'hostPath volume', spec: { volumes: [{ name: 'ok', emptyDir: {} }, { name: 'sock', hostPath: { path: '/var/run/docker.sock' } }] }, fields: ['spec.volumes[1].hostPath'] },
  ],
});
