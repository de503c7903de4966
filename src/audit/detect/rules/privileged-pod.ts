import type { DetectionMeta, DetectionRule } from '../rule.js';
import { POD_AND_EPHEMERAL_NEEDS, podCreateRule } from './pod-rule.js';
import { containersOf } from './support.js';
import { stringOf } from '../../../util/object.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-PRIVILEGED-POD',
  title: 'A privileged pod was created',
  rationale:
    'A privileged container has every capability and every device of its node: creating one is the classic way from ' +
    'pod-creation rights to root on the node (MITRE T1611). Every container counts: init, regular, and ephemeral ' +
    'containers added later with kubectl debug. Admission should stop it; this sees it when it did not.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Find out who created it and why; enforce Pod Security "baseline" or stricter on the namespace.', snippet: 'metadata:\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n' },
  references: {},
  frameworks: ['nsa'],
  needs: POD_AND_EPHEMERAL_NEEDS,
  covers: { falco: ['Create Privileged Pod'], elastic: ['Kubernetes Privileged Pod Created'] },
  attack: ['T1611', 'T1610'],
};

export const rule: DetectionRule = podCreateRule(meta, (spec) => {
  const privileged = containersOf(spec).filter(({ container }) => (container.securityContext as { privileged?: unknown } | undefined)?.privileged === true);
  const first = privileged[0];
  if (!first) return undefined;
  const names = privileged.map(({ container }) => stringOf(container.name ?? '?')).join(', ');
  return { what: `with privileged container${privileged.length > 1 ? 's' : ''} ${names}`, field: `${first.path}.securityContext.privileged` };
}, { ephemeral: true });
