import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

/**
 * The official SARIF 2.1.0 JSON schema (2.1.0-rtm.5, the OASIS standard's), as Microsoft's SARIF SDK publishes it in
 * @microsoft/jest-sarif. It is a draft-04 schema, hence ajv-draft-04; formats (uri, date-time) are checked too.
 */
const require = createRequire(import.meta.url);
// A CommonJS class; required rather than imported so the constructor is not hidden behind `.default`.
const Ajv04 = require('ajv-draft-04') as (typeof import('ajv-draft-04'))['default'];
export const SARIF_SCHEMA_PATH = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

let validator: ValidateFunction | undefined;

export function validateSarif(log: unknown): string[] {
  if (!validator) {
    const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
    (addFormats as unknown as (ajv: unknown) => void)(ajv);
    validator = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA_PATH, 'utf8')) as object);
  }
  const validate = validator;
  if (validate(log)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}
