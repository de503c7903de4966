import { decisionOf } from '../../event.js';
import type { DetectionMeta, DetectionRule } from '../rule.js';
import { eventRule, objectName, username } from './support.js';

export const meta: DetectionMeta = {
  id: 'AUDIT-SECRET-READ-REFUSED',
  title: 'A read of Secrets was refused',
  rationale:
    'Identities read the Secrets they were granted; a refused read is someone trying one they were not, typically a ' +
    'stolen service account token or user credential being tried out (MITRE T1552.007). Falco warns on every ' +
    'unsuccessful Secret get; here only refusals (403, or a forbid decision) count, since a 404 is a name that does ' +
    'not exist and a 401 never got as far as authorization (AUDIT-UNAUTHENTICATED-BURST counts those).',
  nsaSection: 'Audit logging and threat detection › Threat detection',
  pss: null,
  severity: 'medium',
  versions: { sinceMinor: 0, changes: [] },
  remediation: { text: 'Find out who holds the credential and why it tried; rotate it if the attempt is not explained.', snippet: 'kubeharden rbac who-can get secrets manifests/\n' },
  references: {},
  frameworks: ['nsa'],
  needs: { level: 'Metadata', stage: 'ResponseComplete', requests: [{ verb: 'get', resource: 'secrets' }, { verb: 'list', resource: 'secrets', namespace: '' }] },
  covers: { falco: ['K8s Secret Get Unsuccessfully Tried'] },
  attack: ['T1552.007'],
};

export const rule: DetectionRule = eventRule(meta, ['secrets'], (event) => {
  const verb = event.verb;
  if (verb !== 'get' && verb !== 'list' && verb !== 'watch') return undefined;
  if (event.responseStatus?.code !== 403 && decisionOf(event) !== 'forbid') return undefined;
  const namespace = event.objectRef?.namespace;
  const what = verb === 'get' ? `Secret ${objectName(event)}` : namespace ? `the Secrets of ${namespace}` : 'the Secrets of every namespace';
  return { field: 'responseStatus.code', message: `${username(event)} was refused ${verb === 'get' ? 'reading' : verb === 'list' ? 'listing' : 'watching'} ${what}` };
}, { messageHasOutcome: true });
