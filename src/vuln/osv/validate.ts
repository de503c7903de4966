/**
 * Validation of OSV records against the OSV JSON Schema (draft 2020-12) shipped beside this file (see
 * SCHEMA-SOURCE.md). The validator is compiled once, on first use.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import type { OsvRecord } from './record.js';
// Imported (not read from disk by path) so the compiler copies it into dist/ beside this module.
import schema from './schema.json' with { type: 'json' };

let compiled: ValidateFunction | null = null;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

export interface SchemaProblem {
  /** JSON pointer into the record (`/affected/0/package/ecosystem`). */
  readonly path: string;
  readonly message: string;
}

/** The schema violations of a parsed record; empty when it is valid. */
export function schemaProblems(value: unknown): SchemaProblem[] {
  const validate = validator();
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => ({ path: error.instancePath, message: error.message ?? error.keyword }));
}

export function isOsvRecord(value: unknown): value is OsvRecord {
  return schemaProblems(value).length === 0;
}
