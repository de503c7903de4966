/** The agreement figures the README and docs/peer-differences.md quote, checked against the measured ones. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from './paths.js';

const number = (text: string | undefined): number => Number((text ?? '').replace(/,/g, ''));

/** Asserts that both documents state `compared` cases for `peer` (a `## peer` section heading) and `agreed` of them agreeing. */
export function assertDocumentedFigures(peer: string, figures: { compared: number; agreed: number }): void {
  const differences = readFileSync(resolve(PROJECT_ROOT, 'docs', 'peer-differences.md'), 'utf8');
  const section = differences.split(/^## /m).find((part) => part.startsWith(peer));
  assert.ok(section, `docs/peer-differences.md has a "## ${peer}" section`);
  const docs = /([\d,]+) (?:cases|fixture files) are compared[^.]*?, ([\d,]+) agree/.exec(section);
  assert.ok(docs, `docs/peer-differences.md states how many ${peer} cases are compared and agree`);
  assert.deepEqual({ compared: number(docs[1]), agreed: number(docs[2]) }, figures, `docs/peer-differences.md (${peer})`);

  const readme = readFileSync(resolve(PROJECT_ROOT, 'README.md'), 'utf8');
  const quoted = new RegExp(`([\\d,]+) ${peer}[^(]*\\(([\\d,]+) agree\\)`).exec(readme);
  assert.ok(quoted, `README.md states how many ${peer} cases agree`);
  assert.deepEqual({ compared: number(quoted[1]), agreed: number(quoted[2]) }, figures, `README.md (${peer})`);
}
