import { control } from '../../../src/controls/control-plane/audit-log-retention.js';
import { testComponentControl } from '../../support/component-tester.js';

const LOG = '--audit-log-path=/var/log/audit.log';

testComponentControl(control, {
  valid: [
    { name: 'CIS values', flags: [LOG, '--audit-log-maxage=30', '--audit-log-maxbackup=10', '--audit-log-maxsize=100'] },
    { name: 'more than CIS asks', flags: [LOG, '--audit-log-maxage=1825', '--audit-log-maxbackup=50', '--audit-log-maxsize=200'] },
    { name: 'maxsize unset rotates at the 100 MB default', flags: [LOG, '--audit-log-maxage=30', '--audit-log-maxbackup=10'] },
    { name: 'log to stdout: collected elsewhere', flags: ['--audit-log-path=-'] },
    { name: 'no log: AUD-APISERVER-AUDIT-LOG reports it', flags: [] },
  ],
  invalid: [
    { name: 'no limits', flags: [LOG], messages: [/--audit-log-maxage is not set: rotated files are never deleted by age/, /--audit-log-maxbackup is not set: every rotated file is kept until the disk fills/] },
    { name: 'too short', flags: [LOG, '--audit-log-maxage=7', '--audit-log-maxbackup=10', '--audit-log-maxsize=100'], messages: [/--audit-log-maxage=7 is below the CIS minimum of 30 days/] },
    { name: 'too few, too small', flags: [LOG, '--audit-log-maxage=30', '--audit-log-maxbackup=3', '--audit-log-maxsize=10'], messages: [/maxbackup=3 is below the CIS minimum of 10 rotated files/, /maxsize=10 is below the CIS minimum of 100 MB/] },
    { name: 'explicit 0 is no limit', flags: [LOG, '--audit-log-maxage=0', '--audit-log-maxbackup=10'], messages: [/--audit-log-maxage=0: rotated files are never deleted by age/] },
    { name: 'not a number', flags: [LOG, '--audit-log-maxage=thirty', '--audit-log-maxbackup=10'], messages: [/--audit-log-maxage=thirty is not a number/] },
  ],
});
