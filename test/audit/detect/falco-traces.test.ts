/**
 * Falco's k8s_audit trace files with the detections Falco's own test suite expects of them
 * (falco_k8s_audit_tests.yaml). Every case is either claimed, and then our covering rule must agree with Falco's
 * exactly (fire as often for "detect: True", stay silent for "detect: False"), or listed in UNCLAIMED with the reason.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { createDetector, type RuleHit } from '../../../src/audit/detect/engine.js';
import { DEFAULT_DETECTION_SETTINGS } from '../../../src/audit/detect/rule.js';
import { DETECTION_RULES } from '../../../src/audit/detect/rules/index.js';
import type { AuditEvent, LoggedEvent } from '../../../src/audit/event.js';
import { needsShared, sharedPath, SHARED_PRESENT } from '../../support/paths.js';

interface FalcoCase {
  readonly detect: boolean;
  readonly detect_counts?: readonly Record<string, number>[];
  readonly addl_cmdline_opts?: string;
}

const ALLOW_LIST = 'needs a rules file written for the test cluster';
const ACTIVITY = "Falco's informational activity log (K8s <kind> Created/Deleted, INFO): a record of changes, not a threat";

/**
 * Every case we do not claim, and why. The test fails when this list and the suite drift apart. (The trusted-image
 * cases whose pod is harmless anyway, create_unprivileged_trusted_pod and its like, are claimed: Falco stays silent
 * with or without the trust list, and so must we.)
 */
const UNCLAIMED: Readonly<Record<string, string>> = {
  compat_engine_v4_create_disallowed_pod: `"Create Disallowed Pod" is off by default; ${ALLOW_LIST} (allow_only_apache_container.yaml)`,
  compat_engine_v4_create_allowed_pod: `"Create Disallowed Pod" is off by default; ${ALLOW_LIST} (allow_nginx_container.yaml)`,
  compat_engine_v4_create_privileged_trusted_pod: `${ALLOW_LIST}: trust_nginx_container.yaml trusts the privileged image`,
  compat_engine_v4_create_hostnetwork_trusted_pod: `${ALLOW_LIST}: trust_nginx_container.yaml trusts the hostNetwork image`,
  create_disallowed_pod: `"Create Disallowed Pod" is off by default; ${ALLOW_LIST} (allow_only_apache_container.yaml)`,
  create_allowed_pod: `"Create Disallowed Pod" is off by default; ${ALLOW_LIST} (allow_nginx_container.yaml)`,
  create_privileged_trusted_pod: `${ALLOW_LIST}: trust_nginx_container.yaml trusts the privileged image`,
  create_sensitive_mount_trusted_pod: `${ALLOW_LIST}: trust_nginx_container.yaml trusts the mounting image`,
  create_hostnetwork_trusted_pod: `${ALLOW_LIST}: trust_nginx_container.yaml trusts the hostNetwork image`,
  user_outside_allowed_set: `"Disallowed K8s User" judges every request against a list of the cluster's users; ${ALLOW_LIST}`,
  user_in_allowed_set: `"Disallowed K8s User" judges every request against a list of the cluster's users; ${ALLOW_LIST} (allow_user_some-user.yaml)`,
  namespace_outside_allowed_set: `"Create Disallowed Namespace" judges namespaces against a list; ${ALLOW_LIST}`,
  namespace_in_allowed_set: `"Create Disallowed Namespace" judges namespaces against a list; ${ALLOW_LIST} (allow_namespace_foo.yaml)`,
  json_pointer_correct_parse: "tests a feature of Falco's rule language (JSON pointers) with a rule written for the test",
  create_deployment: ACTIVITY,
  delete_deployment: ACTIVITY,
  create_service: ACTIVITY,
  delete_service: ACTIVITY,
  create_configmap: ACTIVITY,
  delete_configmap: ACTIVITY,
  create_namespace: ACTIVITY,
  delete_namespace: ACTIVITY,
  create_serviceaccount: ACTIVITY,
  delete_serviceaccount: ACTIVITY,
  create_clusterrole: ACTIVITY,
  delete_clusterrole: ACTIVITY,
  create_clusterrolebinding: ACTIVITY,
  delete_clusterrolebinding: ACTIVITY,
  create_secret: ACTIVITY,
  delete_secret: ACTIVITY,
};

const TRACES = ['corpus', 'audit', 'falco-k8s-audit-traces'];

/** Falco's `!mux` tag marks a mapping whose entries are alternative test cases; to us it is a plain mapping. */
const FALCO_TEST_SCHEMA = yaml.DEFAULT_SCHEMA.extend([new yaml.Type('!mux', { kind: 'mapping', construct: (data: unknown) => data ?? {} })]);

