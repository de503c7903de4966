import { control } from '../../../src/controls/control-plane/apiserver-token-auth-file.js';
import { testComponentControl } from '../../support/component-tester.js';

testComponentControl(control, {
  valid: [{ name: 'no static files', flags: ['--client-ca-file=/pki/ca.crt'] }],
  invalid: [
    { name: 'token file', flags: ['--token-auth-file=/etc/kubernetes/tokens.csv'], messages: [/--token-auth-file=\/etc\/kubernetes\/tokens\.csv is set: .*clear-text file.*never expire/] },
    { name: 'password file (before 1.19)', version: '1.18', flags: ['--basic-auth-file=/etc/kubernetes/users.csv'], messages: [/--basic-auth-file=.* is set: user names and passwords/] },
    { name: 'both', flags: ['--token-auth-file=/t.csv', '--basic-auth-file=/p.csv'], messages: [/--token-auth-file/, /--basic-auth-file/] },
    { name: 'password file at 1.19, which removed it', version: '1.19', flags: ['--basic-auth-file=/p.csv'], messages: [/--basic-auth-file=\/p\.csv is set: static password authentication was removed in 1\.19: kube-apiserver 1\.19 does not start/] },
    { name: 'password file at 1.18, the last release with it', version: '1.18', flags: ['--basic-auth-file=/p.csv'], messages: [/user names and passwords sit in a clear-text file/] },
  ],
});
