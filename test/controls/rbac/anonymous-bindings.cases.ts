import type { ObjectControlCases } from '../../support/control-tester.js';
import { BOOTSTRAP, accountSubject, bindingObject, groupSubject, userSubject } from './binding-cases.js';

export const cases: ObjectControlCases = {
  valid: [
    { name: 'a named group', object: bindingObject('ClusterRoleBinding', ['ClusterRole', 'view'], [groupSubject('shop-developers')]) },
    { name: 'a user whose name only starts like it', object: bindingObject('RoleBinding', ['Role', 'reader'], [userSubject('system:anonymous-auditor')]) },
    { name: "Kubernetes' own discovery binding", object: bindingObject('ClusterRoleBinding', ['ClusterRole', 'system:discovery'], [groupSubject('system:authenticated')], BOOTSTRAP) },
    { name: 'a service account', object: bindingObject('RoleBinding', ['Role', 'reader'], [accountSubject('app', 'shop')]) },
  ],
  invalid: [
    { name: 'every unauthenticated request, cluster-wide', object: bindingObject('ClusterRoleBinding', ['ClusterRole', 'view'], [groupSubject('system:unauthenticated')]), fields: ['roleRef'] },
    { name: 'the anonymous user, in a namespace', object: bindingObject('RoleBinding', ['Role', 'reader'], [userSubject('system:anonymous')]), fields: ['roleRef'] },
    { name: 'every authenticated user beside a named one', object: bindingObject('RoleBinding', ['ClusterRole', 'edit'], [userSubject('alice'), groupSubject('system:authenticated')]), fields: ['roleRef'] },
    { name: 'both anonymous groups', object: bindingObject('ClusterRoleBinding', ['ClusterRole', 'view'], [groupSubject('system:unauthenticated'), userSubject('system:anonymous')]), fields: ['roleRef', 'roleRef'] },
  ],
};
