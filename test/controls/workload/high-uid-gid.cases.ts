/** The valid and invalid cases of high-uid-gid.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import { appWith, type ControlCases } from '../../support/control-tester.js';

// Checkov CKV_K8S_40 and Trivy KSV-0020/KSV-0021 cases, rewritten; where kubeharden differs (unset IDs, 0) see
// docs/peer-differences.md.
export const cases: ControlCases = {
  valid: [
    { name: 'unset: the image decides', spec: {} },
    { name: 'pod 10000 (the first high ID)', spec: { securityContext: { runAsUser: 10000, runAsGroup: 10000, fsGroup: 10000 } } },
    { name: 'container 65532 (distroless nonroot)', spec: appWith({ runAsUser: 65532, runAsGroup: 65532 }) },
    { name: 'pod 1000 that every container overrides', spec: { securityContext: { runAsUser: 1000 }, ...appWith({ runAsUser: 10001 }) } },
    { name: 'root (0) is left to POD-RUN-AS-USER-NOT-ZERO and POD-NON-ROOT-GROUPS', spec: { securityContext: { runAsUser: 0, runAsGroup: 0, fsGroup: 0 } } },
    { name: 'user namespace (hostUsers: false) maps IDs away from the host', spec: { hostUsers: false, securityContext: { runAsUser: 1000, fsGroup: 1000 } } },
    { name: 'Windows pod', spec: { os: { name: 'windows' }, securityContext: { runAsUser: 1000 } } },
    { name: 'a string is not an ID', spec: { securityContext: { runAsUser: '1000' } } },
  ],
  invalid: [
    { name: 'pod runAsUser 1000', spec: { securityContext: { runAsUser: 1000 } }, fields: ['spec.securityContext.runAsUser'] },
    { name: 'pod runAsUser 9999 (just below)', spec: { securityContext: { runAsUser: 9999 } }, fields: ['spec.securityContext.runAsUser'] },
    {
      name: 'ingress-nginx controller: 101 and group 82',
      spec: appWith({ runAsUser: 101, runAsGroup: 82, runAsNonRoot: true }),
      fields: ['spec.containers[0].securityContext.runAsUser', 'spec.containers[0].securityContext.runAsGroup'],
    },
    { name: 'fsGroup 2000', spec: { securityContext: { fsGroup: 2000 } }, fields: ['spec.securityContext.fsGroup'] },
    { name: 'pod 10001 overridden low by a container', spec: { securityContext: { runAsUser: 10001 }, ...appWith({ runAsUser: 1001 }) }, fields: ['spec.containers[0].securityContext.runAsUser'] },
    {
      name: 'pod 1000 with one container that does not override it',
      spec: {
        securityContext: { runAsUser: 1000 },
        containers: [
          { name: 'app', image: 'x:1', securityContext: { runAsUser: 10001 } },
          { name: 'sidecar', image: 'y:1' },
        ],
      },
      fields: ['spec.securityContext.runAsUser'],
    },
  ],
};
