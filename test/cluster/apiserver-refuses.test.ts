/**
 * What the component controls say kube-apiserver refuses, checked against the real binary (v1.37.2): the flag
 * values a control reports as "does not start" make it exit with that complaint before it reaches etcd.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { control as requestTimeout } from '../../src/controls/control-plane/apiserver-request-timeout.js';
import { control as securePort } from '../../src/controls/control-plane/apiserver-secure-port.js';
import { control as tokenAuthFile } from '../../src/controls/control-plane/apiserver-token-auth-file.js';
import type { ComponentControl } from '../../src/engine/types.js';
import { clusterBinDir } from '../support/cluster-binaries.js';
import { componentFindings } from '../support/component-tester.js';
import { tempDir } from '../support/temp-dir.js';

const bin = clusterBinDir();
const skip = typeof bin === 'string' ? false : process.env['CI'] ? false : bin.missing;

const CASES: { flag: string; control: ComponentControl; refusal: RegExp }[] = [
  { flag: '--secure-port=0', control: securePort, refusal: /--secure-port 0 must be between 1 and 65535, inclusive\. It cannot be turned off with 0/ },
  { flag: '--request-timeout=300', control: requestTimeout, refusal: /invalid argument "300" for "--request-timeout" flag: time: missing unit in duration/ },
  { flag: '--basic-auth-file=/etc/kubernetes/users.csv', control: tokenAuthFile, refusal: /unknown flag: --basic-auth-file/ },
];

describe('kube-apiserver refuses what the controls say it refuses', { skip }, () => {
  for (const { flag, control, refusal } of CASES) {
    it(`${flag} (${control.meta.id})`, (t) => {
      assert.equal(typeof bin, 'string', typeof bin === 'string' ? '' : bin.missing);
      const cwd = tempDir('apiserver-refuses', t);
      const result = spawnSync(join(bin as string, 'kube-apiserver'), [flag, '--etcd-servers=http://127.0.0.1:1'], { cwd, encoding: 'utf8', timeout: 30_000 });
      assert.notEqual(result.status, 0, 'kube-apiserver must not start');
      assert.match(result.stderr, refusal);
      const findings = componentFindings(control, 'kube-apiserver', { flags: [flag], name: flag, version: '1.37' });
      assert.equal(findings.length, 1);
      assert.match(findings[0]?.message ?? '', /does not start/);
    });
  }
});
