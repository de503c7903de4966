/**
 * kubeharden's own JSON Schemas (docs/schemas/, draft 2020-12, shipped in the package) compiled once with ajv and
 * its formats: every JSON report, baseline and configuration the tests produce is checked against them, so the
 * published contract cannot drift from what the tool writes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { PROJECT_ROOT } from './paths.js';

const require = createRequire(import.meta.url);
// A CommonJS class; required rather than imported so the constructor is not hidden behind `.default`.
const Ajv2020 = require('ajv/dist/2020.js') as (typeof import('ajv/dist/2020.js'))['default'];

export const SCHEMAS = {
  report: 'kubeharden-report.schema.json',
  baseline: 'kubeharden-baseline.schema.json',
  config: 'kubeharden-config.schema.json',
} as const;
export type SchemaName = keyof typeof SCHEMAS;

export function schemaPath(name: SchemaName): string {
  return join(PROJECT_ROOT, 'docs', 'schemas', SCHEMAS[name]);
}

const validators = new Map<SchemaName, ValidateFunction>();

function validator(name: SchemaName): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) {
    // strict: the schemas must not use a keyword ajv does not know (a typo would silently check nothing).
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    (addFormats as unknown as (ajv: unknown) => void)(ajv);
    validate = ajv.compile(JSON.parse(readFileSync(schemaPath(name), 'utf8')) as object);
    validators.set(name, validate);
  }
  return validate;
}

/** The schema's complaints about `value`, one line each; empty when it is valid. */
export function schemaErrors(name: SchemaName, value: unknown): string[] {
  const validate = validator(name);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}

export function assertMatchesSchema(name: SchemaName, value: unknown, what = `the ${name}`): void {
  const errors = schemaErrors(name, value);
  assert.deepEqual(errors, [], `${what} does not match docs/schemas/${SCHEMAS[name]}:\n${errors.slice(0, 20).join('\n')}`);
}

/** JSON.parse, then the report schema: for tests that read a `--format json` report. */
export function parseJsonReport<T = Record<string, unknown>>(text: string, what = 'the JSON report'): T {
  const report = JSON.parse(text) as unknown;
  assertMatchesSchema('report', report, what);
  return report as T;
}
