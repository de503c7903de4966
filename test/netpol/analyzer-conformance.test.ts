/**
 * np-guard netpol-analyzer golden connectivity (../shared/corpus/netpol/netpol-analyzer): every case whose output
 * is a plain connectivity list and whose input uses only core NetworkPolicy must agree exactly with our engine,
 * workload pairs and addresses outside the cluster alike. The analyzer treats host-network pods like any pod and
 * matches ipBlocks only against addresses outside the cluster, so the engine runs with those settings here.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Reachability } from '../../src/netpol/engine.js';
import { needsShared, sharedPath } from '../support/paths.js';
import { computeConnectivity, kindsIn, loadCase, parseGolden } from './analyzer-support.js';

const ANP = 'AdminNetworkPolicy / BaselineAdminNetworkPolicy (policy.networking.k8s.io) tiers are not implemented';
const MULTI_NETWORK =
  'OVN-Kubernetes multi-networking (UserDefinedNetwork, ClusterUserDefinedNetwork, NetworkAttachmentDefinition, MultiNetworkPolicy): separate pod networks are not modelled';
const VIRTUAL_MACHINES = 'KubeVirt VirtualMachines are not read as workloads';
const INGRESS_CONTROLLER =
  'connections admitted through Ingress / OpenShift Route objects (the analyzer\'s {ingress-controller} peer) are not modelled';

/** Cases with a plain connectivity golden file that we do not claim, and why. The test checks this list is exact. */
export const SKIPPED_ANALYZER_CASES: Readonly<Record<string, string>> = {
  'acs-security-demos': INGRESS_CONTROLLER,
  'acs-security-demos-with-netpol-list': INGRESS_CONTROLLER,
  'acs_security_frontend_demos': INGRESS_CONTROLLER,
  'anp_and_banp_using_networks_and_nodes_test': ANP,
  'anp_and_banp_using_networks_test': ANP,
  'anp_and_banp_using_networks_with_ipv6_test': ANP,
  'anp_banp_blog_demo': ANP,
  'anp_banp_core_test': ANP,
  'anp_banp_test_multiple_warnings': ANP,
  'anp_banp_test_with_named_port_matched': ANP,
  'anp_banp_test_with_named_port_unmatched': ANP,
  'anp_demo': ANP,
  'anp_np_banp_core_test': ANP,
  'anp_test_10': ANP,
  'anp_test_10_swapping_rules': ANP,
  'anp_test_11': ANP,
  'anp_test_11_swapping_rules': ANP,
  'anp_test_12': ANP,
  'anp_test_12_swapping_rules': ANP,
  'anp_test_1_deny_traffic_at_cluster_level': ANP,
  'anp_test_2_allow_traffic_at_cluster_level': ANP,
  'anp_test_3_pass_traffic': ANP,
  'anp_test_4': ANP,
  'anp_test_4_with_priority_chang_pass_to_banp': ANP,
  'anp_test_5': ANP,
  'anp_test_6': ANP,
  'anp_test_6_swapping_rules': ANP,
  'anp_test_7': ANP,
  'anp_test_7_swapping_rules': ANP,
  'anp_test_8': ANP,
  'anp_test_8_swapping_rules': ANP,
  'anp_test_9': ANP,
  'anp_test_9_swapping_rules': ANP,
  'anp_test_combining_test_6_and_test_10': ANP,
  'anp_test_ingress_egress_intersection': ANP,
  'anp_test_multiple_anps': ANP,
  'anp_test_named_ports_multiple_peers': ANP,
  'anp_with_banp_new_test': ANP,
  'anp_with_banp_pass_test': ANP,
  'anp_with_np_and_banp_pass_test': ANP,
  'anp_with_np_pass_test': ANP,
  'banp_test_core_egress_sctp_rules': ANP,
  'banp_test_core_egress_sctp_swapping_rules': ANP,
  'banp_test_core_egress_tcp_rules': ANP,
  'banp_test_core_egress_tcp_swapping_rules': ANP,
  'banp_test_core_egress_udp_rules': ANP,
  'banp_test_core_egress_udp_swapping_rules': ANP,
  'banp_test_core_gress_rules': ANP,
  'banp_test_core_gress_swapping_rules': ANP,
  'banp_test_core_ingress_sctp_rules': ANP,
  'banp_test_core_ingress_sctp_swapping_rules': ANP,
  'banp_test_core_ingress_tcp_rules': ANP,
  'banp_test_core_ingress_tcp_swapping_rules': ANP,
  'banp_test_core_ingress_udp_rules': ANP,
  'banp_test_core_ingress_udp_swapping_rules': ANP,
  'cudn_test_1': MULTI_NETWORK,
  'cudn_test_2': MULTI_NETWORK,
  'cudn_test_3': MULTI_NETWORK,
  'cudn_test_4': MULTI_NETWORK,
  'cudn_test_5': MULTI_NETWORK,
  'cudn_test_6': MULTI_NETWORK,
  'demo_app_with_routes_and_ingress': INGRESS_CONTROLLER,
  'example_pods_w_same_owner_and_labels_gap_anp_good': ANP,
  'example_pods_w_same_owner_and_labels_gap_banp_good': ANP,
  'k8s_ingress_test': INGRESS_CONTROLLER,
  'multiple_ingress_objects_with_different_ports': INGRESS_CONTROLLER,
  'nad_test_1': MULTI_NETWORK,
  'nad_test_12': MULTI_NETWORK,
  'nad_test_13': MULTI_NETWORK,
  'nad_test_14': MULTI_NETWORK,
  'nad_test_15': MULTI_NETWORK,
  'nad_test_16': MULTI_NETWORK,
  'nad_test_17': MULTI_NETWORK,
  'nad_test_2': MULTI_NETWORK,
  'nad_test_3': MULTI_NETWORK,
  'nad_test_4': MULTI_NETWORK,
  'nad_test_5': MULTI_NETWORK,
  'nad_test_6': MULTI_NETWORK,
  'nad_test_8': MULTI_NETWORK,
  'one_ingress_multiple_ports': INGRESS_CONTROLLER,
  'one_ingress_multiple_services': INGRESS_CONTROLLER,
  'udn_and_vms_test_1': MULTI_NETWORK,
  'udn_and_vms_test_2': MULTI_NETWORK,
  'udn_and_vms_test_3': ANP,
  'udn_and_vms_test_4': MULTI_NETWORK,
  'udn_and_vms_test_5': MULTI_NETWORK,
  'udn_test_1': MULTI_NETWORK,
  'udn_test_2': MULTI_NETWORK,
  'udn_test_3': ANP,
  'udn_test_4': MULTI_NETWORK,
  'udn_with_ingress_controller': MULTI_NETWORK,
  'udn_with_ingress_controller_two_pods': MULTI_NETWORK,
  'udn_with_vm_and_ingress_controller': MULTI_NETWORK,
  'virtual_machines_example': VIRTUAL_MACHINES,
};

