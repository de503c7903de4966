/** The valid and invalid cases of sensitive-host-path.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import type { ControlCases } from '../../support/control-tester.js';

const hostPaths = (...paths: string[]) => ({ volumes: paths.map((path, index) => ({ name: `v${index}`, hostPath: { path } })) });

export const cases: ControlCases = {
  valid: [
    { name: 'ordinary host paths', spec: hostPaths('/var/log', '/etc/ssl/certs', '/data/app', '/var/run/calico') },
    { name: 'no hostPath', spec: { volumes: [{ name: 'e', emptyDir: {} }] } },
  ],
  invalid: [
    {
      name: 'runtime sockets, node root and kubelet state',
      spec: hostPaths('/var/run/docker.sock', '/', '/run/containerd/containerd.sock', '/var/lib/kubelet/pods', '/etc/kubernetes/pki/', '//proc'),
      fields: [0, 1, 2, 3, 4, 5].map((index) => `spec.volumes[${index}].hostPath.path`),
    },
  ],
};
