/** The valid and invalid cases of ssh-port.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import type { ControlCases } from '../../support/control-tester.js';

const withPorts = (ports: object[], field = 'containers') => ({ [field]: [{ name: 'app', image: 'registry.example/app:1.0', ports }] });

// kube-linter's ssh-port check: a container that exposes port 22.
export const cases: ControlCases = {
  valid: [
    { name: 'HTTP port', spec: withPorts([{ name: 'http', containerPort: 8080 }]) },
    { name: 'port 2222 named sftp-alt', spec: withPorts([{ name: 'sftp-alt', containerPort: 2222 }]) },
    { name: 'UDP port 22 is not SSH', spec: withPorts([{ containerPort: 22, protocol: 'UDP' }]) },
    { name: 'port 22 written as a string (not a valid containerPort)', spec: withPorts([{ containerPort: '22' }]) },
  ],
  invalid: [
    { name: 'containerPort 22', spec: withPorts([{ containerPort: 22 }]), fields: ['spec.containers[0].ports[0].containerPort'] },
    { name: 'containerPort 22 over TCP among others', spec: withPorts([{ containerPort: 80 }, { containerPort: 22, protocol: 'TCP' }]), fields: ['spec.containers[0].ports[1].containerPort'] },
    { name: 'a port named ssh on another number', spec: withPorts([{ name: 'ssh', containerPort: 2222 }]), fields: ['spec.containers[0].ports[0].name'] },
    { name: 'named SSH in capitals', spec: withPorts([{ name: 'SSH', containerPort: 2022 }]), fields: ['spec.containers[0].ports[0].name'] },
    { name: 'an init container', spec: { ...withPorts([{ containerPort: 22 }], 'initContainers'), containers: [{ name: 'app', image: 'x:1' }] }, fields: ['spec.initContainers[0].ports[0].containerPort'] },
  ],
};