const ROOT = sharedPath('corpus', 'netpol', 'netpol-analyzer');

function skipReasonFor(kinds: ReadonlySet<string>): string | undefined {
  const has = (...names: string[]) => names.some((name) => kinds.has(name));
  if (has('AdminNetworkPolicy', 'BaselineAdminNetworkPolicy')) return ANP;
  if (has('UserDefinedNetwork', 'ClusterUserDefinedNetwork', 'NetworkAttachmentDefinition', 'MultiNetworkPolicy')) return MULTI_NETWORK;
  if (has('VirtualMachine', 'VirtualMachineInstance')) return VIRTUAL_MACHINES;
  if (has('Ingress', 'Route')) return INGRESS_CONTROLLER;
  return undefined;
}

function casesWithGolden(): string[] {
  if (needsShared) return [];
  return readdirSync(`${ROOT}/tests`)
    .filter((name) => existsSync(`${ROOT}/test_outputs/connlist/${name}_connlist_output.txt`))
    .sort();
}

describe('netpol-analyzer connectivity goldens', { skip: needsShared }, () => {
  const cases = casesWithGolden();

  it('the skip list names exactly the cases that use what the engine does not model', () => {
    const expected: Record<string, string> = {};
    for (const name of cases) {
      const reason = skipReasonFor(kindsIn(`${ROOT}/tests/${name}`));
      if (reason) expected[name] = reason;
    }
    assert.deepEqual(SKIPPED_ANALYZER_CASES, expected);
    assert.equal(cases.length, 135, 'cases with a golden connlist');
    assert.equal(cases.length - Object.keys(expected).length, 41, 'claimed cases');
  });

  for (const name of cases) {
    if (SKIPPED_ANALYZER_CASES[name]) continue;
    it(name, () => {
      const { model, errors } = loadCase(`${ROOT}/tests/${name}`);
      assert.deepEqual(errors, []);
      const ours = computeConnectivity(new Reachability(model, { hostNetwork: 'as-pods', ipBlockMatchesPods: false }));
      const golden = parseGolden(readFileSync(`${ROOT}/test_outputs/connlist/${name}_connlist_output.txt`, 'utf8'));
      assert.deepEqual(ours.internal, golden.internal, 'workload-to-workload connectivity');
      assert.deepEqual(ours.external, golden.external, 'connectivity with addresses outside the cluster');
    });
  }
});
