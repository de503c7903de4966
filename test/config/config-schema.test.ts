/**
 * docs/schemas/kubeharden-config.schema.json and the configuration loader agree: every file below is refused by
 * both or by neither (the one thing the schema cannot see is listed, with why), and the shipped schema is the one
 * the catalog generates (`npm run docs`).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CONTROLS } from '../../src/controls/index.js';
import { configSchema } from '../../src/config/config-schema.js';
import { ConfigError, loadConfigFile } from '../../src/config/config-file.js';
import { parseYaml } from '../../src/loader/parse-document.js';
import { schemaErrors, schemaPath } from '../support/json-schemas.js';
import { tempDir } from '../support/temp-dir.js';

const CONTROL_IDS = CONTROLS.map((control) => control.meta.id);

/** [file text, whether it is a valid configuration] */
const CASES: readonly (readonly [string, boolean])[] = [
  ['', true],
  ['# only a comment\n', true],
  ['failOn: high\nframework: pss-restricted\nk8sVersion: "1.29"\n', true],
  ['failOn: none\n', true],
  ['failOn: severe\n', false],
  ['framework: cis\n', false],
  ['framework: 1\n', false],
  ['k8sVersion: 1.30\n', false],
  ['k8sVersion: v1.30\n', true],
  ['k8sVersion: [1]\n', false],
  ['k8sVersion:\n', true],
  ['severity: critical,high\n', true],
  ['severity: " critical , ,high "\n', true],
  ['severity: [critical, high]\n', true],
  ['severity: critical,urgent\n', false],
  ['severity: [urgent]\n', false],
  ['severity: [critical, 1]\n', false],
  ['format: [json, sarif=out.sarif]\n', true],
  ['format: json\n', true],
  ['format: {json: out.json}\n', false],
  ['output: report.json\n', true],
  ['output: 42\n', true],
  ['output: [a]\n', false],
  ['outputDir: true\n', false],
  ['baseline: .kubeharden-baseline.json\n', true],
  ['policyreportApi: openreports.io/v1alpha1\n', true],
  ['policyreportApi: v1\n', false],
  ['podTemplatePath:\n  Rollout: spec.template\n', true],
  ['podTemplatePath: [Rollout=spec.template]\n', true],
  ['podTemplatePath:\n  Rollout: [spec]\n', false],
  ['allowedRegistry: [registry.example.com, ghcr.io/acme]\n', true],
  ['allowedRegistry: {a: b}\n', false],
  ['dangerousCapability: NET_RAW\n', true],
  ['namespaceObjectsElsewhere: true\n', true],
  ['namespaceObjectsElsewhere: "yes"\n', false],
  ['color: false\n', true],
  ['color: 0\n', false],
  ['colour: false\n', false],
  ['toString: x\n', false],
  ['- failOn: high\n', false],
  ['just text\n', false],
  ['exceptions:\n', true],
  ['exceptions: []\n', true],
  ['exceptions: {}\n', false],
  ['exceptions: [null]\n', false],
  ['exceptions:\n  - controls: [POD-READONLY-ROOTFS]\n    namespace: legacy-*\n    reason: writes its cache\n    owner: team-legacy\n    expires: 2027-03-31\n', true],
  ['exceptions:\n  - controls: "*"\n    reason: everything here is a test\n', true],
  ['exceptions:\n  - controls: POD-NO-PRIVILEGED, POD-NO-HOST-NAMESPACES\n    reason: r\n', true],
  ['exceptions:\n  - controls: [" POD-NO-PRIVILEGED ,POD-NO-HOST-NAMESPACES", ""]\n    reason: r\n', true],
  ['exceptions:\n  - controls: [POD-NO-SUCH-THING]\n    reason: r\n', false],
  ['exceptions:\n  - controls: POD-NO-PRIVILEGED,POD-NO-SUCH-THING\n    reason: r\n', false],
  ['exceptions:\n  - controls: []\n    reason: r\n', false],
  ['exceptions:\n  - controls: ","\n    reason: r\n', false],
  ['exceptions:\n  - controls: [""]\n    reason: r\n', false],
  ['exceptions:\n  - controls: [5]\n    reason: r\n', false],
  ['exceptions:\n  - controls:\n    reason: r\n', false],
  ['exceptions:\n  - reason: no controls\n', false],
  ['exceptions:\n  - controls: ["*"]\n', false],
  ['exceptions:\n  - controls: ["*"]\n    reason: "   "\n', false],
  ['exceptions:\n  - controls: ["*"]\n    reason: 42\n', true],
  ['exceptions:\n  - controls: ["*"]\n    reason: r\n    owner:\n', false],
  ['exceptions:\n  - controls: ["*"]\n    reason: r\n    expires: 2027-02-30\n', false],
  ['exceptions:\n  - controls: ["*"]\n    reason: r\n    expires: 2028-02-29\n', true],
  ['exceptions:\n  - controls: ["*"]\n    reason: r\n    expires: 31.03.2027\n', false],
  ['exceptions:\n  - controls: ["*"]\n    reason: r\n    namespace: ""\n    kind: [Deployment, "Cron*"]\n    name:\n    file: k8s/**\n', true],
  ['exceptions:\n  - controls: ["*"]\n    reason: r\n    namespace: {a: b}\n', false],
  ['exceptions:\n  - controls: ["*"]\n    reason: r\n    team: x\n', false],
];

