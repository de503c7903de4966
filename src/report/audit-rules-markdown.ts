import type { DetectionRule } from '../audit/detect/rule.js';
import type { PolicyLintRule } from '../audit/lint/rule.js';
import { catalogEntry } from './catalog.js';
import { section } from './controls-markdown.js';

/** docs/audit-rules.md, generated from the lint and detection rules (`npm run docs`), as docs/controls.md is. */
export function renderAuditRulesMarkdown(lintRules: readonly PolicyLintRule[], detections: readonly DetectionRule[]): string {
  const lines = [
    '# Audit rules',
    '',
    '<!-- Generated from the rule catalog by `npm run docs`; do not edit by hand. -->',
    '',
    `\`kubeharden audit lint\` checks policies with ${lintRules.length} rules; \`kubeharden audit detect\` runs ${detections.length} detections over audit logs.`,
    '`kubeharden audit rules --format json` prints the same data. docs/audit.md explains the commands.',
    '',
    '## Policy lint rules',
    '',
    '| id | title | severity |',
    '|---|---|---|',
    ...lintRules.map((rule) => `| [${rule.meta.id}](#${rule.meta.id.toLowerCase()}) | ${rule.meta.title} | ${rule.meta.severity} |`),
    '',
    '## Detections',
    '',
    'Each detection needs the audit policy to record certain requests at a minimum level, and the stage it fires on;',
    '`audit lint` reports a policy that leaves a detection blind (AUDIT-POLICY-BLIND-DETECTION).',
    '',
    '| id | title | severity | needs level | fires on stage | covers Falco | covers Elastic | ATT&CK |',
    '|---|---|---|---|---|---|---|---|',
    ...detections.map(({ meta }) =>
      `| [${meta.id}](#${meta.id.toLowerCase()}) | ${meta.title} | ${meta.severity} | ${meta.needs.level} | ${meta.needs.stage} | ${(meta.covers.falco ?? []).join('; ') || '—'} | ${(meta.covers.elastic ?? []).join('; ') || '—'} | ${meta.attack.join(', ') || '—'} |`),
    '',
    ...[...lintRules, ...detections].flatMap((rule) => section(catalogEntry(rule.meta))),
  ];
  return `${lines.join('\n')}\n`;
}