function loadCases(): [string, FalcoCase][] {
  if (!SHARED_PRESENT) return [];
  const text = readFileSync(sharedPath(...TRACES, 'falco_k8s_audit_tests.yaml'), 'utf8');
  return Object.entries((yaml.load(text, { schema: FALCO_TEST_SCHEMA }) as { trace_files: Record<string, FalcoCase> }).trace_files);
}

/**
 * The events of a trace file: one JSON object (possibly pretty-printed) or one per line. Objects that are not
 * audit Events (Falco's fuzzing case `{"kind": 0}`) are counted as rejected, as the real reader does.
 */
function readTrace(file: string): { events: LoggedEvent[]; rejected: number } {
  const path = sharedPath(...TRACES, file);
  const text = readFileSync(path, 'utf8');
  const documents: { value: unknown; line: number; bytes: number }[] = [];
  try {
    documents.push({ value: JSON.parse(text), line: 1, bytes: Buffer.byteLength(text) });
  } catch {
    text.split('\n').forEach((line, index) => {
      if (line.trim() !== '') documents.push({ value: JSON.parse(line), line: index + 1, bytes: Buffer.byteLength(line) + 1 });
    });
  }
  const events: LoggedEvent[] = [];
  let rejected = 0;
  for (const { value, line, bytes } of documents) {
    const event = value as AuditEvent;
    if (typeof value === 'object' && value !== null && event.kind === 'Event') events.push({ event, file: path, line, bytes });
    else rejected++;
  }
  return { events, rejected };
}

function detect(events: readonly LoggedEvent[]): RuleHit[] {
  const hits: RuleHit[] = [];
  const detector = createDetector(DETECTION_RULES, DEFAULT_DETECTION_SETTINGS, (hit) => hits.push(hit));
  for (const logged of events) detector.event(logged);
  detector.end();
  return hits;
}

/** Falco rule name → the id of our rule that covers it. */
const coveredBy = new Map<string, string>();
for (const rule of DETECTION_RULES) for (const name of rule.meta.covers.falco ?? []) coveredBy.set(name, rule.meta.id);
const coveringIds = new Set(coveredBy.values());

describe("Falco's k8s_audit traces", { skip: needsShared }, () => {
  const cases = loadCases();
  const claimed = cases.filter(([name]) => !(name in UNCLAIMED));

  it('every case is claimed or listed as unclaimed with a reason', () => {
    assert.equal(cases.length, 66);
    for (const name of Object.keys(UNCLAIMED)) assert.ok(cases.some(([candidate]) => candidate === name), `${name} is not a case of the suite`);
    assert.equal(claimed.length, cases.length - Object.keys(UNCLAIMED).length);
    // What we claim must be about rules we cover: a claimed case naming a Falco rule no rule of ours covers is a mistake.
    for (const [name, entry] of claimed) {
      for (const counts of entry.detect_counts ?? []) for (const falcoRule of Object.keys(counts)) assert.ok(coveredBy.has(falcoRule), `${name}: no rule covers "${falcoRule}"`);
    }
  });

  for (const [name, entry] of claimed) {
    const trace = /trace_files\/k8s_audit\/(\S+)/.exec(entry.addl_cmdline_opts ?? '')?.[1];
    const expected: Record<string, number> = Object.assign({}, ...(entry.detect_counts ?? []));
    const title = entry.detect ? Object.entries(expected).map(([rule, count]) => `${rule} × ${count}`).join(', ') : 'no detection';
    it(`${name}: ${title} (${trace})`, () => {
      assert.ok(trace, 'the case names its trace file');
      const { events, rejected } = readTrace(trace);
      const hits = detect(events);
      if (trace === 'fal_01_003.json') {
        // Falco's fuzzing case, {"kind": 0}: not an audit event. Falco reports it and carries on; so do we.
        assert.equal(rejected, 1);
        assert.equal(events.length, 0);
      } else assert.equal(rejected, 0);
      const fired = (id: string) => hits.filter((hit) => hit.rule.meta.id === id).length;
      if (entry.detect) {
        for (const [falcoRule, count] of Object.entries(expected)) {
          const ours = coveredBy.get(falcoRule) as string;
          assert.equal(fired(ours), count, `${ours} (covering "${falcoRule}"): ${JSON.stringify(hits.map((hit) => hit.message))}`);
        }
      } else {
        // Falco's whole default rule set stayed silent: so must every rule of ours that covers one of its rules.
        const noisy = hits.filter((hit) => coveringIds.has(hit.rule.meta.id)).map((hit) => `${hit.rule.meta.id}: ${hit.message}`);
        assert.deepEqual(noisy, []);
      }
    });
  }
});
