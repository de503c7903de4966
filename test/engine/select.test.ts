import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTROLS } from '../../src/controls/index.js';
import { selectControls } from '../../src/engine/select.js';
import { clampVersion, parseKubeVersion } from '../../src/kube/version.js';
import { scanText } from '../support/scan-text.js';

const ids = (framework: Parameters<typeof selectControls>[1], version: string) =>
  selectControls(CONTROLS, framework, parseKubeVersion(version)).active.map((control) => control.meta.id);

describe('parseKubeVersion', () => {
  const valid: [string, number][] = [['1.29', 29], ['v1.29', 29], ['1.29.3', 29], ['v1.30.2-gke.1000', 30], ['1.0', 0], ['latest', 37], ['1.45', 37]];
  for (const [text, minor] of valid) it(`reads "${text}" as 1.${minor}`, () => assert.equal(parseKubeVersion(text).minor, minor));
  for (const text of ['', '2.1', '1', 'v1.', 'one.two', '1.29x']) {
    it(`rejects "${text}"`, () => assert.throws(() => parseKubeVersion(text), /invalid Kubernetes version/));
  }
  it('clamps to the newest known version', () => assert.equal(clampVersion({ minor: 99 }).minor, 37));
});

describe('selectControls', () => {
  it('pss-baseline has the 12 baseline checks at the newest version', () => {
    assert.equal(ids('pss-baseline', '1.37').length, 12);
  });

  it('drops checks that do not exist yet at older versions', () => {
    assert.ok(!ids('pss-baseline', '1.33').includes('POD-NO-HOST-PROBES'));
    assert.ok(ids('pss-baseline', '1.34').includes('POD-NO-HOST-PROBES'));
    assert.ok(!ids('pss-restricted', '1.22').includes('POD-RUN-AS-USER-NOT-ZERO'));
    assert.ok(!ids('pss-restricted', '1.7').includes('POD-NO-PRIV-ESCALATION'));
  });

  it('applies PSA overrides at restricted exactly from their versions', () => {
    const at = (version: string) => ids('pss-restricted', version);
    assert.ok(at('1.21').includes('POD-CAPS-BASELINE') && !at('1.21').includes('POD-CAPS-DROP-ALL'));
    assert.ok(!at('1.22').includes('POD-CAPS-BASELINE') && at('1.22').includes('POD-CAPS-DROP-ALL'));
    assert.ok(at('1.18').includes('POD-SECCOMP-NOT-UNCONFINED') && !at('1.19').includes('POD-SECCOMP-NOT-UNCONFINED'));
    assert.ok(at('1.34').includes('POD-PROCMOUNT-DEFAULT') && !at('1.35').includes('POD-PROCMOUNT-DEFAULT'));
    assert.ok(!at('1.0').includes('POD-NO-HOSTPATH'));
  });

  it('keeps both controls outside PSS but reports a shared field once, from the more specific control', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  volumes:\n  - name: h\n    hostPath:\n      path: /\n  containers:\n  - name: c\n    image: x\n    securityContext:\n      capabilities:\n        add: [SYS_ADMIN]\n';
    const findings = scanText(pod, { framework: 'nsa' }).findings.map((f) => `${f.controlId} ${f.field}`);
    assert.ok(findings.includes('POD-NO-HOSTPATH spec.volumes[0].hostPath'));
    assert.ok(!findings.includes('POD-RESTRICTED-VOLUMES spec.volumes[0].hostPath'));
    assert.ok(findings.includes('POD-CAPS-BASELINE spec.containers[0].securityContext.capabilities.add[0]'));
    assert.ok(!findings.includes('POD-CAPS-DROP-ALL spec.containers[0].securityContext.capabilities.add[0]'));
    assert.ok(findings.includes('POD-CAPS-DROP-ALL spec.containers[0].securityContext.capabilities.drop'));
  });
});

describe('selectControls, once per process and options', () => {
  const version = parseKubeVersion('1.37');
  it('gives the same selection for the same options, so the engine reuses what it built from the list', () => {
    const first = selectControls(CONTROLS, 'nsa', version);
    assert.equal(selectControls(CONTROLS, 'nsa', { minor: 37 }, { settings: { allowedRegistries: [], dangerousCapabilities: undefined } }), first);
    assert.equal(selectControls(CONTROLS, 'nsa', version, { excluded: new Map() }), selectControls(CONTROLS, 'nsa', version, { excluded: new Map() }));
  });

  it('makes a new one when any option differs, with what that option changes', () => {
    const plain = selectControls(CONTROLS, 'all', version);
    const options: Parameters<typeof selectControls>[3][] = [
      { namespaceObjectsElsewhere: true },
      { settings: { allowedRegistries: ['registry.example.com'], dangerousCapabilities: undefined } },
      { components: true },
      { components: true, onlyComponents: ['kubelet'] },
      { excluded: new Map([['NET-WORKLOAD-ISOLATED', 'not listed']]) },
    ];
    const selections = options.map((option) => selectControls(CONTROLS, 'all', version, option));
    for (const selection of selections) assert.notEqual(selection, plain);
    assert.equal(new Set(selections).size, options.length);
    assert.notEqual(selectControls(CONTROLS, 'all', { minor: 20 }), plain);
    assert.notEqual(selectControls(CONTROLS, 'nsa', version), plain);
    const excluded = selections[4]?.skipped.find(({ control }) => control.meta.id === 'NET-WORKLOAD-ISOLATED');
    assert.equal(excluded?.reason, 'not listed');
    assert.equal(selectControls(CONTROLS, 'all', version, { excluded: new Map([['NET-WORKLOAD-ISOLATED', 'other']]) }).skipped.find(({ control }) => control.meta.id === 'NET-WORKLOAD-ISOLATED')?.reason, 'other');
  });
});
