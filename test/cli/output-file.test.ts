/**
 * `--output FILE` of every command that prints one text (images, psa plan, export vap, netpol reach, generate and
 * diff, rbac generate, netpol audit --write-flows-baseline): its folder is made when missing, and a path that
 * cannot be written is one line and exit 2. Each of them crashed with "internal error" and a stack trace.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli-process.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('output-file');
const audit = join(dir, 'audit.log');
writeFileSync(audit, `${JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', stage: 'ResponseComplete', verb: 'list', user: { username: 'alice' }, requestURI: '/api/v1/namespaces/shop/pods', objectRef: { resource: 'pods', namespace: 'shop', apiVersion: 'v1' }, responseStatus: { code: 200 } })}\n`);
const flows = join(dir, 'flows.json');
writeFileSync(flows, '');
/** A regular file: nothing can be written under it. */
const blocker = join(dir, 'a-file');
writeFileSync(blocker, '');

const COMMANDS: { readonly name: string; readonly args: (output: string) => string[] }[] = [
  { name: 'images', args: (output) => ['images', 'examples/', '--output', output] },
  { name: 'psa plan', args: (output) => ['psa', 'plan', 'examples/', '--output', output] },
  { name: 'export vap', args: (output) => ['export', 'vap', '--output', output] },
  { name: 'netpol reach', args: (output) => ['netpol', 'reach', 'examples/', '--output', output] },
  { name: 'netpol generate', args: (output) => ['netpol', 'generate', 'examples/', '--output', output] },
  { name: 'netpol diff', args: (output) => ['netpol', 'diff', 'examples/', 'examples/', '--output', output] },
  { name: 'rbac generate', args: (output) => ['rbac', 'generate', '--from-audit', audit, '--subject', 'user:alice', '--output', output] },
  { name: 'netpol audit --write-flows-baseline', args: (output) => ['netpol', 'audit', 'examples/', '--flows', flows, '--write-flows-baseline', output, '-o', 'json'] },
];

describe('--output FILE', () => {
  for (const { name, args } of COMMANDS) {
    it(`${name}: makes the folder, and a path it cannot write is one line and exit 2`, () => {
      const output = join(dir, name.replace(/\W+/g, '-'), 'new', 'out.txt');
      const written = runCli(args(output));
      assert.ok(written.code !== 2, `${name}: exit ${written.code}: ${written.stderr}`);
      assert.ok(readFileSync(output, 'utf8').length > 0, `${name} wrote nothing`);
      const refused = runCli(args(join(blocker, 'out.txt')));
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /^kubeharden: cannot write \S+a-file\/out\.txt: [^\n]+\n$/, `${name}: ${refused.stderr}`);
    });
  }
});
