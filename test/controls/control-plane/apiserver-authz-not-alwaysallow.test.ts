import { control } from '../../../src/controls/control-plane/apiserver-authz-not-alwaysallow.js';
import { testComponentControl } from '../../support/component-tester.js';
import { AUTHZ_CONFIG as AUTHZ, authorizationConfig as authz } from './fixtures.js';

testComponentControl(control, {
  valid: [
    { name: 'Node,RBAC', flags: ['--authorization-mode=Node,RBAC'] },
    { name: 'no RBAC is another control\'s finding', flags: ['--authorization-mode=Webhook'] },
    { name: 'structured authorization, file not readable (a live cluster)', flags: [`--authorization-config=${AUTHZ}`] },
    { name: 'structured authorization with Node and RBAC', flags: [`--authorization-config=${AUTHZ}`], hostFiles: { [AUTHZ]: authz('Node', 'RBAC') } },
  ],
  invalid: [
    { name: 'unset: AlwaysAllow', flags: [], messages: [/--authorization-mode is not set, and it defaults to AlwaysAllow/] },
    { name: 'AlwaysAllow after RBAC', flags: ['--authorization-mode=RBAC,AlwaysAllow'], messages: [/--authorization-mode=RBAC,AlwaysAllow includes AlwaysAllow: .*RBAC restricts nothing/] },
    { name: 'an AlwaysAllow authorizer in the file', flags: [`--authorization-config=${AUTHZ}`], hostFiles: { [AUTHZ]: authz('RBAC', 'AlwaysAllow') }, messages: [/authz\.yaml has an AlwaysAllow authorizer/] },
  ],
});
