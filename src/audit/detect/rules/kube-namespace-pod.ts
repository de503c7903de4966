import type { DetectionMeta, DetectionRule } from '../rule.js';
import { POD_CREATE_NEEDS } from './pod-rule.js';
import { bodyField, containersOf, eventRule, failureCode, objectName, podSpecOf, username } from './support.js';
import { stringOf } from '../../../util/object.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-KUBE-NAMESPACE-POD',
  title: 'A pod with an unexpected image was created in kube-system or kube-public',
  rationale:
    'kube-system holds the control plane\'s add-ons and the most powerful service accounts; a pod there can mount ' +
    'them. Attackers hide workloads among system pods (MITRE T1610, T1036.005). Pods whose images all come from ' +
    'the Kubernetes registries (or --trusted-image prefixes) are expected.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Confirm the pod belongs to a system add-on; run applications in their own namespaces.', snippet: 'metadata:\n  namespace: my-app\n' },
  references: {},
  frameworks: ['nsa'],
  needs: { ...POD_CREATE_NEEDS, requests: [{ verb: 'create', resource: 'pods', namespace: 'kube-system', name: '' }] },
  covers: { falco: ['Pod Created in Kube Namespace'], elastic: ['Kubernetes Suspicious Assignment of Controller Service Account'] },
  attack: ['T1610', 'T1036.005'],
};

export const rule: DetectionRule = eventRule(meta, ['pods'], (event, { settings }) => {
  const namespace = event.objectRef?.namespace;
  if (event.verb !== 'create' || (namespace !== 'kube-system' && namespace !== 'kube-public')) return undefined;
  const spec = podSpecOf(event);
  if (!spec) return undefined;
  const untrusted = containersOf(spec).find(({ container }) => !settings.trustedImages.some((prefix) => stringOf(container.image ?? '').startsWith(prefix)));
  if (!untrusted) return undefined;
  const did = failureCode(event) === undefined ? 'created' : 'tried to create';
  const image = stringOf(untrusted.container.image ?? '(no image)');
  return { field: `${bodyField(event)}.${untrusted.path}.image`, message: `${username(event)} ${did} pod ${objectName(event)} running ${image}` };
});
