/**
 * `netpol audit` on a real application: Argo CD's install manifest (../shared/corpus/real-world/argo-cd), with the
 * flows its components make generated from the connections its NetworkPolicies allow (one flow per open pair, on
 * the first allowed TCP port), plus crafted anomalies. The normal traffic raises nothing; each anomaly raises
 * exactly its finding; traffic that never reaches redis leaves redis' allow rule unused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditTraffic, pairKey } from '../../../src/audit/traffic/traffic-audit.js';
import type { InputError } from '../../../src/loader/source.js';
import { Reachability } from '../../../src/netpol/engine.js';
import type { ObservedFlow } from '../../../src/netpol/generate-flows.js';
import { loadNetwork } from '../../../src/netpol/load.js';
import { endpointName } from '../../../src/netpol/model.js';
import { needsShared, sharedPath, SHARED_PRESENT } from '../../support/paths.js';

describe('netpol audit on Argo CD with generated flows', { skip: needsShared }, async () => {
  if (!SHARED_PRESENT) return;
  const errors: InputError[] = [];
  const loaded = await loadNetwork([sharedPath('corpus', 'real-world', 'argo-cd', 'install.yaml')], errors);
  const reachability = new Reachability(loaded.model);
  const endpoints = loaded.model.endpoints;
  const index = (name: string) => {
    const found = endpoints.findIndex((endpoint) => endpointName(endpoint) === name);
    assert.ok(found >= 0, `${name} is a workload of Argo CD`);
    return found;
  };
  // The traffic the policies were written for: every open pair once, on its first allowed TCP port.
  const normal: ObservedFlow[] = [];
  endpoints.forEach((_, from) => {
    endpoints.forEach((__, to) => {
      if (from === to) return;
      const tcp = reachability.connections(from, to).ranges('TCP')[0];
      if (tcp) normal.push({ line: normal.length + 1, from, to, protocol: 'TCP', port: tcp[0], verdict: 'FORWARDED', dropReason: undefined });
    });
  });
  const run = (flows: readonly ObservedFlow[], baseline?: ReadonlySet<string>) => auditTraffic({ reachability, resources: loaded.resources, flows, flowFile: 'flows.json', ...(baseline ? { baseline } : {}) });
  const ids = (flows: readonly ObservedFlow[], baseline?: ReadonlySet<string>) => run(flows, baseline).findings.map((finding) => `${finding.controlId} ${finding.message}`);

  it('reads the application: 7 workloads, 7 policies, 39 open pairs', () => {
    assert.deepEqual(errors, []);
    assert.equal(endpoints.length, 7);
    assert.equal(loaded.model.policies.length, 7);
    assert.equal(normal.length, 39);
  });

  it('the traffic the policies allow raises nothing: no denied flow, every allow rule used', () => {
    assert.deepEqual(ids(normal), []);
  });

  it('without the traffic to redis, exactly redis\' allow rule is unused, at its line', () => {
    const redis = index('default/argocd-redis');
    const findings = run(normal.filter((flow) => flow.to !== redis)).findings;
    assert.deepEqual(findings.map((finding) => [finding.controlId, finding.resource.name, finding.field, finding.message]), [
      ['NETPOL-RULE-UNUSED', 'argocd-redis-network-policy', 'spec.ingress[0]', 'ingress rule 1 of default/argocd-redis-network-policy (3 peers, 1 port entry) allowed no observed flow'],
    ]);
    assert.match(findings[0]?.location.file ?? '', /argo-cd\/install\.yaml$/);
  });

  it('crafted anomalies: a dropped probe and a flow forwarded against the policy, each reported once', () => {
    const redis = index('default/argocd-redis');
    const dex = index('default/argocd-dex-server');
    const notifications = index('default/argocd-notifications-controller');
    const anomalies: ObservedFlow[] = [
      { line: 900, from: dex, to: redis, protocol: 'TCP', port: 6379, verdict: 'DROPPED', dropReason: 'POLICY_DENIED' },
      { line: 901, from: notifications, to: redis, protocol: 'TCP', port: 6379, verdict: 'FORWARDED', dropReason: undefined },
    ];
    assert.deepEqual(ids([...normal, ...anomalies]), [
      'NETPOL-FLOW-DENIED default/argocd-dex-server -> default/argocd-redis TCP/6379 was dropped (POLICY_DENIED): ingress of default/argocd-redis is isolated by default/argocd-redis-network-policy and no rule allows it (flow line 900)',
      'NETPOL-FLOW-DENIED default/argocd-notifications-controller -> default/argocd-redis TCP/6379 was forwarded although ingress of default/argocd-redis is isolated by default/argocd-redis-network-policy and no rule allows it (flow line 901)',
    ]);
  });

  it('against a baseline of the normal traffic, only the new connection is reported', () => {
    const baseline = new Set(run(normal).pairs);
    assert.equal(baseline.size, normal.length);
    const notifications = index('default/argocd-notifications-controller');
    const repo = index('default/argocd-repo-server');
    assert.ok(!normal.some((flow) => flow.from === notifications && flow.to === repo && flow.port === 8084));
    const extra: ObservedFlow = { line: 902, from: notifications, to: repo, protocol: 'TCP', port: 8084, verdict: 'FORWARDED', dropReason: undefined };
    const fresh = run([...normal, extra], baseline).findings.filter((finding) => finding.controlId === 'NETPOL-FLOW-NEW');
    assert.deepEqual(fresh.map((finding) => finding.message), [`${pairKey('default/argocd-notifications-controller', 'default/argocd-repo-server', 'TCP', 8084)} is not in the baseline (first seen at flow line 902)`]);
  });
});
