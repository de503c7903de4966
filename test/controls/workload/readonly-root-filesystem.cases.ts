/** The valid and invalid cases of readonly-root-filesystem.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import { appWith, type ControlCases } from '../../support/control-tester.js';

export const cases: ControlCases = {
  valid: [
    { name: 'read-only root', spec: appWith({ readOnlyRootFilesystem: true }) },
    {
      name: 'init container read-only too',
      spec: { ...appWith({ readOnlyRootFilesystem: true }), initContainers: [{ name: 'init', image: 'x', securityContext: { readOnlyRootFilesystem: true } }] },
    },
  ],
  invalid: [
    { name: 'unset', fields: ['spec.containers[0].securityContext.readOnlyRootFilesystem'] },
    { name: 'false', spec: appWith({ readOnlyRootFilesystem: false }), fields: ['spec.containers[0].securityContext.readOnlyRootFilesystem'] },
  ],
};
