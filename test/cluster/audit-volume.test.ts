/**
 * The audit volume comparison, for real: the same request mix against a real kube-apiserver, once with the
 * NSA/CISA Appendix L policy and once with `kubeharden audit recommend`'s. Compares the bytes the API server
 * wrote, whether Secret data reached the log, which detections fire on each log, and how close `audit estimate`
 * (replaying the Appendix L log under the recommended policy) comes to what the API server actually wrote.
 * `npm run bench` prints the same figures for docs/audit.md.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { VolumeEstimator } from '../../src/audit/estimate/estimate.js';
import { readAuditEvents } from '../../src/audit/log/read-events.js';
import { parseAuditPolicies } from '../../src/audit/policy/load.js';
import { RECOMMENDED_POLICY_YAML } from '../../src/audit/policy/recommended.js';
import type { AuditPolicy } from '../../src/audit/policy/types.js';
import type { InputError } from '../../src/loader/source.js';
import { detectionCounts, measurePolicy, SECRET_VALUE, type PolicyMeasurement } from '../support/audit-traffic.js';
import { needsShared, sharedPath } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';

const SECRET_BASE64_PREFIX = Buffer.from(SECRET_VALUE).toString('base64').slice(0, 24);

async function detections(log: string, dir: string, name: string): Promise<Map<string, number>> {
  const path = join(dir, name);
  writeFileSync(path, log);
  const { counts, errors } = await detectionCounts(path);
  assert.deepEqual(errors, []);
  return counts;
}

describe('audit volume: Appendix L against the recommended policy on a real API server', { skip: needsShared, timeout: 300_000 }, () => {
  let appendixL: PolicyMeasurement | undefined;
  let recommended: PolicyMeasurement | undefined;
  let skip: string | undefined;
  const dir = tempDir('audit-volume');

  before(async () => {
    const appendixLYaml = readFileSync(sharedPath('corpus', 'audit-policies', 'nsa-cisa-hardening-guide-appendix-l-policy.yaml'), 'utf8');
    const first = await measurePolicy(appendixLYaml);
    if ('skip' in first) {
      skip = first.skip;
      return;
    }
    appendixL = first;
    const second = await measurePolicy(RECOMMENDED_POLICY_YAML);
    if ('skip' in second) skip = second.skip;
    else recommended = second;
  });

  it('both runs served the same requests the same way', (t) => {
    if (skip || !appendixL || !recommended) return t.skip(skip);
    assert.deepEqual(recommended.traffic, appendixL.traffic);
    assert.ok(appendixL.traffic.requests > 500);
  });

  it('the recommended policy writes less than a fifth of the bytes, and one event per request', (t) => {
    if (skip || !appendixL || !recommended) return t.skip(skip);
    const ratio = recommended.volume.bytes / appendixL.volume.bytes;
    t.diagnostic(`Appendix L ${appendixL.volume.bytes} B in ${appendixL.volume.events} events; recommended ${recommended.volume.bytes} B in ${recommended.volume.events} events (${(ratio * 100).toFixed(1)}%)`);
    assert.ok(ratio < 0.2, `ratio ${ratio}`);
    assert.equal(recommended.volume.byStage.RequestReceived, undefined);
    assert.ok((appendixL.volume.byStage.RequestReceived ?? 0) > 500);
  });

  it('Appendix L writes Secret data into the log; the recommended policy never does', (t) => {
    if (skip || !appendixL || !recommended) return t.skip(skip);
    assert.ok(appendixL.log.includes(SECRET_BASE64_PREFIX), 'Appendix L logs the Secrets the mix created');
    assert.ok(!recommended.log.includes(SECRET_BASE64_PREFIX));
    assert.ok(!recommended.log.includes(SECRET_VALUE));
  });

  it('every detection that fires under Appendix L still fires under the recommended policy', async (t) => {
    if (skip || !appendixL || !recommended) return t.skip(skip);
    const full = await detections(appendixL.log, dir, 'appendix-l.log');
    const tuned = await detections(recommended.log, dir, 'recommended.log');
    t.diagnostic(`Appendix L: ${JSON.stringify(Object.fromEntries(full))}`);
    t.diagnostic(`recommended: ${JSON.stringify(Object.fromEntries(tuned))}`);
    assert.deepEqual([...tuned.keys()].sort(), [...full.keys()].sort());
    // The mix trips exactly these: exec, privileged and hostNetwork pods, NodePort, roles, bindings, secret reads and bursts.
    assert.deepEqual(
      [...full.keys()].sort(),
      [
        'AUDIT-CLUSTER-ADMIN-BINDING',
        'AUDIT-EXEC-INTO-POD',
        'AUDIT-FORBIDDEN-BURST',
        'AUDIT-HOSTNETWORK-POD',
        'AUDIT-NODEPORT-SERVICE',
        'AUDIT-POD-EXEC-ROLE',
        'AUDIT-PORT-FORWARD',
        'AUDIT-PRIVILEGED-POD',
        'AUDIT-SECRET-READ',
        'AUDIT-SECRET-READ-REFUSED',
        'AUDIT-UNAUTHENTICATED-BURST',
        'AUDIT-WILDCARD-ROLE',
        'AUDIT-WRITE-PRIVILEGES-ROLE',
      ],
    );
  });

  it('audit estimate, replaying the Appendix L log under the recommended policy, lands within 10% of what the API server wrote', async (t) => {
    if (skip || !appendixL || !recommended) return t.skip(skip);
    const errors: InputError[] = [];
    const [policy] = parseAuditPolicies('recommended.yaml', Buffer.from(RECOMMENDED_POLICY_YAML), errors);
    const estimator = new VolumeEstimator([policy as AuditPolicy]);
    const path = join(dir, 'replay.log');
    writeFileSync(path, appendixL.log);
    for await (const logged of readAuditEvents(path, errors)) estimator.add(logged);
    assert.deepEqual(errors, []);
    const estimate = estimator.finish().policies[0];
    const error = ((estimate?.bytes ?? 0) - recommended.volume.bytes) / recommended.volume.bytes;
    t.diagnostic(`estimated ${estimate?.bytes} B / ${estimate?.events} events; written ${recommended.volume.bytes} B / ${recommended.volume.events} events (${(error * 100).toFixed(1)}%)`);
    assert.ok(Math.abs(error) < 0.1, `estimate off by ${(error * 100).toFixed(1)}%`);
    assert.ok(Math.abs((estimate?.events ?? 0) - recommended.volume.events) <= recommended.volume.events * 0.05);
  });
});
