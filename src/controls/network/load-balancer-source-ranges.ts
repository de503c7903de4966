import type { ControlMeta, ObjectControl } from '../../engine/types.js';
import { array, record, stringOf } from '../../util/object.js';
import { objectRule, celField, celStrings } from '../../engine/admission-cel.js';

const OPEN_TO_ALL = new Set(['0.0.0.0/0', '::/0']);

export const meta: ControlMeta = {
  id: 'NET-LB-SOURCE-RANGES',
  title: 'LoadBalancer Services must restrict their source ranges',
  rationale:
    'Without loadBalancerSourceRanges a LoadBalancer Service is reachable from the whole internet (or the whole ' +
    'VPC); most services need only a few known networks.',
  nsaSection: 'Network separation and hardening › Network policies; Control plane hardening (do not expose to the Internet)',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: {
    text: 'List the networks that may connect in spec.loadBalancerSourceRanges, or use an internal load balancer.',
    snippet: 'spec:\n  type: LoadBalancer\n  loadBalancerSourceRanges:\n  - 203.0.113.0/24\n',
  },
  references: {},
  frameworks: ['nsa'],
};

export const control: ObjectControl = {
  meta,
  scope: 'object',
  admission: {
    validations: () => {
      const loadBalancer = celField('object', 'spec.type', (v) => `${v} == 'LoadBalancer'`);
      const ranges = celField('object', 'spec.loadBalancerSourceRanges', (v) => `type(${v}) == list && size(${v}) > 0`);
      return [
        objectRule(meta, { violates: `${loadBalancer} && !${ranges}`, field: 'spec.loadBalancerSourceRanges', must: 'must list the networks that may connect' }),
        objectRule(meta, {
          violates: `${loadBalancer} && ${ranges} && object.spec.loadBalancerSourceRanges.exists(r, string(r).trim() in ${celStrings(OPEN_TO_ALL)})`,
          field: 'spec.loadBalancerSourceRanges',
          must: 'must not include 0.0.0.0/0 or ::/0',
        }),
      ];
    },
  },
  kinds: ['Service'],
  check({ object }) {
    const spec = record(object.spec);
    if (spec?.type !== 'LoadBalancer') return [];
    const ranges = array(spec.loadBalancerSourceRanges).map(stringOf);
    if (ranges.length === 0) {
      return [{ path: ['spec', 'loadBalancerSourceRanges'], message: 'LoadBalancer Service accepts traffic from any source (no loadBalancerSourceRanges)' }];
    }
    return ranges.flatMap((range, index) =>
      OPEN_TO_ALL.has(range.trim())
        ? [{ path: ['spec', 'loadBalancerSourceRanges', index], message: `LoadBalancer Service allows ${range}, which is every address` }]
        : [],
    );
  },
};