/** What the schema cannot express: whether a glob can match anything. [file text, why] */
const KNOWN_DIFFERENCES: readonly (readonly [string, string])[] = [
  ['exceptions:\n  - controls: ["*"]\n    reason: r\n    name: "[z-a]"\n', 'a character range that is empty is refused by the glob compiler'],
];

const dir = tempDir('config-schema');

function loaderAccepts(text: string, index: number): boolean {
  const path = join(dir, `case-${index}.yaml`);
  writeFileSync(path, text);
  try {
    loadConfigFile(path, new Set(CONTROL_IDS));
    return true;
  } catch (error) {
    if (error instanceof ConfigError) return false;
    throw error;
  }
}

/** The document as an editor's YAML language server sees it, through the loader's own parser. */
function schemaAccepts(text: string): boolean {
  const parsed = parseYaml(text);
  assert.ok(parsed.ok, `the case parses as YAML: ${text}`);
  // An empty file is an empty document: null.
  return schemaErrors('config', parsed.value ?? null).length === 0;
}

describe('the .kubeharden.yaml schema', () => {
  it('is the one the current catalog generates (run `npm run docs`)', () => {
    assert.equal(readFileSync(schemaPath('config'), 'utf8'), `${JSON.stringify(configSchema(CONTROL_IDS), null, 2)}\n`);
  });

  it('refuses exactly what the loader refuses', () => {
    const disagreements = CASES.flatMap(([text, valid], index) => {
      const loader = loaderAccepts(text, index);
      const schema = schemaAccepts(text);
      return loader === valid && schema === valid ? [] : [`${JSON.stringify(text)}: expected ${valid}, loader ${loader}, schema ${schema}`];
    });
    assert.deepEqual(disagreements, []);
    assert.equal(CASES.filter(([, valid]) => valid).length, 30);
    assert.equal(CASES.filter(([, valid]) => !valid).length, 37);
  });

  it('differs from the loader only where a glob cannot match', () => {
    for (const [index, [text, why]] of KNOWN_DIFFERENCES.entries()) {
      assert.equal(loaderAccepts(text, 1000 + index), false, why);
      assert.equal(schemaAccepts(text), true, why);
    }
  });

  it('lists every control id for editors to complete', () => {
    const schema = JSON.parse(readFileSync(schemaPath('config'), 'utf8')) as { properties: { exceptions: { anyOf: [{ items: { properties: { controls: { anyOf: [unknown, { items: { anyOf: [{ enum: string[] }] } }] } } } }] } } };
    const ids = schema.properties.exceptions.anyOf[0].items.properties.controls.anyOf[1].items.anyOf[0].enum;
    assert.deepEqual(ids, [...CONTROL_IDS, '*']);
    assert.equal(ids.length, CONTROLS.length + 1);
  });
});
