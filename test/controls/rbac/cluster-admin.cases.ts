import type { ObjectControlCases } from '../../support/control-tester.js';
import { BOOTSTRAP, accountSubject, bindingObject, groupSubject, userSubject } from './binding-cases.js';

export const cases: ObjectControlCases = {
  valid: [
    { name: 'a binding to view', object: bindingObject('ClusterRoleBinding', ['ClusterRole', 'view'], [userSubject('ops')]) },
    { name: "Kubernetes' own system:masters binding", object: bindingObject('ClusterRoleBinding', ['ClusterRole', 'cluster-admin'], [groupSubject('system:masters')], BOOTSTRAP) },
    { name: 'a namespaced Role that is only named cluster-admin', object: bindingObject('RoleBinding', ['Role', 'cluster-admin'], [userSubject('ops')]) },
    { name: 'cluster-admin bound to no one', object: bindingObject('ClusterRoleBinding', ['ClusterRole', 'cluster-admin'], []) },
  ],
  invalid: [
    { name: 'cluster-admin to a user, cluster-wide', object: bindingObject('ClusterRoleBinding', ['ClusterRole', 'cluster-admin'], [userSubject('ops')]), fields: ['roleRef'] },
    { name: 'cluster-admin to a service account, in a namespace', object: bindingObject('RoleBinding', ['ClusterRole', 'cluster-admin'], [accountSubject('deployer', 'shop')]), fields: ['roleRef'] },
    { name: 'cluster-admin to two groups', object: bindingObject('ClusterRoleBinding', ['ClusterRole', 'cluster-admin'], [groupSubject('ops'), groupSubject('oncall')]), fields: ['roleRef', 'roleRef'] },
  ],
};
