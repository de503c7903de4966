/**
 * Audit events as managed Kubernetes services export them, turned back into the API server's own `audit.k8s.io`
 * events so the detection rules and volume estimates read them unchanged. The format is recognised per JSON value,
 * so a file may mix them (and plain events) line by line:
 *
 * - Amazon EKS, CloudWatch Logs: the API server's event as a JSON string in `message` — one log event per line
 *   (`{"timestamp":…,"message":"{…}"}`), `aws logs filter-log-events` output (`{"events":[…]}`), or a
 *   subscription filter's payload (`{"logEvents":[…]}`). The event is the API server's own, unchanged.
 * - Azure AKS diagnostic logs (`kube-audit` and `kube-audit-admin` categories): the event as a JSON string in
 *   `properties.log`, one record per line or `{"records":[…]}` as Event Hubs and storage accounts deliver them; and
 *   rows of the resource-specific `AKSAudit` / `AKSAuditAdmin` tables (the event's fields, capitalised).
 * - Google GKE, Cloud Logging: a `LogEntry` whose `protoPayload` is a `google.cloud.audit.AuditLog` — not the API
 *   server's event but a translation of it, mapped back field by field (see `fromGkeEntry`). `gcloud logging read
 *   --format=json` prints a JSON array of entries; arrays are read item by item.
 */
import { isRecord, stringOf } from '../../util/object.js';

export type ManagedLogFormat = 'eks-cloudwatch' | 'aks-diagnostics' | 'aks-table' | 'gke-cloud-logging';

/** What a JSON value of a managed service's log holds: events (as the API server writes them) or why none. */
export interface ManagedEvents {
  readonly format: ManagedLogFormat;
  /** Each item: an audit event, or a problem with that item (its index among the value's items). */
  readonly items: readonly ({ readonly event: Record<string, unknown> } | { readonly problem: string })[];
}

const AKS_CATEGORIES = new Set(['kube-audit', 'kube-audit-admin']);

