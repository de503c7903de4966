import type { DetectionMeta, DetectionRule } from '../rule.js';
import { POD_AND_EPHEMERAL_NEEDS, podCreateRule } from './pod-rule.js';
import { containersOf, strings } from './support.js';
import { stringOf } from '../../../util/object.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-DANGEROUS-CAPABILITIES-POD',
  title: 'A pod adding dangerous Linux capabilities was created',
  rationale:
    'SYS_ADMIN, SYS_MODULE, SYS_PTRACE, NET_ADMIN, BPF and the like each allow escaping the container or taking over ' +
    'the node\'s network or kernel (MITRE T1611). This is Elastic\'s list of excessive capabilities, plus ALL; init, ' +
    'regular and ephemeral containers (kubectl debug) are all judged.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Drop ALL capabilities and add back only the one the workload needs (often NET_BIND_SERVICE).', snippet: 'securityContext:\n  capabilities:\n    drop: ["ALL"]\n' },
  references: {},
  frameworks: ['nsa'],
  needs: POD_AND_EPHEMERAL_NEEDS,
  covers: { elastic: ['Kubernetes Container Created with Excessive Linux Capabilities'] },
  attack: ['T1611', 'T1610'],
};

const DANGEROUS = new Set(['BPF', 'DAC_READ_SEARCH', 'NET_ADMIN', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_MODULE', 'SYS_PTRACE', 'SYS_RAWIO', 'SYSLOG', 'ALL']);

const CAP_PREFIX = /^CAP_/;

export const rule: DetectionRule = podCreateRule(meta, (spec) => {
  for (const { container, path } of containersOf(spec)) {
    const added = strings((container.securityContext as { capabilities?: { add?: unknown } } | undefined)?.capabilities?.add);
    const dangerous = added.map((cap) => cap.toUpperCase().replace(CAP_PREFIX, '')).filter((cap) => DANGEROUS.has(cap));
    if (dangerous.length > 0) return { what: `whose container ${stringOf(container.name ?? '?')} adds ${dangerous.join(', ')}`, field: `${path}.securityContext.capabilities.add` };
  }
  return undefined;
}, { ephemeral: true });
