/**
 * Every JSON report and baseline a test makes the CLI write is checked against docs/schemas/ (the published
 * contract), whatever the test itself then asserts: test/support/cli-process.ts calls this after each run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { assertMatchesSchema, type SchemaName } from './json-schemas.js';

/** Commands whose `--format json` is the report of docs/json-format.md (the others have JSON of their own). */
const REPORT_COMMANDS = ['scan', 'cluster', 'node', 'audit lint', 'audit detect'];
const SCHEMA_OF_FORMAT: Record<string, SchemaName> = { json: 'report', baseline: 'baseline' };
const FILE_NAMES: Record<string, string> = { json: 'kubeharden.json', baseline: 'kubeharden-baseline.json' };

/** The values of a flag, in every spelling commander accepts: `--flag V`, `--flag=V`, and `-s V` / `-sV` for a short one. */
function flagValues(args: readonly string[], long: string, short?: string): string[] {
  const values: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg === '--') break;
    if (arg === long || (short !== undefined && arg === short)) values.push(args[++index] ?? '');
    else if (arg.startsWith(`${long}=`)) values.push(arg.slice(long.length + 1));
    else if (short !== undefined && arg.startsWith(short) && !arg.startsWith('--') && arg.length > short.length) values.push(arg.slice(short.length));
  }
  return values;
}

export interface RunOutput {
  readonly code: number | null;
  readonly stdout: string;
}

export function checkJsonOutputs(args: readonly string[], result: RunOutput, cwd: string, env: NodeJS.ProcessEnv): void {
  const command = args[0] === 'audit' ? `audit ${args[1] ?? ''}` : (args[0] ?? '');
  if (!REPORT_COMMANDS.includes(command) || result.code === null) return;
  const formats = flagValues(args, '--format', '-o');
  if (formats.length === 0 && env['KUBEHARDEN_FORMAT']) formats.push(env['KUBEHARDEN_FORMAT']);
  const specs = formats
    .flatMap((value) => value.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const equals = item.indexOf('=');
      return { format: (equals === -1 ? item : item.slice(0, equals)).trim().toLowerCase(), path: equals === -1 ? undefined : item.slice(equals + 1).trim() };
    });
  const outputDir = flagValues(args, '--output-dir').at(-1) ?? env['KUBEHARDEN_OUTPUT_DIR'];
  const output = flagValues(args, '--output').at(-1) ?? env['KUBEHARDEN_OUTPUT'];
  const toDefault = specs.filter((spec) => spec.path === undefined);
  for (const spec of specs) {
    const schema = SCHEMA_OF_FORMAT[spec.format];
    if (schema === undefined) continue;
    const what = `${spec.format} output of \`kubeharden ${args.join(' ')}\``;
    let file: string | undefined;
    if (spec.path !== undefined) file = spec.path;
    else if (outputDir) file = join(outputDir, FILE_NAMES[spec.format] ?? '');
    else if (output && toDefault.length === 1) file = output;
    if (file === undefined) {
      if (toDefault.length === 1 && result.stdout.trim() !== '') assertMatchesSchema(schema, JSON.parse(result.stdout), what);
      continue;
    }
    const path = resolve(cwd, file);
    // A run refused before writing (a usage error) leaves nothing, or an older file a test wrote on purpose.
    if (file !== '-' && existsSync(path) && result.code !== 2) assertMatchesSchema(schema, JSON.parse(readFileSync(path, 'utf8')), what);
  }
}
