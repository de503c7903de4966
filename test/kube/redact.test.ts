import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isSensitiveName, redactArguments, redactCredentials, redactRequestUri } from '../../src/kube/credentials.js';

describe('redacting credentials in text we write', () => {
  const cases: [string, string][] = [
    ['mysql -h db -uroot -pS3cretPW appdb', 'mysql -h db -uroot -p*** appdb'],
    ['mariadb-dump -u app -phunter2 shop', 'mariadb-dump -u app -p*** shop'],
    ['curl -u admin:S3cret https://x/', 'curl -u admin:*** https://x/'],
    ['curl --user=admin:S3cret https://x/', 'curl --user=admin:*** https://x/'],
    ["curl -H 'Authorization: Bearer abcdef123456' https://x", "curl -H 'Authorization: Bearer ***' https://x"],
    ['Authorization: Basic YWRtaW46aHVudGVyMg==', 'Authorization: Basic ***'],
    ['curl -H "X-Api-Key: abcd1234" http://x', 'curl -H "X-Api-Key: ***" http://x'],
    ['app --password=hunter22 --db-password hunter33 --token-file /t', 'app --password=*** --db-password *** --token-file /t'],
    ['http://orders:8080/?api_key=ABCDEF123&x=1', 'http://orders:8080/?api_key=***&x=1'],
    ['jdbc:mysql://db:3306/app?user=app&password=hunter2', 'jdbc:mysql://db:3306/app?user=app&password=***'],
    ['jdbc:sqlserver://h;user=sa;password=secret;db=x', 'jdbc:sqlserver://h;user=sa;password=***;db=x'],
    ['jdbc:oracle:thin:scott/tiger@db:1521/x', 'jdbc:oracle:thin:scott/***@db:1521/x'],
    ['postgres://app:pgpass99@db:5432/x', 'postgres://app:***@db:5432/x'],
    ['redis://:s3cret@cache:6379', 'redis://:***@cache:6379'],
    ['PGPASSWORD=pw1234 psql -h db', 'PGPASSWORD=*** psql -h db'],
    ['sshpass -p hunter2 ssh root@h', 'sshpass -p *** ssh root@h'],
    ['redis-cli -h r -a s3cret', 'redis-cli -h r -a ***'],
    [`key AKIAABCDEFGHIJKLMNOP and ghp_${'a'.repeat(36)}`, 'key AKIA*** and ghp_***'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY----- ***'],
    // Ordinary commands and words stay as they are.
    ["alice exec'd into Pod default/web (command: sh -c id)", "alice exec'd into Pod default/web (command: sh -c id)"],
    ['ssh -p 22 host; nc -p 80 x; sort -u file', 'ssh -p 22 host; nc -p 80 x; sort -u file'],
    ['bearer tokens are checked; secretName=db-creds; password=$(DB_PASSWORD)', 'bearer tokens are checked; secretName=db-creds; password=$(DB_PASSWORD)'],
    ['http://orders:8080/api', 'http://orders:8080/api'],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => assert.equal(redactCredentials(input), expected));
  }

  it('reads the arguments of a command together and keeps each argument whole', () => {
    assert.deepEqual(redactArguments(['curl', '-u', 'admin:S3cret', '-H', 'Authorization: Bearer abcdefgh123', 'http://x']), ['curl', '-u', 'admin:***', '-H', 'Authorization: Bearer ***', 'http://x']);
    assert.deepEqual(redactArguments(['sh', '-c', 'mysql  -pS3cret db', '', 'x']), ['sh', '-c', 'mysql  -p*** db', '', 'x']);
    assert.deepEqual(redactArguments(['ls', '-l']), ['ls', '-l']);
  });

  it('keeps the number of arguments and never changes one without a credential', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('mysql', '-pS3cret', '-u', 'a:b', ' ', '', '--password', 'x y')), { maxLength: 8 }), (args) => {
        const redacted = redactArguments(args);
        assert.equal(redacted.length, args.length);
        redacted.forEach((arg, index) => assert.ok(arg === args[index] || arg.includes('***'), JSON.stringify([args, redacted])));
      }),
      { seed: 20261203, numRuns: 1000 },
    );
  });

  it('redacts exec commands and credential parameters in a request URI, keeping the rest as written', () => {
    assert.equal(
      redactRequestUri('/api/v1/namespaces/d/pods/p/exec?command=curl&command=-u&command=admin%3AS3cret&command=http%3A%2F%2Fx&container=c&stdout=true'),
      '/api/v1/namespaces/d/pods/p/exec?command=curl&command=-u&command=admin%3A***&command=http%3A%2F%2Fx&container=c&stdout=true',
    );
    assert.equal(redactRequestUri('/api/v1/namespaces/d/pods/p/exec?command=mysql&command=-pS3cret'), '/api/v1/namespaces/d/pods/p/exec?command=mysql&command=-p***');
    assert.equal(redactRequestUri('/x?token=abc&watch=true&bad=%E0%A4%A'), '/x?token=***&watch=true&bad=%E0%A4%A');
    assert.equal(redactRequestUri('/api/v1/pods'), '/api/v1/pods');
  });

  it('knows PGPASSWORD for what it is', () => assert.equal(isSensitiveName('PGPASSWORD'), true));
});