/** The events a managed service's log value holds, or undefined when the value is not of a known managed format. */
export function managedEvents(value: unknown): ManagedEvents | undefined {
  if (Array.isArray(value)) {
    // gcloud logging read --format=json: an array of LogEntry objects.
    if (value.length > 0 && value.every(isGkeEntry)) return { format: 'gke-cloud-logging', items: value.map((entry) => fromGke(entry as Record<string, unknown>)) };
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  if (isGkeEntry(value)) return { format: 'gke-cloud-logging', items: [fromGke(value)] };
  if (Array.isArray(value['events']) && value['events'].every(isCloudWatchEvent)) return { format: 'eks-cloudwatch', items: value['events'].map(fromMessage) };
  if (Array.isArray(value['logEvents']) && value['logEvents'].every(isCloudWatchEvent)) return { format: 'eks-cloudwatch', items: value['logEvents'].map(fromMessage) };
  if (isCloudWatchEvent(value)) return { format: 'eks-cloudwatch', items: [fromMessage(value)] };
  if (Array.isArray(value['records']) && value['records'].length > 0 && value['records'].every(isRecord)) {
    const audit = value['records'].filter((record) => isAksRecord(record));
    // Diagnostic settings send every category to one place; only the audit categories hold audit events.
    if (audit.length > 0 || value['records'].every((record) => typeof record['category'] === 'string')) return { format: 'aks-diagnostics', items: audit.map(fromAksRecord) };
    return undefined;
  }
  if (isAksRecord(value)) return { format: 'aks-diagnostics', items: [fromAksRecord(value)] };
  if (isAksTableRow(value)) return { format: 'aks-table', items: [fromAksTableRow(value)] };
  return undefined;
}

/** A CloudWatch Logs event whose message is a JSON object (an EKS audit log line). */
function isCloudWatchEvent(value: unknown): value is { message: string } {
  return isRecord(value) && typeof value['message'] === 'string' && value['message'].trimStart().startsWith('{') && ('timestamp' in value || 'ingestionTime' in value || 'logStreamName' in value || 'id' in value || 'eventId' in value);
}

function fromMessage(value: { message: string }): { event: Record<string, unknown> } | { problem: string } {
  return parseEmbedded(value.message, 'message');
}

function isAksRecord(value: Record<string, unknown>): boolean {
  return typeof value['category'] === 'string' && AKS_CATEGORIES.has(value['category'].toLowerCase()) && isRecord(value['properties']);
}

function fromAksRecord(record: Record<string, unknown>): { event: Record<string, unknown> } | { problem: string } {
  const properties = record['properties'] as Record<string, unknown>;
  const log = properties['log'];
  if (isRecord(log)) return { event: log };
  if (typeof log !== 'string') return { problem: 'properties.log is missing: not an audit record' };
  return parseEmbedded(log, 'properties.log');
}

function parseEmbedded(text: string, field: string): { event: Record<string, unknown> } | { problem: string } {
  try {
    const event: unknown = JSON.parse(text);
    return isRecord(event) ? { event } : { problem: `${field} is not a JSON object` };
  } catch (error) {
    return { problem: `${field} is not JSON: ${(error as Error).message}` };
  }
}

/** AKSAudit / AKSAuditAdmin rows: the event's fields with capitalised names (Log Analytics' resource-specific tables). */
const AKS_TABLE_FIELDS: readonly (readonly [string, string])[] = [
  ['Level', 'level'],
  ['AuditId', 'auditID'],
  ['Stage', 'stage'],
  ['RequestUri', 'requestURI'],
  ['Verb', 'verb'],
  ['User', 'user'],
  ['ImpersonatedUser', 'impersonatedUser'],
  ['SourceIps', 'sourceIPs'],
  ['UserAgent', 'userAgent'],
  ['ObjectRef', 'objectRef'],
  ['ResponseStatus', 'responseStatus'],
  ['RequestObject', 'requestObject'],
  ['ResponseObject', 'responseObject'],
  ['RequestReceivedTime', 'requestReceivedTimestamp'],
  ['StageReceivedTime', 'stageTimestamp'],
  ['Annotations', 'annotations'],
];

function isAksTableRow(value: Record<string, unknown>): boolean {
  return typeof value['AuditId'] === 'string' && typeof value['Verb'] === 'string' && typeof value['RequestUri'] === 'string';
}

function fromAksTableRow(row: Record<string, unknown>): { event: Record<string, unknown> } {
  const event: Record<string, unknown> = { kind: 'Event', apiVersion: 'audit.k8s.io/v1' };
  for (const [column, field] of AKS_TABLE_FIELDS) {
    let value = row[column];
    // Exports write dynamic columns as JSON text.
    if (typeof value === 'string' && /^[[{]/.test(value) && field !== 'requestURI') {
      try {
        value = JSON.parse(value);
      } catch {
        // kept as text: the shape check reports it if the field must be an object
      }
    }
    // "skipped-too-big-size-object" stands for a body AKS did not keep: the event has none.
    if (value === undefined || value === null || value === '' || value === 'skipped-too-big-size-object') continue;
    event[field] = value;
  }
  return { event };
}

function isGkeEntry(value: unknown): boolean {
  if (!isRecord(value) || !isRecord(value['protoPayload'])) return false;
  const payload = value['protoPayload'];
  return stringOf(payload['@type'] ?? '').endsWith('google.cloud.audit.AuditLog') && (payload['serviceName'] === 'k8s.io' || stringOf(payload['methodName'] ?? '').startsWith('io.k8s.'));
}

function fromGke(entry: Record<string, unknown>): { event: Record<string, unknown> } | { problem: string } {
  try {
    return { event: fromGkeEntry(entry) };
  } catch (error) {
    return { problem: `GKE entry not understood: ${(error as Error).message}` };
  }
}

/** google.rpc.Code → the HTTP status the API server answered with (the codes GKE's translation uses). */
const RPC_TO_HTTP: Readonly<Record<number, number>> = { 1: 499, 2: 500, 3: 400, 4: 504, 5: 404, 6: 409, 7: 403, 8: 429, 9: 400, 10: 409, 11: 400, 12: 501, 13: 500, 14: 503, 15: 500, 16: 401 };

/**
 * An API server event from a GKE Cloud Logging entry. What GKE keeps maps back exactly (user, source IP, user agent,
 * verb, resource, namespace, name, subresource, request and response bodies, the authorizer's decision and reason
 * from the entry's labels, time, outcome from `status.code`). What GKE drops is inferred and marked: the groups
 * every API server adds to anonymous users and service accounts (`system:unauthenticated`,
 * `system:serviceaccounts…`, `system:authenticated`; a user's other groups are unknown), the stage
 * (ResponseComplete, ResponseStarted for exec/attach/portforward streams) and the level (RequestResponse when a
 * body was kept, else Metadata). The event carries `kubeharden.io/source-format: gke-cloud-logging`.
 */
export function fromGkeEntry(entry: Record<string, unknown>): Record<string, unknown> {
  const payload = entry['protoPayload'] as Record<string, unknown>;
  const methodName = stringOf(payload['methodName'] ?? '');
  const resourceName = typeof payload['resourceName'] === 'string' ? payload['resourceName'] : '';
  const verb = methodName.split('.').at(-1) ?? '';
  if (verb === '') throw new Error('protoPayload.methodName is missing');
  const objectRef = objectRefOf(resourceName);
  const authentication = isRecord(payload['authenticationInfo']) ? payload['authenticationInfo'] : {};
  const username = typeof authentication['principalEmail'] === 'string' ? authentication['principalEmail'] : '';
  const metadata = isRecord(payload['requestMetadata']) ? payload['requestMetadata'] : {};
  const status = isRecord(payload['status']) ? payload['status'] : {};
  const rpcCode = typeof status['code'] === 'number' ? status['code'] : 0;
  const code = rpcCode === 0 ? (verb === 'create' ? 201 : 200) : (RPC_TO_HTTP[rpcCode] ?? 500);
  const streaming = objectRef?.['subresource'] === 'exec' || objectRef?.['subresource'] === 'attach' || objectRef?.['subresource'] === 'portforward';
  const labels = isRecord(entry['labels']) ? entry['labels'] : {};
  const annotations: Record<string, string> = { 'kubeharden.io/source-format': 'gke-cloud-logging' };
  for (const [key, value] of Object.entries(labels)) if (typeof value === 'string') annotations[key] = value;
  const request = isRecord(payload['request']) ? withoutProtoType(payload['request']) : undefined;
  const response = isRecord(payload['response']) ? withoutProtoType(payload['response']) : undefined;
  const time = typeof entry['timestamp'] === 'string' ? entry['timestamp'] : typeof entry['receiveTimestamp'] === 'string' ? entry['receiveTimestamp'] : undefined;
  const event: Record<string, unknown> = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: request || response ? 'RequestResponse' : 'Metadata',
    auditID: stringOf(entry['insertId'] ?? (isRecord(entry['operation']) ? entry['operation']['id'] : '') ?? ''),
    stage: streaming ? 'ResponseStarted' : 'ResponseComplete',
    requestURI: requestUriOf(resourceName, objectRef, verb),
    verb,
    user: { username, groups: impliedGroups(username) },
    sourceIPs: typeof metadata['callerIp'] === 'string' ? [metadata['callerIp']] : [],
    responseStatus: { code: streaming && code < 300 ? 101 : code, ...(typeof status['message'] === 'string' && status['message'] !== '' ? { message: status['message'] } : {}) },
    annotations,
  };
  if (typeof metadata['callerSuppliedUserAgent'] === 'string') event['userAgent'] = metadata['callerSuppliedUserAgent'];
  if (objectRef) event['objectRef'] = objectRef;
  if (request) event['requestObject'] = request;
  if (response) event['responseObject'] = response;
  if (time) {
    event['requestReceivedTimestamp'] = time;
    event['stageTimestamp'] = time;
  }
  return event;
}

/** `core/v1/namespaces/ns/pods/name/exec`, `rbac.authorization.k8s.io/v1/clusterrolebindings/name`, … */
function objectRefOf(resourceName: string): Record<string, string> | undefined {
  const parts = resourceName.split('/').filter((part) => part !== '');
  if (parts.length < 3) return undefined;
  const [group, version] = parts as [string, string];
  const ref: Record<string, string> = { apiGroup: group === 'core' ? '' : group, apiVersion: version };
  let rest = parts.slice(2);
  // `namespaces/NAME` is a namespaced path unless it is the Namespace object itself (namespaces/NAME alone).
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    ref['namespace'] = rest[1] as string;
    rest = rest.slice(2);
  }
  ref['resource'] = rest[0] as string;
  if (rest[1] !== undefined) ref['name'] = rest[1];
  if (rest[2] !== undefined) ref['subresource'] = rest.slice(2).join('/');
  if (ref['apiGroup'] === '') delete ref['apiGroup'];
  return ref;
}

/**
 * The request path the API server served: /api/v1/… for the core group, /apis/GROUP/VERSION/… for the others. A
 * create is posted to the collection, so the new object's name (which GKE's resourceName names) is not in it. The
 * query (an exec's command, a watch's selectors) is not in GKE's entry at all.
 */
function requestUriOf(resourceName: string, objectRef: Record<string, string> | undefined, verb: string): string {
  if (!objectRef) return `/${resourceName.replace(/^\/+/, '')}`;
  let parts = resourceName.split('/').filter((part) => part !== '').slice(2);
  if (verb === 'create' && objectRef['name'] !== undefined && objectRef['subresource'] === undefined) parts = parts.slice(0, -1);
  const rest = parts.join('/');
  return objectRef['apiGroup'] ? `/apis/${objectRef['apiGroup']}/${objectRef['apiVersion']}/${rest}` : `/api/${objectRef['apiVersion']}/${rest}`;
}

/** The groups the API server always gives these users; GKE's entries leave groups out. */
function impliedGroups(username: string): string[] {
  if (username === 'system:anonymous') return ['system:unauthenticated'];
  const serviceAccount = /^system:serviceaccount:([^:]+):[^:]+$/.exec(username);
  if (serviceAccount) return ['system:serviceaccounts', `system:serviceaccounts:${serviceAccount[1]}`, 'system:authenticated'];
  return username === '' ? [] : ['system:authenticated'];
}

function withoutProtoType(value: Record<string, unknown>): Record<string, unknown> {
  const { ['@type']: _type, ...rest } = value;
  return rest;
}
