/**
 * action.yml is valid by the schema GitHub Actions metadata is checked with (SchemaStore's github-action.json, in
 * test/install/data/ with its source), and its steps work: the test plays the runner for a composite action
 * (inputs and step outputs substituted into `env:`, `if:` evaluated, `bash --noprofile --norc -eo pipefail` for
 * each script, GITHUB_OUTPUT, GITHUB_PATH and GITHUB_STEP_SUMMARY files), installs kubeharden from a loopback
 * registry that serves the packed checkout, and checks the SARIF the upload step would send against the SARIF schema.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import addFormats from 'ajv-formats';
import yaml from 'js-yaml';
import { PROJECT_ROOT } from '../support/paths.js';
import { startLocalRegistry, type LocalRegistry } from '../support/npm-registry.js';
import { validateSarif } from '../support/sarif-schema.js';
import { tempDir } from '../support/temp-dir.js';

const require = createRequire(import.meta.url);
const Ajv = require('ajv') as (typeof import('ajv'))['default'];

interface Step {
  readonly name: string;
  readonly id?: string;
  readonly if?: string;
  readonly shell?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly env?: Record<string, string>;
  readonly with?: Record<string, string>;
}

interface Action {
  readonly inputs: Record<string, { default?: string }>;
  readonly outputs: Record<string, { value: string }>;
  readonly runs: { using: string; steps: Step[] };
}

const ACTION_TEXT = readFileSync(join(PROJECT_ROOT, 'action.yml'), 'utf8');
const ACTION = yaml.load(ACTION_TEXT) as Action;

function actionSchemaErrors(action: unknown): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  (addFormats as unknown as (ajv: unknown) => void)(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(join(PROJECT_ROOT, 'test', 'install', 'data', 'github-action.schema.json'), 'utf8')) as object);
  return validate(action) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}

interface Context {
  readonly inputs: Record<string, string>;
  readonly steps: Record<string, Record<string, string>>;
}

/** The expressions action.yml uses: inputs.X, steps.ID.outputs.X, always(), ==, != and && over them. Anything else throws. */
function evaluate(expression: string, context: Context): unknown {
  const javascript = expression
    .replace(/\binputs\.([\w-]+)/g, (_, name: string) => JSON.stringify(context.inputs[name] ?? ''))
    .replace(/\bsteps\.([\w-]+)\.outputs\.([\w-]+)/g, (_, id: string, name: string) => JSON.stringify(context.steps[id]?.[name] ?? ''))
    .replace(/\balways\(\)/g, 'true')
    .replace(/'([^']*)'/g, (_, text: string) => JSON.stringify(text))
    .replace(/!=|==/g, (operator) => `${operator}=`);
  assert.match(javascript, /^(?:\s|"[^"]*"|true|false|===|!==|&&|\|\||\(|\))*$/, `an expression this runner does not know: ${expression}`);
  return new Function(`return (${javascript});`)() as unknown;
}

function substitute(text: string, context: Context): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => String(evaluate(expression, context)));
}

function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

