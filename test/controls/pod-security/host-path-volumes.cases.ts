/** The valid and invalid cases of host-path-volumes.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import type { ControlCases } from '../../support/control-tester.js';

export const cases: ControlCases = {
  valid: [
    { name: 'no volumes' },
    { name: 'emptyDir and configMap', spec: { volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', configMap: { name: 'c' } }] } },
    { name: 'hostPath: null is no hostPath', spec: { volumes: [{ name: 'a', hostPath: null }] } },
  ],
  invalid: [
    { name: 'hostPath volume', spec: { volumes: [{ name: 'ok', emptyDir: {} }, { name: 'sock', hostPath: { path: '/var/run/docker.sock' } }] }, fields: ['spec.volumes[1].hostPath'] },
  ],
};
