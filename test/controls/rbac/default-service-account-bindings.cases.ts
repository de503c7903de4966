import type { ObjectControlCases } from '../../support/control-tester.js';
import { BOOTSTRAP, accountSubject, bindingObject, userSubject } from './binding-cases.js';

export const cases: ObjectControlCases = {
  valid: [
    { name: "a workload's own service account", object: bindingObject('RoleBinding', ['Role', 'reader'], [accountSubject('app', 'shop')]) },
    { name: 'a user named default', object: bindingObject('RoleBinding', ['Role', 'reader'], [userSubject('default')]) },
    { name: 'Kubernetes bootstrap policy', object: bindingObject('ClusterRoleBinding', ['ClusterRole', 'system:basic-user'], [accountSubject('default', 'kube-system')], BOOTSTRAP) },
  ],
  invalid: [
    { name: "another namespace's default account, cluster-wide", object: bindingObject('ClusterRoleBinding', ['ClusterRole', 'view'], [accountSubject('default', 'shop')]), fields: ['roleRef'] },
    { name: "the binding's own namespace (no namespace on the subject)", object: bindingObject('RoleBinding', ['Role', 'reader'], [accountSubject('app', 'shop'), accountSubject('default')]), fields: ['roleRef'] },
  ],
};
