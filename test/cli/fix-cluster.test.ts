/** `fix --cluster`'s usage errors, before any connection: it takes no paths and never writes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli-process.js';

const cases: { args: string[]; message: RegExp }[] = [
  { args: ['fix'], message: /give the paths to fix, - for standard input, or --cluster/ },
  { args: ['fix', '--cluster', 'deploy.yaml'], message: /--cluster reads the live cluster: give no paths/ },
  { args: ['fix', '--cluster', '--write'], message: /--cluster never writes to the cluster/ },
  { args: ['fix', '--cluster', '--request-timeout', '0'], message: /--request-timeout must be a positive number/ },
];

describe('kubeharden fix --cluster: usage errors', () => {
  for (const { args, message } of cases) {
    it(args.join(' '), () => {
      const result = runCli(args);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
    });
  }
});