function readPairs(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  return Object.fromEntries(readFileSync(file, 'utf8').split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

interface ActionRun {
  readonly conclusion: 'success' | 'failure';
  readonly failedStep?: string;
  readonly outputs: Record<string, string>;
  readonly uploads: Record<string, string>[];
  readonly summary: string;
  readonly log: string;
}

const dir = tempDir('github-action');
let registry: LocalRegistry | { missing: string };

/** Runs the composite action's steps as the runner would, in a workspace holding a copy of the examples. */
async function runAction(name: string, given: Record<string, string>): Promise<ActionRun> {
  const root = join(dir, name);
  const workspace = join(root, 'workspace');
  const runnerTemp = join(root, 'runner-temp');
  mkdirSync(runnerTemp, { recursive: true });
  cpSync(join(PROJECT_ROOT, 'examples'), workspace, { recursive: true });
  const files = { GITHUB_OUTPUT: join(root, 'output'), GITHUB_PATH: join(root, 'path'), GITHUB_STEP_SUMMARY: join(root, 'summary'), GITHUB_ENV: join(root, 'env') };
  const inputs = Object.fromEntries(Object.entries(ACTION.inputs).map(([input, spec]) => [input, given[input] ?? spec.default ?? '']));
  const context: Context = { inputs, steps: {} };
  const paths: string[] = [];
  const uploads: Record<string, string>[] = [];
  let log = '';
  let failedStep: string | undefined;
  for (const step of ACTION.runs.steps) {
    // A step runs while nothing failed, unless its condition says always(); `if:` may be written with or without ${{ }}.
    const condition = step.if?.replace(/^\$\{\{(.*)\}\}$/s, '$1') ?? 'success()';
    const runs = evaluate(condition.replace(/\bsuccess\(\)/g, failedStep === undefined ? 'true' : 'false'), context) === true && (failedStep === undefined || condition.includes('always()'));
    if (!runs) continue;
    if (step.uses !== undefined) {
      assert.equal(step.uses, 'github/codeql-action/upload-sarif@v3');
      uploads.push(Object.fromEntries(Object.entries(step.with ?? {}).map(([key, value]) => [key, join(workspace, substitute(value, context))])));
      continue;
    }
    assert.equal(step.shell, 'bash', step.name);
    writeFileSync(files.GITHUB_OUTPUT, '');
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, substitute(value, context)]));
    const result = await bash(substitute(step.run ?? '', context), workspace, {
      ...(process.env as Record<string, string>),
      ...(registry as LocalRegistry).env,
      npm_config_registry: (registry as LocalRegistry).url,
      npm_config_cache: join(root, 'npm-cache'),
      npm_config_update_notifier: 'false',
      NO_COLOR: '1',
      PATH: [...paths, process.env['PATH'] ?? ''].join(':'),
      GITHUB_ACTION_PATH: PROJECT_ROOT,
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: runnerTemp,
      ...files,
      ...env,
    });
    log += `--- ${step.name}\n${result.output}`;
    if (step.id !== undefined) context.steps[step.id] = readPairs(files.GITHUB_OUTPUT);
    if (existsSync(files.GITHUB_PATH)) paths.unshift(...readFileSync(files.GITHUB_PATH, 'utf8').split('\n').filter((line) => line !== '').reverse());
    writeFileSync(files.GITHUB_PATH, '');
    if (result.code !== 0 && failedStep === undefined) failedStep = step.name;
  }
  const outputs = Object.fromEntries(Object.entries(ACTION.outputs).map(([output, spec]) => [output, substitute(spec.value, context)]));
  const summary = existsSync(files.GITHUB_STEP_SUMMARY) ? readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8') : '';
  return { conclusion: failedStep === undefined ? 'success' : 'failure', ...(failedStep ? { failedStep } : {}), outputs, uploads, summary, log };
}

describe('the GitHub Action', () => {
  before(async () => {
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--json'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    const file = (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename;
    registry = await startLocalRegistry(join(dir, file));
  });
  after(async () => {
    if ('url' in registry) await registry.close();
  });

  it("action.yml is valid by GitHub's action metadata schema, which refuses a broken one", () => {
    assert.deepEqual(actionSchemaErrors(ACTION), []);
    assert.deepEqual(Object.keys(ACTION.inputs), ['paths', 'framework', 'k8s-version', 'fail-on', 'sarif-upload', 'sarif-file', 'version']);
    const broken = { ...ACTION, runs: { ...ACTION.runs, using: 'composite-2' } };
    assert.notDeepEqual(actionSchemaErrors(broken), []);
    assert.notDeepEqual(actionSchemaErrors({ ...ACTION, inputs: { paths: { default: '.' } } }), [], 'an input needs a description');
  });

  it('fails on the insecure example, after uploading a valid SARIF and writing the summary', async (t) => {
    if (!('url' in registry)) return t.skip(registry.missing);
    const run = await runAction('insecure', { paths: 'insecure/ hardened/' });
    assert.equal(run.conclusion, 'failure', run.log);
    assert.equal(run.failedStep, 'Verdict', run.log);
    assert.deepEqual(run.outputs, { 'sarif-file': 'kubeharden.sarif', 'exit-code': '1' });
    assert.equal(run.uploads.length, 1);
    const sarif = JSON.parse(readFileSync(run.uploads[0]!['sarif_file']!, 'utf8')) as { runs: { results: unknown[] }[] };
    assert.deepEqual(validateSarif(sarif), []);
    assert.ok((sarif.runs[0]?.results.length ?? 0) > 0);
    assert.match(run.summary, /FAIL/);
    assert.match(run.log, /POD-NO-PRIVILEGED {2}insecure\/shop\.yaml:30:11/);
  });

  it('passes on the hardened example with the inputs given, and skips the upload when asked', async (t) => {
    if (!('url' in registry)) return t.skip(registry.missing);
    const run = await runAction('hardened', { paths: 'hardened/', framework: 'pss-restricted', 'k8s-version': '1.29', 'fail-on': 'medium', 'sarif-upload': 'false' });
    assert.equal(run.conclusion, 'success', run.log);
    assert.deepEqual(run.outputs, { 'sarif-file': 'kubeharden.sarif', 'exit-code': '0' });
    assert.deepEqual(run.uploads, []);
    assert.match(run.log, /judged as Kubernetes 1\.29|1\.29/);
    assert.match(run.summary, /PASS/);
  });
});
