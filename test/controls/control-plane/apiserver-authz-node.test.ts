import { control } from '../../../src/controls/control-plane/apiserver-authz-node.js';
import { testComponentControl } from '../../support/component-tester.js';
import { AUTHZ_CONFIG as AUTHZ, authorizationConfig as authz } from './fixtures.js';

testComponentControl(control, {
  valid: [
    { name: 'NodeRestriction in the deprecated --admission-control list', flags: ['--authorization-mode=Node,RBAC', '--admission-control=NamespaceLifecycle,NodeRestriction'] },
    { name: 'both', flags: ['--authorization-mode=Node,RBAC', '--enable-admission-plugins=NodeRestriction,PodSecurity'] },
    { name: 'structured authorization, file not readable', flags: [`--authorization-config=${AUTHZ}`, '--enable-admission-plugins=NodeRestriction'] },
    { name: 'structured authorization with a Node authorizer', flags: [`--authorization-config=${AUTHZ}`, '--enable-admission-plugins=NodeRestriction'], hostFiles: { [AUTHZ]: authz('Node', 'RBAC') } },
    { name: 'an unreadable file is CP-APISERVER-AUTHZ-RBAC\'s finding', flags: [`--authorization-config=${AUTHZ}`, '--enable-admission-plugins=NodeRestriction'], hostFiles: {} },
    { name: '1.6: before the Node authorizer existed', version: '1.6', flags: [] },
  ],
  invalid: [
    { name: '--admission-control without NodeRestriction (it lists every plugin that runs)', flags: ['--authorization-mode=Node,RBAC', '--admission-control=NamespaceLifecycle'], messages: [/NodeRestriction is not in --admission-control/] },
    { name: 'neither', flags: ['--authorization-mode=RBAC'], messages: [/--authorization-mode=RBAC does not include Node: kubelets are not limited/, /NodeRestriction is not in --enable-admission-plugins/] },
    { name: 'Node without NodeRestriction', flags: ['--authorization-mode=Node,RBAC', '--enable-admission-plugins=PodSecurity'], messages: [/NodeRestriction is not in/] },
    { name: 'NodeRestriction without Node', flags: ['--authorization-mode=RBAC', '--enable-admission-plugins=NodeRestriction'], messages: [/does not include Node/] },
    { name: 'a file without a Node authorizer', flags: [`--authorization-config=${AUTHZ}`, '--enable-admission-plugins=NodeRestriction'], hostFiles: { [AUTHZ]: authz('RBAC') }, messages: [/authz\.yaml has no authorizer of type Node/] },
  ],
});
