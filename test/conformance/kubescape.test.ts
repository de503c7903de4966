/**
 * Kubescape regolibrary NSA-framework cases run through the corresponding kubeharden controls: the set of
 * resources that fail must be the same, except for the documented intended differences.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kubescapeCases } from '../support/kubescape.js';
import { needsShared } from '../support/paths.js';
import { scanAll } from '../support/scan-text.js';
import { KUBESCAPE_INTENDED_DIFFERENCES } from './kubescape-differences.js';

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
        if (id in KUBESCAPE_INTENDED_DIFFERENCES) {
          assert.ok(!agree, `${id} now agrees with Kubescape: remove it from the intended differences`);
        } else {
          assert.ok(agree, `${id}: ${outcomes.at(-1)?.detail}`);
        }
      }
    });
  }

  it('lists only intended differences that exist, and agrees on every other case', () => {
    const ids = new Set(outcomes.map((outcome) => outcome.id));
    for (const id of Object.keys(KUBESCAPE_INTENDED_DIFFERENCES)) assert.ok(ids.has(id), `${id} is not a case`);
    const agreeing = outcomes.filter((outcome) => outcome.agree).length;
    assert.equal(agreeing + Object.keys(KUBESCAPE_INTENDED_DIFFERENCES).length, outcomes.length);
    assert.ok(outcomes.length >= 100, `${outcomes.length} cases compared`);
  });
});
