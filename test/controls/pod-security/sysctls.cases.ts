/** The valid and invalid cases of sysctls.test.ts, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import type { ControlCases } from '../../support/control-tester.js';

const sysctls = (...names: string[]) => ({ securityContext: { sysctls: names.map((name) => ({ name, value: '1' })) } });

export const cases: ControlCases = {
  valid: [
    { name: 'no sysctls' },
    { name: 'safe since 1.0', spec: sysctls('kernel.shm_rmid_forced', 'net.ipv4.ping_group_range'), version: '1.0' },
    { name: 'tcp_keepalive_time from 1.29', spec: sysctls('net.ipv4.tcp_keepalive_time'), version: '1.29' },
    { name: 'tcp_rmem from 1.32', spec: sysctls('net.ipv4.tcp_rmem'), version: '1.32' },
    { name: 'tcp_notsent_lowat from 1.37', spec: sysctls('net.ipv4.tcp_notsent_lowat'), version: '1.37' },
  ],
  invalid: [
    { name: 'ip_local_reserved_ports before 1.27', spec: sysctls('net.ipv4.ip_local_reserved_ports'), version: '1.26', fields: ['spec.securityContext.sysctls[0].name'] },
    { name: 'tcp_rmem before 1.32', spec: sysctls('net.ipv4.tcp_syncookies', 'net.ipv4.tcp_rmem'), version: '1.31', fields: ['spec.securityContext.sysctls[1].name'] },
    { name: 'kernel.msgmax is never safe', spec: sysctls('kernel.msgmax'), fields: ['spec.securityContext.sysctls[0].name'] },
  ],
};
