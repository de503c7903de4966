import type { ControlMeta, ObjectControl, Violation } from '../../engine/types.js';
import { NEWEST_KNOWN_MINOR } from '../../kube/version.js';
import { isRecord, record, str } from '../../util/object.js';

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const ENFORCE_VERSION = 'pod-security.kubernetes.io/enforce-version';
/** kube-system runs the privileged pieces of the cluster itself. */
const EXEMPT = new Set(['kube-system']);

export const meta: ControlMeta = {
  id: 'PSS-ENFORCE-LABELS',
  title: 'Namespaces must enforce the baseline or restricted Pod Security Standard',
  rationale:
    'Pod Security Admission, which replaced PodSecurityPolicy, only rejects unsafe pods in namespaces labelled to ' +
    'enforce a level; an unlabelled namespace admits privileged pods. A pinned old enforce-version keeps checks of ' +
    'newer Kubernetes versions off.',
  nsaSection: 'Kubernetes Pod security › Pod security enforcement',
  pss: null,
  severity: 'high',
  versions: { sinceMinor: 23, changes: [{ minor: 25, change: 'Pod Security Admission is GA; PodSecurityPolicy is removed.' }] },
  remediation: {
    text: 'Label the namespace pod-security.kubernetes.io/enforce=restricted (or baseline) and enforce-version=latest.',
    snippet: 'metadata:\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/enforce-version: latest\n',
  },
  references: { cis: ['5.2.1'] },
  frameworks: ['nsa'],
};

export const control: ObjectControl = {
  meta,
  scope: 'object',
  kinds: ['Namespace'],
  check({ object, version }) {
    const metadata = record(object.metadata) ?? {};
    if (EXEMPT.has(str(metadata.name) ?? '')) return [];
    const labels = isRecord(metadata.labels) ? metadata.labels : {};
    const level = str(labels[ENFORCE]);
    const violations: Violation[] = [];
    if (level !== 'baseline' && level !== 'restricted') {
      violations.push({
        path: ['metadata', 'labels', ...(level === undefined ? [] : [ENFORCE])],
        message: level === undefined ? `namespace does not set ${ENFORCE}` : `namespace enforces "${level}", which admits privileged pods`,
      });
    }
    const pinned = str(labels[ENFORCE_VERSION]);
    const minor = pinned === undefined ? undefined : /^v1\.(\d+)$/.exec(pinned)?.[1];
    if (minor !== undefined && Number(minor) < Math.min(version.minor, NEWEST_KNOWN_MINOR)) {
      violations.push({
        path: ['metadata', 'labels', ENFORCE_VERSION],
        message: `namespace pins ${ENFORCE_VERSION} to ${pinned}, older than Kubernetes 1.${version.minor}: newer checks are not enforced`,
      });
    }
    return violations;
  },
};
