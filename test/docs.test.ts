/** The docs that are generated from code must match it, and the README must keep its two-command quick start. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, it } from 'node:test';
import { CONTROLS } from '../src/controls/index.js';
import { catalogFix } from '../src/fix/fixes/index.js';
import { renderControlsMarkdown } from '../src/report/controls-markdown.js';
import { renderAuditRulesMarkdown } from '../src/report/audit-rules-markdown.js';
import { DETECTION_RULES } from '../src/audit/detect/rules/index.js';
import { POLICY_LINT_RULES } from '../src/audit/lint/rules/index.js';
import { CLI, PROJECT_ROOT } from './support/paths.js';
import { tempDir } from './support/temp-dir.js';

describe('docs', () => {
  it('docs/controls.md is generated from the current catalog (run `npm run docs`)', () => {
    assert.equal(readFileSync(join(PROJECT_ROOT, 'docs', 'controls.md'), 'utf8'), renderControlsMarkdown(CONTROLS, catalogFix));
  });

  it('docs/audit-rules.md is generated from the current lint and detection rules (run `npm run docs`)', () => {
    assert.equal(readFileSync(join(PROJECT_ROOT, 'docs', 'audit-rules.md'), 'utf8'), renderAuditRulesMarkdown(POLICY_LINT_RULES, DETECTION_RULES));
  });

  it('every audit lint and detection rule file is registered, and ids are unique across all catalogs', async () => {
    const ids = [...CONTROLS, ...POLICY_LINT_RULES, ...DETECTION_RULES].map((rule) => rule.meta.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const [folder, registered] of [['lint', POLICY_LINT_RULES], ['detect', DETECTION_RULES]] as const) {
      const root = join(PROJECT_ROOT, 'dist', 'src', 'audit', folder, 'rules');
      for (const file of readdirSync(root).filter((name) => name.endsWith('.js') && name !== 'index.js')) {
        const module = (await import(join(root, file))) as { rule?: unknown; meta?: unknown };
        if (module.rule === undefined) continue; // a helper module shared by the rules
        assert.ok((registered as readonly unknown[]).includes(module.rule), `audit/${folder}/rules/${file} is listed in its index.ts`);
      }
    }
  });

  it('the README quick start is exactly the install-and-scan command and npm test', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const quickStart = /## Quick start\n+```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.equal(quickStart, 'npm install && npx kubeharden scan examples/\nnpm test\n');
  });

  it('the GitHub Actions example runs a scan command this version accepts, and uploads the SARIF it writes', () => {
    const workflow = yaml.load(readFileSync(join(PROJECT_ROOT, 'docs', 'examples', 'github-actions.yml'), 'utf8')) as {
      jobs: { scan: { steps: { name?: string; run?: string; with?: Record<string, string> }[] } };
    };
    const steps = workflow.jobs.scan.steps;
    const scan = steps.find((step) => step.name === 'Scan')?.run ?? '';
    const args = scan.trim().split(/\s+/);
    assert.equal(args[0], 'kubeharden');
    const out = tempDir('workflow');
    const baseline = join(out, 'baseline.json');
    // Same command, on the examples, with a baseline made the way the comment says.
    spawnSync(CLI, ['scan', 'examples/', '--format', 'baseline', '--output', baseline], { cwd: PROJECT_ROOT });
    const replaced = args.slice(1).map((arg) => (arg === 'k8s/' ? 'examples/' : arg === '.kubeharden-baseline.json' ? baseline : arg === 'kubeharden-report' ? join(out, 'kubeharden-report') : arg));
    const result = spawnSync(CLI, replaced, { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, CI: '1' } });
    assert.equal(result.status, 0, result.stderr);
    const sarif = steps.find((step) => step.with?.['sarif_file'])?.with?.['sarif_file'] ?? '';
    assert.ok(existsSync(join(out, sarif)), `${sarif} is written by the scan step`);
    assert.ok(existsSync(join(out, 'kubeharden-report', 'kubeharden.md')));
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
