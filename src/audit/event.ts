import { isRecord } from '../util/object.js';

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

/**
 * What is wrong with the shape of an event (`user.username must be a string, not a number`), at most a few
 * problems, or an empty list. Every reader checks events here once, so the detections, the estimator and the lint
 * can trust the types above instead of each guarding every field. `null` is taken as absent (Go omits empty
 * fields, hand-written events write null) and removed, so `?.` and `??` see undefined. Bodies
 * (`requestObject`, `responseObject`) stay untyped: the rules read them as arbitrary JSON.
 */
export function auditEventShapeProblems(event: Record<string, unknown>): string[] {
  const problems: string[] = [];
  checkFields(event, EVENT_SHAPE, '', problems);
  return problems.slice(0, MAX_SHAPE_PROBLEMS);
}

const MAX_SHAPE_PROBLEMS = 3;

type FieldShape = 'string' | 'integer' | 'strings' | 'string map' | 'string lists map' | Shape;
interface Shape {
  readonly [field: string]: FieldShape;
}

const USER_SHAPE: Shape = { username: 'string', uid: 'string', groups: 'strings', extra: 'string lists map' };

const EVENT_SHAPE: Shape = {
  kind: 'string',
  apiVersion: 'string',
  level: 'string',
  auditID: 'string',
  stage: 'string',
  requestURI: 'string',
  verb: 'string',
  user: USER_SHAPE,
  impersonatedUser: USER_SHAPE,
  sourceIPs: 'strings',
  userAgent: 'string',
  objectRef: { resource: 'string', namespace: 'string', name: 'string', uid: 'string', apiGroup: 'string', apiVersion: 'string', resourceVersion: 'string', subresource: 'string' },
  responseStatus: { code: 'integer', status: 'string', reason: 'string', message: 'string' },
  requestReceivedTimestamp: 'string',
  stageTimestamp: 'string',
  annotations: 'string map',
};

function checkFields(value: Record<string, unknown>, shape: Shape, prefix: string, problems: string[]): void {
  for (const field of Object.keys(shape)) {
    if (!Object.hasOwn(value, field)) continue;
    const fieldValue = value[field];
    if (fieldValue === null) {
      delete value[field];
      continue;
    }
    const path = `${prefix}${field}`;
    const expected = shape[field] as FieldShape;
    const problem = typeof expected === 'object' ? objectProblem(fieldValue, path, (fields) => checkFields(fields, expected, `${path}.`, problems)) : valueProblem(fieldValue, expected, path);
    if (problem !== undefined) problems.push(problem);
  }
}

function objectProblem(value: unknown, path: string, inside: (fields: Record<string, unknown>) => void): string | undefined {
  if (!isRecord(value)) return `${path} must be an object, not ${describeJson(value)}`;
  inside(value);
  return undefined;
}

function valueProblem(value: unknown, expected: Exclude<FieldShape, Shape>, path: string): string | undefined {
  switch (expected) {
    case 'string':
      return typeof value === 'string' ? undefined : `${path} must be a string, not ${describeJson(value)}`;
    case 'integer':
      return Number.isInteger(value) ? undefined : `${path} must be an integer, not ${describeJson(value)}`;
    case 'strings':
      return listProblem(value, path);
    case 'string map':
    case 'string lists map': {
      if (!isRecord(value)) return `${path} must be an object, not ${describeJson(value)}`;
      for (const [key, item] of Object.entries(value)) {
        const itemPath = `${path}[${JSON.stringify(key.slice(0, 60))}]`;
        const problem = expected === 'string map' ? valueProblem(item, 'string', itemPath) : listProblem(item, itemPath);
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
  }
}

function listProblem(value: unknown, path: string): string | undefined {
  if (!Array.isArray(value)) return `${path} must be a list of strings, not ${describeJson(value)}`;
  const index = value.findIndex((item) => typeof item !== 'string');
  return index === -1 ? undefined : `${path}[${index}] must be a string, not ${describeJson(value[index])}`;
}

/** The JSON type of a value as a reader says it: `a number`, `a list`, `null`. */
function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
