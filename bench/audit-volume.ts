/**
 * The audit volume pass of `npm run bench`: the fixed request mix of test/support/audit-traffic.ts against a real
 * kube-apiserver, once per policy (NSA/CISA Appendix L, the Kubernetes website example, kubeharden's recommended
 * one). Prints what the API server wrote, whether Secret data reached the log, the detections that fire, and how
 * `audit estimate` (replaying the Appendix L log) compares with what was written. docs/audit.md quotes the figures.
 *
 *   npm run bench -- --audit-volume-only
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { VolumeEstimator } from '../src/audit/estimate/estimate.js';
import { readAuditEvents } from '../src/audit/log/read-events.js';
import { parseAuditPolicies } from '../src/audit/policy/load.js';
import { RECOMMENDED_POLICY_YAML } from '../src/audit/policy/recommended.js';
import type { AuditPolicy } from '../src/audit/policy/types.js';
import type { InputError } from '../src/loader/source.js';
import { detectionCounts, measurePolicy, SECRET_VALUE } from '../test/support/audit-traffic.js';

export async function benchAuditVolume(sharedRoot: string): Promise<void> {
  const policies = [
    { name: 'NSA/CISA Appendix L', yaml: readFileSync(resolve(sharedRoot, 'corpus', 'audit-policies', 'nsa-cisa-hardening-guide-appendix-l-policy.yaml'), 'utf8') },
    { name: 'kubernetes.io example', yaml: readFileSync(resolve(sharedRoot, 'corpus', 'audit-policies', 'kubernetes-website-example-audit-policy.yaml'), 'utf8') },
    { name: 'kubeharden recommended', yaml: RECOMMENDED_POLICY_YAML },
  ];
  const dir = mkdtempSync(join(tmpdir(), 'kubeharden-audit-volume-'));
  const secret = Buffer.from(SECRET_VALUE).toString('base64').slice(0, 24);
  const rows: { name: string; bytes: number; events: number; secrets: boolean; detections: Map<string, number>; log: string }[] = [];
  console.log('\naudit volume · the same request mix against a real kube-apiserver per policy');
  for (const policy of policies) {
    const measured = await measurePolicy(policy.yaml);
    if ('skip' in measured) {
      console.log(`skipped: ${measured.skip}`);
      return;
    }
    const path = join(dir, `${rows.length}.log`);
    writeFileSync(path, measured.log);
    const { counts: detections } = await detectionCounts(path);
    rows.push({ name: policy.name, bytes: measured.volume.bytes, events: measured.volume.events, secrets: measured.log.includes(secret), detections, log: path });
    if (rows.length === 1) console.log(`requests: ${measured.traffic.requests} (${JSON.stringify(measured.traffic.byStatus)})`);
  }
  const base = rows[0] as (typeof rows)[number];
  console.log('policy                    bytes written  events  vs Appendix L  secret data in log  detections (distinct rules / findings)');
  for (const row of rows) {
    const findings = [...row.detections.values()].reduce((sum, count) => sum + count, 0);
    console.log(
      `${row.name.padEnd(24)}  ${String(row.bytes).padStart(13)}  ${String(row.events).padStart(6)}  ${`${((row.bytes / base.bytes) * 100).toFixed(1)}%`.padStart(13)}  ${(row.secrets ? 'yes' : 'no').padStart(18)}  ${row.detections.size} / ${findings}`,
    );
  }
  for (const row of rows.slice(1)) {
    const lost = [...base.detections.keys()].filter((id) => !row.detections.has(id));
    console.log(`${row.name}: detections lost against Appendix L: ${lost.length === 0 ? 'none' : lost.join(', ')}`);
  }
  // audit estimate: replay the Appendix L log under each policy and compare with what the API server wrote.
  const errors: InputError[] = [];
  const parsed = policies.map((policy) => parseAuditPolicies(policy.name, Buffer.from(policy.yaml), errors)[0] as AuditPolicy);
  const estimator = new VolumeEstimator(parsed);
  for await (const logged of readAuditEvents(base.log, errors)) estimator.add(logged);
  const estimate = estimator.finish();
  console.log('audit estimate from the Appendix L log   estimated bytes  written bytes  error');
  for (const [index, row] of rows.entries()) {
    const estimated = estimate.policies[index]?.bytes ?? 0;
    console.log(`${row.name.padEnd(39)}  ${String(estimated).padStart(15)}  ${String(row.bytes).padStart(13)}  ${(((estimated - row.bytes) / row.bytes) * 100).toFixed(1)}%`);
  }
}
