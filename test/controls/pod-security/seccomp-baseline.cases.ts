/** The valid and invalid cases of seccomp-baseline.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import { appWith, type ControlCases } from '../../support/control-tester.js';

export const cases: ControlCases = {
  valid: [
    { name: 'unset' },
    { name: 'RuntimeDefault', spec: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } } },
    { name: 'Localhost on a container', spec: appWith({ seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } }) },
    { name: 'annotations are ignored from 1.19', annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }, version: '1.19' },
    { name: 'docker/default annotation before 1.19', annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'docker/default' }, version: '1.18' },
  ],
  invalid: [
    { name: 'Unconfined pod profile', spec: { securityContext: { seccompProfile: { type: 'Unconfined' } } }, fields: ['spec.securityContext.seccompProfile.type'] },
    { name: 'Unconfined container profile', spec: appWith({ seccompProfile: { type: 'Unconfined' } }), fields: ['spec.containers[0].securityContext.seccompProfile.type'] },
    {
      name: 'unconfined annotations before 1.19',
      annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined', 'container.seccomp.security.alpha.kubernetes.io/app': 'unconfined' },
      version: '1.18',
      fields: ['metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]', 'metadata.annotations["container.seccomp.security.alpha.kubernetes.io/app"]'],
    },
  ],
};
