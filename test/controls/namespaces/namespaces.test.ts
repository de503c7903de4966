import { control as defaultNamespace } from '../../../src/controls/namespaces/default-namespace.js';
import { control as systemNamespaces } from '../../../src/controls/namespaces/system-namespaces.js';
import { testControl } from '../../support/control-tester.js';

testControl(defaultNamespace, {
  valid: [{ name: 'own namespace', namespace: 'shop' }],
  invalid: [{ name: 'default', namespace: 'default', fields: ['metadata.namespace'] }],
});

testControl(systemNamespaces, {
  valid: [
    { name: 'user namespace', namespace: 'shop' },
    { name: 'control-plane static pod', namespace: 'kube-system', labels: { component: 'kube-apiserver', tier: 'control-plane' } },
    { name: 'cluster infrastructure with a system priority class', namespace: 'kube-system', spec: { priorityClassName: 'system-node-critical' } },
  ],
  invalid: [
    { name: 'app in kube-system', namespace: 'kube-system', fields: ['metadata.namespace'] },
    { name: 'app in kube-public', namespace: 'kube-public', fields: ['metadata.namespace'] },
  ],
});
