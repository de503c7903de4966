/** The docs that are generated from code must match it, and the README must keep its two-command quick start. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CONTROLS } from '../src/controls/index.js';
import { renderControlsMarkdown } from '../src/report/controls-markdown.js';
import { PROJECT_ROOT } from './support/paths.js';

describe('docs', () => {
  it('docs/controls.md is generated from the current catalog (run `npm run docs`)', () => {
    assert.equal(readFileSync(join(PROJECT_ROOT, 'docs', 'controls.md'), 'utf8'), renderControlsMarkdown(CONTROLS));
  });

  it('the README quick start is exactly the install-and-scan command and npm test', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const quickStart = /## Quick start\n+```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.equal(quickStart, 'npm install && npx kubeharden scan examples/\nnpm test\n');
  });

  it('.ci/run runs the same test command as the README', () => {
    const ci = readFileSync(join(PROJECT_ROOT, '.ci', 'run'), 'utf8');
    assert.match(ci, /^npm test$/m);
  });

  it('every control id is unique and every control file is in the catalog', async () => {
    const ids = CONTROLS.map((control) => control.meta.id);
    assert.equal(new Set(ids).size, ids.length);
    const root = join(PROJECT_ROOT, 'dist', 'src', 'controls');
    const families = readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    for (const family of families) {
      for (const file of readdirSync(join(root, family)).filter((name) => name.endsWith('.js'))) {
        const module = (await import(join(root, family, file))) as { control?: unknown; meta?: unknown };
        if (module.meta === undefined) continue; // a helper module shared by a family
        assert.ok(CONTROLS.includes(module.control as never), `${family}/${file} is listed in src/controls/index.ts`);
      }
    }
  });
});
