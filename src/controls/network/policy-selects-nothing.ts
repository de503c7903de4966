import type { ControlMeta, InventoryControl } from '../../engine/types.js';
import type { Subject } from '../../vocabulary/finding.js';
import { describePolicy } from '../../netpol/policy.js';
import { SelectorKnowledge, type SelectorVerdict } from './selector-knowledge.js';

export const meta: ControlMeta = {
  id: 'NET-POLICY-SELECTS-NOTHING',
  title: 'A NetworkPolicy must select the pods it is meant to isolate',
  rationale:
    'A NetworkPolicy whose podSelector matches no pod in its namespace (a typo in a label, a renamed app, a ' +
    'policy left behind) isolates nothing: it reads like protection in review while the pods it was written for ' +
    'accept and send any traffic. `podSelector: {}` selects every pod and is never reported. Manifests may be ' +
    'partial: a policy is judged only when the input holds a workload of its namespace (then it is taken to hold ' +
    'all of them) or the scan read the namespace in a live cluster; otherwise it is not assessed. Cilium policies\' ' +
    'endpointSelectors are judged the same way (a cluster-wide one only in a scan of every namespace).',
  nsaSection: 'Network separation and hardening › Network policies',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'Make the podSelector match the labels of the workload\'s pod template (or delete the policy if the workload is gone).',
    snippet: 'spec:\n  podSelector:\n    matchLabels:\n      app: storefront   # the labels under spec.template.metadata.labels\n',
  },
  references: { kubeLinter: ['dangling-networkpolicy'] },
  frameworks: ['nsa'],
};

export const control: InventoryControl = {
  meta,
  scope: 'inventory',
  needsNamespaceObjects: false,
  *check(inventory, context) {
    const knowledge = new SelectorKnowledge(inventory, context.version);
    function* selectors(): Generator<{ verdict: SelectorVerdict; subject: Subject | undefined; policy: string }> {
      for (const policy of knowledge.reachability.policies) {
        yield { verdict: knowledge.policyTargets(policy), subject: inventory.policyPositions.get(policy)?.podSelector, policy: `NetworkPolicy ${describePolicy(policy)}` };
      }
      for (const entry of inventory.ciliumSelectors) {
        yield { verdict: knowledge.ciliumTargets(entry), subject: entry.subject, policy: `${entry.kind} ${entry.namespace === null ? '' : `${entry.namespace}/`}${entry.name}` };
      }
    }
    let assessed = 0;
    for (const { verdict, subject, policy } of selectors()) {
      if (!subject || verdict.kind === 'unknown') continue;
      assessed++;
      if (verdict.kind === 'nothing') yield { subject, message: `${policy} isolates no pod: ${verdict.why}` };
    }
    return assessed;
  },
};
