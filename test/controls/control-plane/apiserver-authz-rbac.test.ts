import { control } from '../../../src/controls/control-plane/apiserver-authz-rbac.js';
import { testComponentControl } from '../../support/component-tester.js';
import { AUTHZ_CONFIG as AUTHZ, authorizationConfig as authz } from './fixtures.js';

testComponentControl(control, {
  valid: [
    { name: 'Node,RBAC', flags: ['--authorization-mode=Node,RBAC'] },
    { name: 'structured authorization, file not readable (a live cluster)', flags: [`--authorization-config=${AUTHZ}`] },
    { name: 'structured authorization with an RBAC authorizer', flags: [`--authorization-config=${AUTHZ}`], hostFiles: { [AUTHZ]: authz('Node', 'RBAC') } },
  ],
  invalid: [
    { name: 'unset: only AlwaysAllow', flags: [], messages: [/--authorization-mode \(not set: AlwaysAllow\) does not include RBAC: Roles and RoleBindings grant nothing/] },
    { name: 'Node and Webhook only', flags: ['--authorization-mode=Node,Webhook'], messages: [/--authorization-mode=Node,Webhook does not include RBAC: .*decided by Node, Webhook/] },
    { name: 'a file without RBAC', flags: [`--authorization-config=${AUTHZ}`], hostFiles: { [AUTHZ]: authz('Node', 'Webhook') }, messages: [/authz\.yaml has no authorizer of type RBAC/] },
    { name: 'the file is missing', flags: [`--authorization-config=${AUTHZ}`], hostFiles: {}, messages: [/authz\.yaml: no such file: cannot tell whether RBAC is on/] },
    { name: 'the file is another kind', flags: [`--authorization-config=${AUTHZ}`], hostFiles: { [AUTHZ]: 'apiVersion: v1\nkind: Config\n' }, messages: [/has kind: Config, not AuthorizationConfiguration/] },
  ],
});
