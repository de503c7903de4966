/**
 * Falco's k8s_audit trace files with the detections Falco's own test suite expects of them
 * (falco_k8s_audit_tests.yaml): for every case whose Falco rule one of ours covers, our rule fires exactly as often;
 * for the "detect: False" cases, none of ours does. Cases we do not claim are listed with the reason.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { createDetector, type RuleHit } from '../../../src/audit/detect/engine.js';
import { DEFAULT_DETECTION_SETTINGS } from '../../../src/audit/detect/rule.js';
import { DETECTION_RULES } from '../../../src/audit/detect/rules/index.js';
import { readAuditEvents } from '../../../src/audit/log/read-events.js';
import type { InputError } from '../../../src/loader/source.js';
import { needsShared, sharedPath, SHARED_PRESENT } from '../../support/paths.js';

interface FalcoCase {
  readonly detect: boolean;
  readonly detect_counts?: Record<string, number>[];
  readonly rules_file?: string[];
  readonly addl_cmdline_opts?: string;
}

/** Cases we do not claim, and why. */
const UNCLAIMED: Readonly<Record<string, string>> = {
  compat_engine_v4_create_disallowed_pod: 'needs a user-written image allow list (allow_only_apache_container.yaml)',
  compat_engine_v4_create_allowed_pod: 'needs a user-written image allow list (allow_nginx_container.yaml)',
  compat_engine_v4_create_privileged_trusted_pod: 'needs a user-written trusted-image list (trust_nginx_container.yaml)',
  compat_engine_v4_create_hostnetwork_trusted_pod: 'needs a user-written trusted-image list (trust_nginx_container.yaml)',
  create_disallowed_pod: 'needs a user-written image allow list (allow_only_apache_container.yaml)',
  create_allowed_pod: 'needs a user-written image allow list (allow_nginx_container.yaml)',
  create_privileged_trusted_pod: 'needs a user-written trusted-image list (trust_nginx_container.yaml)',
  create_unprivileged_trusted_pod: 'needs a user-written trusted-image list (trust_nginx_container.yaml)',
  create_sensitive_mount_trusted_pod: 'needs a user-written trusted-image list (trust_nginx_container.yaml)',
  create_unsensitive_mount_trusted_pod: 'needs a user-written trusted-image list (trust_nginx_container.yaml)',
  create_hostnetwork_trusted_pod: 'needs a user-written trusted-image list (trust_nginx_container.yaml)',
  create_nohostnetwork_trusted_pod: 'needs a user-written trusted-image list (trust_nginx_container.yaml)',
  user_outside_allowed_set: '"Disallowed K8s User" needs a list of allowed users written for the cluster',
  user_in_allowed_set: '"Disallowed K8s User" needs a list of allowed users written for the cluster',
  namespace_outside_allowed_set: '"Create Disallowed Namespace" needs a list of allowed namespaces written for the cluster',
  namespace_in_allowed_set: '"Create Disallowed Namespace" needs a list of allowed namespaces written for the cluster',
  json_pointer_correct_parse: 'tests a Falco rule-language feature (JSON pointers) with a custom rule',
};

/** Falco's informational "K8s <kind> Created/Deleted" activity rules: an activity log, not threats; not claimed. */
const ACTIVITY_RULE = /^K8s (Deployment|Service|ConfigMap|Namespace|Serviceaccount|Role\/Clusterrole|Role\/Clusterrolebinding|Secret) (Created|Deleted)$/;

/** Falco's mux tag just marks a mapping of cases. */
const schema = yaml.DEFAULT_SCHEMA.extend([new yaml.Type('!mux', { kind: 'mapping', construct: (data: unknown) => data })]);

function loadCases(): [string, FalcoCase][] {
  if (!SHARED_PRESENT) return [];
  const text = readFileSync(sharedPath('corpus', 'audit', 'falco-k8s-audit-traces', 'falco_k8s_audit_tests.yaml'), 'utf8');
  return Object.entries((yaml.load(text, { schema }) as { trace_files: Record<string, FalcoCase> }).trace_files);
}

async function detect(trace: string): Promise<{ hits: RuleHit[]; errors: InputError[] }> {
  const hits: RuleHit[] = [];
  const errors: InputError[] = [];
  const detector = createDetector(DETECTION_RULES, DEFAULT_DETECTION_SETTINGS, (hit) => hits.push(hit));
  for await (const logged of readAuditEvents(sharedPath('corpus', 'audit', 'falco-k8s-audit-traces', trace), errors)) detector.event(logged);
  detector.end();
  return { hits, errors };
}

const coveredBy = new Map<string, string>();
for (const rule of DETECTION_RULES) for (const name of rule.meta.covers.falco ?? []) coveredBy.set(name, rule.meta.id);

describe("Falco's k8s_audit traces", { skip: needsShared }, () => {
  const cases = loadCases();
  let claimed = 0;
  for (const [name, entry] of cases) {
    const trace = /k8s_audit\/(\S+)/.exec(entry.addl_cmdline_opts ?? '')?.[1];
    const expected = Object.assign({}, ...(entry.detect_counts ?? [])) as Record<string, number>;
    const falcoRules = Object.keys(expected);
    const unclaimed = UNCLAIMED[name] ?? (falcoRules.length > 0 && falcoRules.every((rule) => ACTIVITY_RULE.test(rule)) ? 'an informational activity rule (K8s … Created/Deleted), not a threat' : undefined);
    if (unclaimed || !trace) continue;
    claimed++;
    it(`${name}: ${entry.detect ? falcoRules.map((rule) => `${rule} × ${expected[rule]}`).join(', ') : 'no detection'} (${trace})`, async () => {
      const { hits, errors } = await detect(trace);
      if (trace === 'fal_01_003.json') {
        // A fuzzing case: {"kind": 0}. Falco must not crash; neither do we: it is an input error, not an event.
        assert.equal(errors.length, 1);
      } else assert.deepEqual(errors, []);
      if (!entry.detect) {
        assert.deepEqual(hits.map((hit) => hit.rule.meta.id), []);
        return;
      }
      for (const falcoRule of falcoRules) {
        const ours = coveredBy.get(falcoRule);
        assert.ok(ours, `no rule of ours covers "${falcoRule}": claim it or list the case as unclaimed`);
        assert.equal(hits.filter((hit) => hit.rule.meta.id === ours).length, expected[falcoRule], `${ours} for "${falcoRule}"`);
      }
    });
  }
  it('claims the cases it can judge without a cluster-specific allow list', () => {
    assert.equal(cases.length, 66);
    assert.ok(claimed >= 30, `claimed ${claimed}`);
    for (const name of Object.keys(UNCLAIMED)) assert.ok(cases.some(([candidate]) => candidate === name), `${name} is a case of the suite`);
  });
});
