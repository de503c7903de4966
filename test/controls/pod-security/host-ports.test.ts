import { control } from '../../../src/controls/pod-security/host-ports.js';
import { testControl } from '../../support/control-tester.js';

const withPorts = (ports: object[]) => ({ containers: [{ name: 'app', image: 'x', ports }] });

testControl(control, {
  valid: [
    { name: 'container ports only', spec: withPorts([{ containerPort: 8080 }]) },
    { name: 'hostPort 0', spec: withPorts([{ containerPort: 8080, hostPort: 0 }]) },
  ],
  invalid: [
    { name: 'hostPort 80', spec: withPorts([{ containerPort: 80 }, { containerPort: 8080, hostPort: 80 }]), fields: ['spec.containers[0].ports[1].hostPort'] },
  ],
});
