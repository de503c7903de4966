import type { DetectionMeta, DetectionRule } from '../rule.js';
import { eventRule, isSystemUserName, objectName, succeededOrUnknown, username } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-CERTIFICATE-SIGNING',
  title: 'A person created or approved a certificate signing request',
  rationale:
    'A client certificate signed by the cluster CA is a credential that cannot be revoked and lives until it expires; ' +
    'approving one for a made-up user or group (system:masters) is a durable backdoor (MITRE T1098.006). Kubelets ' +
    'and the controller manager do this constantly; people should not.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'high',
  versions: {
    sinceMinor: 4,
    changes: [
      { minor: 19, change: 'certificates.k8s.io/v1: approval only through the approval subresource, signerName required' },
      { minor: 22, change: 'certificates.k8s.io/v1beta1 removed' },
    ],
  },
  remediation: { text: 'Check the request\'s subject and usages; deny and delete it if it is not expected.', snippet: 'kubectl certificate deny NAME\n' },
  references: {},
  frameworks: ['nsa'],
  needs: {
    level: 'Metadata',
    stage: 'ResponseComplete',
    requests: [
      { verb: 'create', apiGroup: 'certificates.k8s.io', resource: 'certificatesigningrequests', namespace: '', name: '' },
      { verb: 'update', apiGroup: 'certificates.k8s.io', resource: 'certificatesigningrequests', subresource: 'approval', namespace: '' },
    ],
  },
  covers: { elastic: ['Kubernetes Client Certificate Signing Request Created or Approved'] },
  attack: ['T1098.006'],
};

export const rule: DetectionRule = eventRule(meta, ['certificatesigningrequests', 'certificatesigningrequests/approval'], (event) => {
  const user = event.user?.username ?? '';
  if (user === '' || isSystemUserName(user) || !succeededOrUnknown(event)) return undefined;
  const approval = event.objectRef?.subresource === 'approval';
  if (approval ? event.verb !== 'update' && event.verb !== 'patch' : event.verb !== 'create') return undefined;
  return { field: 'objectRef', message: `${username(event)} ${approval ? 'approved' : 'created'} certificate signing request ${objectName(event)}` };
});
