/**
 * The audit.k8s.io/v1 Event as kube-apiserver writes it (one JSON object per line in a log backend file).
 * Only the fields kubeharden reads are typed; everything else is tolerated and ignored.
 */
export const AUDIT_LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type AuditLevel = (typeof AUDIT_LEVELS)[number];

/** Higher records more; a rule needing `Request` is blind under `Metadata`. */
export const LEVEL_RANK: Record<AuditLevel, number> = { None: 0, Metadata: 1, Request: 2, RequestResponse: 3 };

export const AUDIT_STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
export type AuditStage = (typeof AUDIT_STAGES)[number];

export interface AuditUser {
  readonly username?: string;
  readonly uid?: string;
  readonly groups?: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

export interface AuditObjectRef {
  readonly resource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly uid?: string;
  readonly apiGroup?: string;
  readonly apiVersion?: string;
  readonly resourceVersion?: string;
  readonly subresource?: string;
}

export interface AuditEvent {
  readonly kind?: string;
  readonly apiVersion?: string;
  readonly level?: string;
  readonly auditID?: string;
  readonly stage?: string;
  readonly requestURI?: string;
  readonly verb?: string;
  readonly user?: AuditUser;
  readonly impersonatedUser?: AuditUser;
  readonly sourceIPs?: readonly string[];
  readonly userAgent?: string;
  readonly objectRef?: AuditObjectRef;
  readonly responseStatus?: { readonly code?: number; readonly status?: string; readonly reason?: string; readonly message?: string };
  readonly requestObject?: unknown;
  readonly responseObject?: unknown;
  readonly requestReceivedTimestamp?: string;
  readonly stageTimestamp?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** An event as read from a log: where it was, so findings can point at the line. */
export interface LoggedEvent {
  readonly event: AuditEvent;
  readonly file: string;
  /** 1-based line of the event in its file (the first line of a pretty-printed JSON event). */
  readonly line: number;
  /** Bytes the event took in the log, newline included: the basis of volume estimates. */
  readonly bytes: number;
}

export function isAuditLevel(value: unknown): value is AuditLevel {
  return typeof value === 'string' && (AUDIT_LEVELS as readonly string[]).includes(value);
}

export function isAuditStage(value: unknown): value is AuditStage {
  return typeof value === 'string' && (AUDIT_STAGES as readonly string[]).includes(value);
}

/** The authorizer's verdict the API server annotates (`allow` / `forbid`), if recorded. */
export function decisionOf(event: AuditEvent): string | undefined {
  return event.annotations?.['authorization.k8s.io/decision'];
}
