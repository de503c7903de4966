/**
 * The JSON Schema (draft 2020-12) of `.kubeharden.yaml`, written to docs/schemas/kubeharden-config.schema.json by
 * `npm run docs`. It says what loadConfigFile accepts, key for key (test/config/config-schema.test.ts holds the two
 * to agreement), and lists the control ids so editors complete them; the only thing it cannot see is whether an
 * exception's glob can match anything (`[z-a]`), which the loader refuses.
 */
import { FRAMEWORKS } from '../engine/types.js';
import { FORMAT_IDS, POLICY_REPORT_APIS } from '../report/format-ids.js';
import { SEVERITIES } from '../vocabulary/severity.js';

export const CONFIG_SCHEMA_ID = 'https://json.schemastore.org/kubeharden.json';

/** A JS regular expression source that matches any one of `words` exactly. */
function alternation(words: readonly string[]): string {
  return `(?:${words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
}

/**
 * `A, B,C`: what the loader's comma lists accept (items trimmed, empty items dropped). `atLeastOne`: some item is
 * not empty.
 */
function commaList(word: string, atLeastOne: boolean): string {
  const item = `\\s*${word}?\\s*`;
  if (!atLeastOne) return `^${item}(?:,${item})*$`;
  return `^(?:\\s*,)*\\s*${word}\\s*(?:,${item})*$`;
}

/** Every key may also be left empty (`key:` is null), which means "not set". */
function orNull(schema: Record<string, unknown>): Record<string, unknown> {
  return { anyOf: [schema, { type: 'null' }] };
}

export function configSchema(controlIds: readonly string[]): Record<string, unknown> {
  const severity = alternation(SEVERITIES);
  const controlOrAll = alternation([...controlIds, '*']);
  // The loader reads strings, and numbers as their text (`owner: 42`).
  const text = { type: ['string', 'number'] };
  const list = (description: string) =>
    orNull({ description, anyOf: [{ type: 'string', description: 'comma-separated' }, { type: 'array', items: text }] });
  const globs = (description: string) => orNull({ description, anyOf: [{ type: 'string' }, { type: 'array', items: text }] });
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: CONFIG_SCHEMA_ID,
    title: 'kubeharden configuration (.kubeharden.yaml)',
    description: 'Scan defaults and exceptions. Every key mirrors a `kubeharden scan` flag; flags and KUBEHARDEN_* variables win over the file (docs/configuration.md).',
    type: ['object', 'null'],
    additionalProperties: false,
    properties: {
      k8sVersion: orNull({
        description: 'Kubernetes version to judge by: "1.29", "v1.29", "1.29.3" or "latest". Quote it: YAML reads 1.30 as the number 1.3.',
        type: 'string',
        examples: ['1.29', 'latest'],
      }),
      framework: orNull({ description: 'controls to run', enum: [...FRAMEWORKS] }),
      failOn: orNull({ description: 'exit 1 when an open finding is at or above this severity', enum: [...SEVERITIES, 'none'] }),
      severity: orNull({
        description: 'show only these severities (the exit code still counts every finding)',
        anyOf: [
          { type: 'string', pattern: commaList(severity, false) },
          { type: 'array', items: { enum: [...SEVERITIES] } },
        ],
      }),
      format: list(`report formats, each optionally FORMAT=FILE: ${FORMAT_IDS.join(', ')}`),
      output: orNull({ description: 'write the report to this file', ...text }),
      outputDir: orNull({ description: 'write every format to DIR/kubeharden.<ext>', ...text }),
      baseline: orNull({ description: 'gate only on findings not in this baseline (docs/schemas/kubeharden-baseline.schema.json)', ...text }),
      policyreportApi: orNull({ description: 'API of --format policyreport', enum: [...POLICY_REPORT_APIS] }),
      podTemplatePath: orNull({
        description: 'extra kinds that embed a pod template: a mapping KIND: PATH, or a list of KIND=PATH',
        anyOf: [
          { type: 'object', additionalProperties: text, examples: [{ 'serving.knative.dev/Service': 'spec.template' }] },
          { type: 'string' },
          { type: 'array', items: text },
        ],
      }),
      allowedRegistry: list('registries (or registry/path prefixes) images may come from; turns on IMG-TRUSTED-REGISTRY'),
      dangerousCapability: list('replace the list of capabilities POD-NO-DANGEROUS-CAPS reports'),
      namespaceObjectsElsewhere: orNull({ description: 'Namespaces, NetworkPolicies, LimitRanges, quotas and ServiceAccounts live outside these files', type: 'boolean' }),
      color: orNull({ description: 'colour the terminal output', type: 'boolean' }),
      exceptions: orNull({
        description: 'accepted risks: findings they match stay in every report as suppressed',
        type: 'array',
        items: {
          type: 'object',
          required: ['controls', 'reason'],
          additionalProperties: false,
          properties: {
            controls: {
              description: 'the control ids it accepts, or "*" for all',
              anyOf: [
                { type: 'string', pattern: commaList(controlOrAll, true) },
                {
                  type: 'array',
                  items: { anyOf: [{ enum: [...controlIds, '*'] }, { type: 'string', pattern: commaList(controlOrAll, false) }] },
                  contains: { type: 'string', pattern: commaList(controlOrAll, true) },
                },
              ],
            },
            kind: globs('kinds it applies to (globs)'),
            namespace: globs('namespaces it applies to (globs; "" matches cluster-scoped resources)'),
            name: globs('resource names it applies to (globs)'),
            file: globs('files it applies to (globs)'),
            reason: { description: 'why the risk is accepted', anyOf: [{ type: 'string', pattern: '\\S' }, { type: 'number' }] },
            owner: { description: 'who accepted it', ...text },
            expires: { description: 'the last day it applies, YYYY-MM-DD', type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', format: 'date' },
          },
        },
      }),
    },
  };
}
