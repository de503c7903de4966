/** What the detection rules share: a rule from a predicate, reading pods and roles out of events, kind messages. */
import { isRecord } from '../../../util/object.js';
import type { AuditEvent, AuditStage, LoggedEvent } from '../../event.js';
import type { DetectionContext, DetectionListener, DetectionMeta, DetectionRule } from '../rule.js';

/** What a simple rule returns when it fires: the message and the event field that shows it. */
export interface Match {
  readonly message: string;
  readonly field: string;
}

/**
 * A rule that judges each event on its own, at the stage in `meta.needs` (for most rules ResponseComplete, the one
 * event per request that carries the outcome and the bodies, so a request gives at most one finding). Messages of
 * requests that did not succeed end with the outcome (`outcomeNote`), unless the rule is about outcomes itself.
 */
export function eventRule(
  meta: DetectionMeta,
  resources: readonly string[] | undefined,
  test: (event: AuditEvent, context: DetectionContext) => Match | undefined,
  options: { readonly messageHasOutcome?: boolean } = {},
): DetectionRule {
  const note = options.messageHasOutcome ? () => '' : outcomeNote;
  const stage: AuditStage = meta.needs.stage;
  return {
    meta,
    ...(resources ? { resources } : {}),
    create(context): DetectionListener {
      return {
        event(logged: LoggedEvent) {
          // The stage first: it rejects the RequestReceived half of all traffic with one comparison.
          if (logged.event.stage !== stage) return;
          const match = test(logged.event, context);
          if (match) context.report({ logged, message: match.message + note(logged.event), field: match.field });
        },
      };
    },
  };
}

export function username(event: AuditEvent): string {
  return event.user?.username || '(unauthenticated)';
}

/** `metadata.name` of a request or response body, if it has one (a Status has none). */
function bodyName(body: unknown): string | undefined {
  if (!isRecord(body) || !isRecord(body.metadata)) return undefined;
  return typeof body.metadata.name === 'string' && body.metadata.name !== '' ? body.metadata.name : undefined;
}

/**
 * The object's name: from the URL, else from the response (a create's URL names only the collection, and a name
 * the server generated is only there), else from the request body.
 */
export function nameOf(event: AuditEvent): string | undefined {
  return event.objectRef?.name ?? bodyName(event.responseObject) ?? bodyName(event.requestObject);
}

/** `kube-system/web-0`, or `web-0` for cluster-scoped objects; `web-…` for a generateName the log does not resolve. */
export function objectName(event: AuditEvent): string {
  const ref = event.objectRef;
  const body = isRecord(event.requestObject) && isRecord(event.requestObject.metadata) ? event.requestObject.metadata : undefined;
  const name = nameOf(event) ?? (typeof body?.generateName === 'string' ? `${body.generateName}…` : '(unnamed)');
  return ref?.namespace ? `${ref.namespace}/${name}` : name;
}

export function isWrite(verb: string | undefined): boolean {
  return verb === 'create' || verb === 'update' || verb === 'patch';
}

/** The object a write produced: the response (after defaults and patches) when recorded, else the request. */
export function writtenObject(event: AuditEvent): Record<string, unknown> | undefined {
  if (isRecord(event.responseObject) && event.responseObject.kind !== 'Status') return event.responseObject;
  return isRecord(event.requestObject) ? event.requestObject : undefined;
}

export function bodyField(event: AuditEvent): string {
  return isRecord(event.responseObject) && event.responseObject.kind !== 'Status' ? 'responseObject' : 'requestObject';
}

export interface ContainerAt {
  readonly container: Record<string, unknown>;
  /** `spec.containers[1]` */
  readonly path: string;
}

/** Every container of a pod spec: init, regular and ephemeral. */
export function containersOf(spec: Record<string, unknown>): ContainerAt[] {
  const found: ContainerAt[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((container, index) => {
      if (isRecord(container)) found.push({ container, path: `spec.${list}[${index}]` });
    });
  }
  return found;
}

/** The spec of a pod written by a create, update or patch of `pods` (not of a subresource). */
export function podSpecOf(event: AuditEvent): Record<string, unknown> | undefined {
  if (event.objectRef?.resource !== 'pods' || event.objectRef.subresource || !isWrite(event.verb)) return undefined;
  const pod = writtenObject(event);
  return pod && isRecord(pod.spec) ? pod.spec : undefined;
}

/** Policy rules of a Role or ClusterRole written by the event. */
export function roleRulesOf(event: AuditEvent): Record<string, unknown>[] {
  const role = writtenObject(event);
  return role && Array.isArray(role.rules) ? role.rules.filter(isRecord) : [];
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * ` (refused: 403)` or ` (failed: 422)` for a request that did not succeed, `''` otherwise. Rules report attempts
 * too (as Falco does): a refused try at a privileged pod is worth knowing about, but it must not read as done.
 */
export function outcomeNote(event: AuditEvent): string {
  const code = failureCode(event);
  if (code === undefined) return '';
  return code === 401 || code === 403 ? ` (refused: ${code})` : ` (failed: ${code})`;
}

/** The status code of a request that failed (400 and up), or undefined for successes and unknown outcomes. */
export function failureCode(event: AuditEvent): number | undefined {
  const code = event.responseStatus?.code;
  return code !== undefined && code >= 400 ? code : undefined;
}

export function succeededOrUnknown(event: AuditEvent): boolean {
  const code = event.responseStatus?.code;
  return code === undefined || (code >= 200 && code < 300);
}

export function isSystemUserName(name: string): boolean {
  return name.startsWith('system:');
}

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';
const KUBE_SYSTEM_ACCOUNT_PREFIX = 'system:serviceaccount:kube-system:';

/**
 * The control plane's own identities: system: users (nodes, controller manager, scheduler) and kube-system's
 * service accounts. Service accounts of other namespaces belong to workloads, whose tokens a compromised pod hands
 * to the attacker, so rules that leave the control plane out still judge them.
 */
export function isControlPlaneUserName(name: string): boolean {
  return name.startsWith('system:') && (!name.startsWith(SERVICE_ACCOUNT_PREFIX) || name.startsWith(KUBE_SYSTEM_ACCOUNT_PREFIX));
}
