/** The official CycloneDX 1.6 JSON schema (test/vuln/data/cyclonedx-1.6, from CycloneDX/specification, Apache-2.0) as a validator. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { PROJECT_ROOT } from './paths.js';

/** A validator that answers each schema violation as `<path> <message>`; none for a valid document. */
export function cycloneDxValidator(): (document: unknown) => string[] {
  const folder = join(PROJECT_ROOT, 'test', 'vuln', 'data', 'cyclonedx-1.6');
  const ajv = new Ajv.default({ allErrors: true, strict: false });
  (addFormats as unknown as (ajv: unknown) => void)(ajv);
  for (const name of ['spdx.schema.json', 'jsf-0.82.schema.json']) ajv.addSchema(JSON.parse(readFileSync(join(folder, name), 'utf8')) as object, name);
  const validate = ajv.compile(JSON.parse(readFileSync(join(folder, 'bom-1.6.schema.json'), 'utf8')) as object);
  return (document) => (validate(document) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`));
}
