import { SERVICE_ACCOUNT_USER } from '../../policy/sample.js';
import type { DetectionMeta, DetectionRule } from '../rule.js';
import { eventRule, isSystemUserName, objectName, succeededOrUnknown, username } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-SECRET-READ',
  title: 'Secrets were read by an unexpected identity',
  rationale:
    'Controllers and nodes read Secrets all the time; people rarely need to. A person (not a system: user, and not ' +
    'one of --trusted-user) reading Secrets is how stolen credentials are turned into more credentials (MITRE ' +
    'T1552.007). Listing them across every namespace, or in kube-system, dumps the keys to the cluster; a workload\'s ' +
    'service account (outside kube-system) doing that is reported too, since a compromised pod does exactly this. ' +
    'Falco reports every successful Secret get; this leaves out the control plane\'s own reads.',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Confirm the read was needed; grant get/list on secrets by resourceNames, and give people a secrets manager instead.', snippet: 'kubeharden rbac who-can get secrets manifests/\n' },
  references: {},
  frameworks: ['nsa'],
  needs: {
    level: 'Metadata',
    stage: 'ResponseComplete',
    requests: [
      { verb: 'get', resource: 'secrets' },
      { verb: 'list', resource: 'secrets', namespace: '' },
      { verb: 'list', resource: 'secrets', namespace: 'kube-system', user: SERVICE_ACCOUNT_USER },
    ],
  },
  covers: {
    falco: ['K8s Secret Get Successfully'],
    // Elastic's user-agent and rate variants look at the same reads; here every such read by a person is reported.
    elastic: ['Kubernetes Secrets List Across Cluster or Sensitive Namespaces', 'Kubernetes Secret get or list with Suspicious User Agent', 'Kubernetes Rapid Secret GET Activity Against Multiple Objects'],
  },
  attack: ['T1552.007', 'T1613'],
};

const READS = new Set(['get', 'list', 'watch']);
const SERVICE_ACCOUNT = 'system:serviceaccount:';
const CONTROL_PLANE_ACCOUNTS = 'system:serviceaccount:kube-system:';

export const rule: DetectionRule = eventRule(meta, ['secrets'], (event, { settings }) => {
  const verb = event.verb ?? '';
  if (!READS.has(verb) || !succeededOrUnknown(event)) return undefined;
  const user = event.user?.username ?? '';
  if (user === '' || settings.trustedUsers.includes(user)) return undefined;
  const namespace = event.objectRef?.namespace;
  if (isSystemUserName(user)) {
    // Workloads' service accounts: only a list of everything, or of kube-system, is out of the ordinary.
    const dump = verb === 'list' && (namespace === undefined || namespace === '' || namespace === 'kube-system');
    if (!dump || !user.startsWith(SERVICE_ACCOUNT) || user.startsWith(CONTROL_PLANE_ACCOUNTS)) return undefined;
  }
  const where = verb === 'get' ? `Secret ${objectName(event)}` : namespace ? `the Secrets of ${namespace}` : 'the Secrets of every namespace';
  return { field: 'objectRef', message: `${username(event)} ${verb === 'get' ? 'read' : verb === 'list' ? 'listed' : 'watched'} ${where}` };
});
