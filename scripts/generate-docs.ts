// Writes docs/controls.md and docs/audit-rules.md from the catalogs (`npm run docs`).
import { writeFileSync } from 'node:fs';
import { DETECTION_RULES } from '../src/audit/detect/rules/index.js';
import { POLICY_LINT_RULES } from '../src/audit/lint/rules/index.js';
import { CONTROLS } from '../src/controls/index.js';
import { catalogFix } from '../src/fix/fixes/index.js';
import { renderAuditRulesMarkdown } from '../src/report/audit-rules-markdown.js';
import { renderControlsMarkdown } from '../src/report/controls-markdown.js';
import { configSchema } from '../src/config/config-schema.js';

writeFileSync('docs/controls.md', renderControlsMarkdown(CONTROLS, catalogFix));
console.log('wrote docs/controls.md');
writeFileSync('docs/audit-rules.md', renderAuditRulesMarkdown(POLICY_LINT_RULES, DETECTION_RULES));
console.log('wrote docs/audit-rules.md');
writeFileSync('docs/schemas/kubeharden-config.schema.json', `${JSON.stringify(configSchema(CONTROLS.map((control) => control.meta.id)), null, 2)}\n`);
console.log('wrote docs/schemas/kubeharden-config.schema.json');
