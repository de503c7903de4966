/** The valid and invalid cases of host-probes.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import type { ControlCases } from '../../support/control-tester.js';

const app = (extra: object) => ({ containers: [{ name: 'app', image: 'x', ...extra }] });

export const cases: ControlCases = {
  valid: [
    { name: 'probe without host', spec: app({ livenessProbe: { httpGet: { path: '/', port: 80 } } }) },
    { name: 'empty host', spec: app({ readinessProbe: { tcpSocket: { port: 80, host: '' } } }) },
  ],
  invalid: [
    {
      name: 'probe and lifecycle hosts',
      spec: app({ startupProbe: { httpGet: { port: 80, host: '169.254.169.254' } }, lifecycle: { preStop: { tcpSocket: { port: 1, host: 'evil' } } } }),
      fields: ['spec.containers[0].startupProbe.httpGet.host', 'spec.containers[0].lifecycle.preStop.tcpSocket.host'],
    },
  ],
};
