import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, findConfigFile, loadConfigFile } from '../../src/config/config-file.js';
import { tempDir } from '../support/temp-dir.js';

const KNOWN = new Set(['POD-READONLY-ROOTFS', 'RES-CPU-LIMIT']);

function configFile(text: string): string {
  const dir = tempDir('config');
  const path = join(dir, '.kubeharden.yaml');
  writeFileSync(path, text);
  return path;
}

function loadError(text: string): ConfigError {
  try {
    loadConfigFile(configFile(text), KNOWN);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error;
  }
  assert.fail('expected a configuration error');
}

describe('.kubeharden.yaml', () => {
  it('reads every setting and the exceptions', () => {
    const path = configFile(`# defaults for this repository
k8sVersion: "1.30"
framework: pss-restricted
failOn: medium
severity: [critical, high]
format: [table, sarif=out/k.sarif]
outputDir: reports
baseline: .kubeharden-baseline.json
policyreportApi: openreports.io/v1alpha1
podTemplatePath:
  argoproj.io/Rollout: spec.template
allowedRegistry: [registry.example.com, ghcr.io/acme]
dangerousCapability: NET_ADMIN,SYS_ADMIN
namespaceObjectsElsewhere: true
color: false
exceptions:
  - controls: [POD-READONLY-ROOTFS, RES-CPU-LIMIT]
    kind: Deployment
    namespace: [legacy-*, batch]
    name: "*"
    file: charts/**
    reason: legacy app writes to its root filesystem
    owner: team-legacy
    expires: 2027-03-31
  - controls: "*"
    reason: vendored chart
`);
    const config = loadConfigFile(path, KNOWN);
    assert.deepEqual(config.values, {
      k8sVersion: '1.30',
      framework: 'pss-restricted',
      failOn: 'medium',
      severity: ['critical', 'high'],
      format: ['table', 'sarif=out/k.sarif'],
      outputDir: 'reports',
      baseline: '.kubeharden-baseline.json',
      policyreportApi: 'openreports.io/v1alpha1',
      podTemplatePath: ['argoproj.io/Rollout=spec.template'],
      allowedRegistry: ['registry.example.com', 'ghcr.io/acme'],
      dangerousCapability: ['NET_ADMIN', 'SYS_ADMIN'],
      namespaceObjectsElsewhere: true,
      color: false,
    });
    assert.deepEqual(config.exceptions, [
      {
        controls: ['POD-READONLY-ROOTFS', 'RES-CPU-LIMIT'],
        kinds: ['Deployment'],
        namespaces: ['legacy-*', 'batch'],
        names: ['*'],
        files: ['charts/**'],
        reason: 'legacy app writes to its root filesystem',
        owner: 'team-legacy',
        expires: '2027-03-31',
        source: `${path}:17`,
      },
      { controls: ['*'], reason: 'vendored chart', source: `${path}:25` },
    ]);
  });

  it('an empty file is an empty configuration', () => {
    const config = loadConfigFile(configFile(''), KNOWN);
    assert.deepEqual(config.values, {});
    assert.deepEqual(config.exceptions, []);
  });

  it('exceptions: with no entries is no exceptions', () => {
    assert.deepEqual(loadConfigFile(configFile('exceptions:\n'), KNOWN).exceptions, []);
  });

  it('namespace: "" is a pattern (cluster-scoped resources only), not a missing one', () => {
    const config = loadConfigFile(configFile('exceptions:\n  - controls: [RES-CPU-LIMIT]\n    namespace: ""\n    name: ""\n    reason: x\n'), KNOWN);
    assert.deepEqual(config.exceptions[0]?.namespaces, ['']);
    assert.deepEqual(config.exceptions[0]?.names, ['']);
  });

  const errors: { name: string; text: string; line: number; message: RegExp }[] = [
    { name: 'unknown key', text: 'framework: nsa\nfailon: high\n', line: 2, message: /unknown key "failon"/ },
    { name: 'unknown exception key', text: 'exceptions:\n  - controls: [RES-CPU-LIMIT]\n    reason: x\n    namespaces: [a]\n', line: 4, message: /unknown exception key "namespaces"/ },
    { name: 'exception without reason', text: 'exceptions:\n  - controls: [RES-CPU-LIMIT]\n    owner: me\n', line: 2, message: /needs a reason/ },
    { name: 'empty reason', text: 'exceptions:\n  - controls: [RES-CPU-LIMIT]\n    reason: "  "\n', line: 3, message: /must not be empty/ },
    { name: 'exception without controls', text: 'exceptions:\n  - reason: x\n', line: 2, message: /needs controls/ },
    { name: 'unknown control', text: 'exceptions:\n  - controls: [RES-CPU-LIMT]\n    reason: x\n', line: 2, message: /unknown control RES-CPU-LIMT/ },
    { name: 'bad date', text: 'exceptions:\n  - controls: [RES-CPU-LIMIT]\n    reason: x\n    expires: 2027-02-30\n', line: 4, message: /YYYY-MM-DD/ },
    { name: 'version as a number', text: 'k8sVersion: 1.30\n', line: 1, message: /k8sVersion: "1\.30" \(YAML reads 1\.30 as the number 1\.3\)/ },
    { name: 'bad PolicyReport API', text: 'framework: nsa\npolicyreportApi: wgpolicyk8s.io/v1\n', line: 2, message: /"wgpolicyk8s.io\/v1" is not one of wgpolicyk8s.io\/v1alpha2, openreports.io\/v1alpha1/ },
    { name: 'bad framework', text: '\nframework: pci\n', line: 2, message: /"pci" is not one of nsa/ },
    { name: 'bad severity list item', text: 'severity:\n  - high\n  - urgent\n', line: 3, message: /"urgent" is not one of/ },
    { name: 'wrong type', text: 'namespaceObjectsElsewhere: "yes please"\n', line: 1, message: /expected true or false/ },
    { name: 'not a mapping', text: '- a\n- b\n', line: 1, message: /must be a mapping/ },
    { name: 'YAML syntax', text: 'framework: nsa\nfailOn: [high\n', line: 3, message: /YAML syntax error/ },
    // Keys are looked up among the settings' own names only, never Object.prototype's.
    ...['__proto__', 'hasOwnProperty', 'valueOf', 'constructor', 'toString', 'isPrototypeOf'].flatMap((key) => [
      { name: `top-level key ${key}`, text: `framework: nsa\n${key}: x\n`, line: 2, message: new RegExp(`unknown key "${key}"`) },
      { name: `exception key ${key}`, text: `exceptions:\n  - controls: [RES-CPU-LIMIT]\n    reason: x\n    ${key}: {}\n`, line: 4, message: new RegExp(`unknown exception key "${key}"`) },
    ]),
    { name: 'reversed range in a name glob', text: 'exceptions:\n  - controls: [RES-CPU-LIMIT]\n    reason: x\n    name: "[z-a]*"\n', line: 4, message: /invalid glob "\[z-a\]\*": the range z-a is reversed/ },
    { name: 'reversed range in a list of file globs', text: 'exceptions:\n  - controls: [RES-CPU-LIMIT]\n    reason: x\n    file:\n      - ok/*.yaml\n      - "[9-0].yaml"\n', line: 6, message: /range 9-0 is reversed/ },
    { name: 'trailing backslash in a namespace glob', text: 'exceptions:\n  - controls: [RES-CPU-LIMIT]\n    reason: x\n    namespace: "team\\\\"\n', line: 4, message: /trailing \\ escapes nothing/ },
  ];
  for (const { name, text, line, message } of errors) {
    it(`error with file and line: ${name}`, () => {
      const error = loadError(text);
      assert.match(error.reason, message);
      assert.equal(error.line, line, error.message);
      assert.match(error.message, /\.kubeharden\.yaml:\d+:\d+: /);
    });
  }
});

describe('finding the configuration file', () => {
  it('searches upward and stops at the repository root', () => {
    const root = tempDir('find');
    const repo = join(root, 'repo');
    const deep = join(repo, 'apps', 'shop');
    mkdirSync(deep, { recursive: true });
    mkdirSync(join(repo, '.git'));
    writeFileSync(join(root, '.kubeharden.yaml'), 'framework: nsa\n');
    assert.equal(findConfigFile(deep), undefined, 'a file above the repository root is not ours');
    writeFileSync(join(repo, '.kubeharden.yml'), 'framework: nsa\n');
    assert.equal(findConfigFile(deep), join(repo, '.kubeharden.yml'));
    writeFileSync(join(repo, 'apps', '.kubeharden.yaml'), 'framework: nsa\n');
    assert.equal(findConfigFile(deep), join(repo, 'apps', '.kubeharden.yaml'), 'the nearest wins');
  });
});
