/**
 * Kubescape regolibrary NSA-framework cases run through the corresponding kubeharden controls: the set of
 * resources that fail must be the same, except for the documented intended differences, each of which must still
 * differ in the recorded way. The counts are exact, so one lost agreement (or one case fewer) fails.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kubescapeCases } from '../support/kubescape.js';
import { assertDocumentedFigures } from '../support/peer-figures.js';
import { needsShared } from '../support/paths.js';
import { scanAll } from '../support/scan-text.js';
import { KUBESCAPE_INTENDED_DIFFERENCES } from './kubescape-differences.js';

/** Measured on the cases in ../shared; docs/peer-differences.md and the README quote them. */
const EXPECTED_COMPARED = 109;
const EXPECTED_AGREED = 103;

/** Kubescape rule folder → the kubeharden controls (and, where a control is broader, the fields) that match it. */
const RULE_TO_CONTROLS: Record<string, { controls: string[]; fields?: RegExp }> = {
  'rule-allow-privilege-escalation': { controls: ['POD-NO-PRIV-ESCALATION'] },
  'immutable-container-filesystem': { controls: ['POD-READONLY-ROOTFS'] },
  'ingress-and-egress-blocked': { controls: ['NET-WORKLOAD-ISOLATED'] },
  'internal-networking': { controls: ['NET-DEFAULT-DENY-INGRESS'] },
  'automount-service-account': { controls: ['POD-SA-TOKEN-NOT-AUTOMOUNTED'] },
  'host-pid-ipc-privileges': { controls: ['POD-NO-HOST-NAMESPACES'], fields: /host(PID|IPC)$/ },
  'host-network-access': { controls: ['POD-NO-HOST-NAMESPACES'], fields: /hostNetwork$/ },
  'container-hostPort': { controls: ['POD-NO-HOST-PORTS'] },
  'insecure-capabilities': { controls: ['POD-NO-DANGEROUS-CAPS'] },
  'linux-hardening': { controls: ['POD-SECCOMP-REQUIRED'] },
  'rule-privileged-container': { controls: ['POD-NO-PRIVILEGED', 'POD-NO-DANGEROUS-CAPS'] },
  'resources-cpu-limits': { controls: ['RES-CPU-LIMIT'] },
  'resources-memory-limits': { controls: ['RES-MEMORY-LIMIT'] },
  'rule-credentials-in-env-var': { controls: ['SEC-NO-CREDENTIALS-IN-ENV', 'SEC-SECRETS-AS-FILES'], fields: /\.value$|envFrom\[\d+\]\.secretRef$/ },
  'rule-credentials-configmap': { controls: ['SEC-NO-CREDENTIALS-IN-CONFIGMAP'] },
  'non-root-containers': { controls: ['POD-RUN-AS-NON-ROOT', 'POD-NON-ROOT-GROUPS'] },
};

describe('Kubescape NSA framework agreement', { skip: needsShared }, () => {
  const outcomes: { id: string; agree: boolean; detail: string }[] = [];

  for (const [rule, mapping] of Object.entries(RULE_TO_CONTROLS)) {
    const cases = kubescapeCases(rule);
    it(`${rule} → ${mapping.controls.join(' + ')} (${cases.length} cases)`, async () => {
      assert.ok(cases.length > 0, `no cases for ${rule}`);
      for (const testCase of cases) {
        const result = await scanAll(testCase.inputs.join('\n---\n'));
        assert.deepEqual(result.errors, [], `${rule}/${testCase.name}: inputs must load`);
        const failing = new Set(
          result.findings
            .filter((f) => mapping.controls.includes(f.controlId) && (!mapping.fields || mapping.fields.test(f.field)))
            .map((f) => `${f.resource.kind}/${f.resource.name}`),
        );
        const agree = failing.size === testCase.expectedFailing.size && [...failing].every((id) => testCase.expectedFailing.has(id));
        const id = `${rule}/${testCase.name}`;
        outcomes.push({ id, agree, detail: `kubeharden fails [${[...failing].join(', ')}], Kubescape [${[...testCase.expectedFailing].join(', ')}]` });
        const difference = KUBESCAPE_INTENDED_DIFFERENCES[id];
        if (difference) {
          assert.ok(!agree, `${id} now agrees with Kubescape: remove it from the intended differences`);
          assert.deepEqual(
            { kubeharden: [...failing].sort(), kubescape: [...testCase.expectedFailing].sort() },
            { kubeharden: [...difference.kubeharden].sort(), kubescape: [...difference.kubescape].sort() },
            `${id} differs from Kubescape in another way than recorded`,
          );
        } else {
          assert.ok(agree, `${id}: ${outcomes.at(-1)?.detail}`);
        }
      }
    });
  }

  it(`compares exactly ${EXPECTED_COMPARED} cases, of which ${EXPECTED_AGREED} agree, and lists only intended differences that exist`, () => {
    const ids = new Set(outcomes.map((outcome) => outcome.id));
    for (const id of Object.keys(KUBESCAPE_INTENDED_DIFFERENCES)) assert.ok(ids.has(id), `${id} is not a case`);
    assert.equal(outcomes.length, EXPECTED_COMPARED, 'cases compared');
    assert.equal(outcomes.filter((outcome) => outcome.agree).length, EXPECTED_AGREED, 'cases that agree');
    assert.equal(Object.keys(KUBESCAPE_INTENDED_DIFFERENCES).length, EXPECTED_COMPARED - EXPECTED_AGREED, 'documented differences');
  });

  it('the documentation quotes the measured figures', () => {
    assertDocumentedFigures('Kubescape', { compared: EXPECTED_COMPARED, agreed: EXPECTED_AGREED });
  });
});
