import { control } from '../../../src/controls/workload/readonly-root-filesystem.js';
import { appWith, testControl } from '../../support/control-tester.js';

testControl(control, {
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
});
