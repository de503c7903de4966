/** The CVSS v3 base score formula against scores NVD and GitHub publish for well-known vectors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cvss3BaseScore, roundUp } from '../../../src/vuln/match/cvss.js';

const KNOWN: readonly [string, number, string][] = [
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10.0, 'Log4Shell, CVE-2021-44228'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'unauthenticated remote code execution'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8, 'authenticated remote code execution'],
  ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8, 'local privilege escalation'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5, 'remote denial of service'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 'reflected XSS'],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N', 5.9, 'Heartbleed-like disclosure'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'v3.0 vector'],
  ['CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:H', 7.8, 'runc container escape, CVE-2019-5736 style'],
  ['CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:N/A:N', 2.7, 'low'],
  ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N', 0, 'no impact'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C', 9.8, 'temporal metrics do not change the base'],
];

describe('CVSS v3 base score', () => {
  for (const [vector, score, what] of KNOWN) {
    it(`${what}: ${vector} → ${score}`, () => assert.equal(cvss3BaseScore(vector), score));
  }

  it('rejects what is not a complete v3 vector', () => {
    for (const vector of ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'AV:N/AC:L/Au:N/C:P/I:P/A:P', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/', 'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H']) {
      assert.equal(cvss3BaseScore(vector), null, vector);
    }
  });

  it('rounds up to one decimal without floating-point surprises', () => {
    assert.equal(roundUp(4.000000000000001), 4.0);
    assert.equal(roundUp(4.02), 4.1);
    assert.equal(roundUp(4.0), 4.0);
  });
});
