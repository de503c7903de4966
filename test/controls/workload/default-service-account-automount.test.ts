import { control } from '../../../src/controls/workload/default-service-account-automount.js';
import { testObjectControl } from '../../support/control-tester.js';

const account = (name: string, automount?: boolean) => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace: 'shop' },
  ...(automount === undefined ? {} : { automountServiceAccountToken: automount }),
});

testObjectControl(control, {
  valid: [
    { name: 'default with automount off', object: account('default', false) },
    { name: 'a workload account (judged where pods use it)', object: account('storefront') },
  ],
  invalid: [
    { name: 'default, automount unset (on)', object: account('default'), fields: ['automountServiceAccountToken'] },
    { name: 'default, automount on', object: account('default', true), fields: ['automountServiceAccountToken'] },
  ],
});
