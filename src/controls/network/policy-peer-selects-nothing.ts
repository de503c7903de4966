import { peerSelectorKey } from '../../engine/inventory.js';
import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import { describePolicy } from '../../netpol/policy.js';
import { SelectorKnowledge } from './selector-knowledge.js';

export const meta: ControlMeta = {
  id: 'NET-POLICY-PEER-SELECTS-NOTHING',
  title: 'NetworkPolicy rule peers must select existing pods or namespaces',
  rationale:
    'A `from`/`to` peer whose podSelector or namespaceSelector matches nothing (a namespace selected by a label ' +
    'nobody set, such as `name: monitoring` where only `kubernetes.io/metadata.name` exists) allows nothing: the ' +
    'rule reads like a deliberate exception while the traffic it names is denied, and the usual "fix" under ' +
    'pressure is a wider rule. Empty selectors (`{}`) select everything and are never reported. Manifests may be ' +
    'partial, so a peer is judged only when nothing outside the input could match it: its namespaces are named ' +
    'by `kubernetes.io/metadata.name` and the input shows them, and the input holds workloads of each selected ' +
    'namespace; in a live cluster scan of every namespace every peer is judged. The rest are not assessed.',
  nsaSection: 'Network separation and hardening › Network policies',
  pss: null,
  severity: 'low',
  versions: {
    sinceMinor: 0,
    changes: [
      {
        minor: 21,
        change:
          'the API server labels every namespace with kubernetes.io/metadata.name; before, a namespaceSelector on it matches only namespaces whose Namespace object sets it by hand, and is judged only where the input has those objects',
      },
    ],
  },
  remediation: {
    text: 'Select peers by labels they carry: namespaces by kubernetes.io/metadata.name, pods by their pod template labels.',
    snippet:
      'ingress:\n- from:\n  - namespaceSelector:\n      matchLabels:\n        kubernetes.io/metadata.name: monitoring\n    podSelector:\n      matchLabels:\n        app.kubernetes.io/name: prometheus\n',
  },
  references: { kubeLinter: ['dangling-networkpolicypeer-podselector'] },
  frameworks: ['nsa'],
};

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  *check(inventory, context) {
    const knowledge = new SelectorKnowledge(inventory, context.version);
    let assessed = 0;
    for (const policy of knowledge.reachability.policies) {
      const positions = inventory.policyPositions.get(policy);
      if (!positions) continue;
      for (const direction of ['Ingress', 'Egress'] as const) {
        const side = direction === 'Ingress' ? 'ingress' : 'egress';
        for (const rule of direction === 'Ingress' ? policy.ingress : policy.egress) {
          for (const [index, peer] of (rule.peers ?? []).entries()) {
            if (peer.kind !== 'pods') continue;
            const verdict = knowledge.peerTargets(policy, peer);
            if (verdict.kind === 'unknown') continue;
            assessed++;
            if (verdict.kind === 'selects') continue;
            const subject = positions.peerSelectors.get(peerSelectorKey(direction, rule.index, index, verdict.field));
            if (!subject) continue;
            yield {
              subject,
              message: `NetworkPolicy ${describePolicy(policy)} ${side}[${rule.index}] ${direction === 'Ingress' ? 'from' : 'to'}[${index}] selects nothing, so it allows nothing: ${verdict.why}`,
            };
          }
        }
      }
    }
    return assessed;
  },
};
