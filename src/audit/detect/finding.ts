/** A detection as a finding: the object the event was about, the log line, and who did what, when, from where. */
import { ownEntry } from '../../util/object.js';
import type { EventSummary, Finding, ResourceRef } from '../../vocabulary/finding.js';
import { decisionOf, type AuditEvent } from '../event.js';
import { redactCredentials, redactRequestUri } from '../../kube/credentials.js';
import type { RuleHit } from './engine.js';

/** Kinds of the resources detections are about; other resources show their plural name. */
const KINDS: Readonly<Record<string, string>> = {
  pods: 'Pod', secrets: 'Secret', configmaps: 'ConfigMap', services: 'Service', serviceaccounts: 'ServiceAccount',
  namespaces: 'Namespace', nodes: 'Node', events: 'Event', deployments: 'Deployment', daemonsets: 'DaemonSet',
  statefulsets: 'StatefulSet', cronjobs: 'CronJob', jobs: 'Job', roles: 'Role', clusterroles: 'ClusterRole',
  rolebindings: 'RoleBinding', clusterrolebindings: 'ClusterRoleBinding', certificatesigningrequests: 'CertificateSigningRequest',
  mutatingwebhookconfigurations: 'MutatingWebhookConfiguration', validatingwebhookconfigurations: 'ValidatingWebhookConfiguration',
  tokenreviews: 'TokenReview', selfsubjectaccessreviews: 'SelfSubjectAccessReview', selfsubjectrulesreviews: 'SelfSubjectRulesReview',
};

export function detectionFinding(hit: RuleHit): Finding {
  const { meta } = hit.rule;
  const { event } = hit.logged;
  return {
    controlId: meta.id,
    title: meta.title,
    severity: meta.severity,
    pss: null,
    resource: resourceOf(event),
    location: { file: hit.logged.file, line: hit.logged.line, column: 1 },
    field: hit.field,
    // Rules quote commands and URIs as evidence; every format gets them with the credentials already taken out.
    message: redactCredentials(hit.message),
    remediation: meta.remediation.text,
    event: summarize(event),
  };
}

function resourceOf(event: AuditEvent): ResourceRef {
  const ref = event.objectRef;
  if (!ref?.resource) return { apiVersion: '', kind: 'NonResourceURL', namespace: null, name: (event.requestURI ?? '').split('?')[0] ?? null };
  const version = ref.apiVersion ?? 'v1';
  return {
    apiVersion: ref.apiGroup ? `${ref.apiGroup}/${version}` : version,
    kind: ownEntry(KINDS, ref.resource) ?? ref.resource,
    namespace: ref.namespace ?? null,
    // A create names its object in the body, not the URL.
    name: ref.name ?? bodyName(event.requestObject) ?? null,
  };
}

function bodyName(body: unknown): string | undefined {
  const name = (body as { metadata?: { name?: unknown } } | undefined)?.metadata?.name;
  return typeof name === 'string' ? name : undefined;
}

export function summarize(event: AuditEvent): EventSummary {
  const decision = decisionOf(event);
  return {
    time: event.stageTimestamp ?? event.requestReceivedTimestamp ?? '',
    auditID: event.auditID ?? '',
    user: event.user?.username || '(unauthenticated)',
    groups: event.user?.groups ?? [],
    ...(event.impersonatedUser?.username ? { impersonatedUser: event.impersonatedUser.username } : {}),
    sourceIPs: event.sourceIPs ?? [],
    ...(event.userAgent ? { userAgent: event.userAgent } : {}),
    verb: event.verb ?? '',
    requestURI: redactRequestUri(event.requestURI ?? ''),
    stage: event.stage ?? '',
    ...(event.responseStatus?.code !== undefined ? { responseCode: event.responseStatus.code } : {}),
    ...(decision ? { decision } : {}),
  };
}
