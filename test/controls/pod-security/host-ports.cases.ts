/** The valid and invalid cases of host-ports.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import type { ControlCases } from '../../support/control-tester.js';

const withPorts = (ports: object[]) => ({ containers: [{ name: 'app', image: 'x', ports }] });

export const cases: ControlCases = {
  valid: [
    { name: 'container ports only', spec: withPorts([{ containerPort: 8080 }]) },
    { name: 'hostPort 0', spec: withPorts([{ containerPort: 8080, hostPort: 0 }]) },
  ],
  invalid: [
    { name: 'hostPort 80', spec: withPorts([{ containerPort: 80 }, { containerPort: 8080, hostPort: 80 }]), fields: ['spec.containers[0].ports[1].hostPort'] },
  ],
};
