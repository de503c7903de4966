/**
 * Replays recorded audit events under other policies and estimates what each would write. Events are grouped
 * per request (auditID); each request is re-classified by the policy's rules and costed per stage: the metadata of
 * the recorded event, plus the request and response bodies the level would add. Bodies the recording policy did not
 * keep are estimated from bodies of the same resource and verb seen elsewhere in the log, and counted as estimates.
 */
import { AUDIT_STAGES, LEVEL_RANK, type AuditLevel, type AuditStage, type LoggedEvent } from '../event.js';
import { evaluatePolicy } from '../policy/evaluate.js';
import { requestFromEvent } from '../policy/request.js';
import type { AuditPolicy, AuditRequest } from '../policy/types.js';

export interface RuleVolume {
  /** 0-based rule index; -1 for requests no rule matched (level None). */
  readonly index: number;
  readonly line: number | null;
  readonly level: AuditLevel;
  readonly requests: number;
  readonly events: number;
  readonly bytes: number;
}

export interface PolicyVolume {
  readonly file: string;
  readonly events: number;
  readonly bytes: number;
  readonly eventsPerDay: number | null;
  readonly bytesPerDay: number | null;
  /** Bodies this policy would log that the recording did not hold, so their size is an estimate. */
  readonly estimatedBodies: number;
  readonly rules: RuleVolume[];
}

export interface VolumeEstimate {
  readonly requests: number;
  readonly recordedEvents: number;
  readonly recordedBytes: number;
  /** Seconds between the first and last event; per-day figures scale by it. */
  readonly spanSeconds: number | null;
  readonly policies: PolicyVolume[];
}

/** Requests that write a ResponseStarted event: watches and connections that upgrade. */
const LONG_RUNNING_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy']);
const WRITE_VERBS = new Set(['create', 'update', 'patch']);
/** Used only when the log holds no body of the same resource and verb at all. */
const FALLBACK_BODY = { request: 1200, response: 2500 };
/** A per-day figure from less than this much log would be a guess, not an estimate. */
const MIN_SPAN_SECONDS = 60;

interface PendingRequest {
  readonly request: AuditRequest;
  readonly stages: Set<string>;
  /** The largest event of the request without its bodies: what a ResponseComplete costs at Metadata. */
  metadataBytes: number;
  /** What the outcome adds (responseStatus and annotations): events written before it (RequestReceived) lack it. */
  outcomeBytes: number;
  /** Stages recorded in the log, with their size without bodies. */
  readonly stageBytes: Map<string, number>;
  requestBody: number | undefined;
  responseBody: number | undefined;
  managedFields: number;
}

interface Tally {
  events: number;
  bytes: number;
  estimatedBodies: number;
  readonly rules: Map<number, { requests: number; events: number; bytes: number }>;
}

export class VolumeEstimator {
  private readonly pending = new Map<string, PendingRequest>();
  private readonly tallies: Tally[];
  private readonly bodySizes = new Map<string, { total: number; count: number }>();
  private requests = 0;
  private recordedEvents = 0;
  private recordedBytes = 0;
  private first = Infinity;
  private last = -Infinity;
  private anonymous = 0;

  constructor(private readonly policies: readonly AuditPolicy[]) {
    this.tallies = policies.map(() => ({ events: 0, bytes: 0, estimatedBodies: 0, rules: new Map() }));
  }

  add(logged: LoggedEvent): void {
    const { event } = logged;
    this.recordedEvents++;
    this.recordedBytes += logged.bytes;
    this.noteTime(event.requestReceivedTimestamp);
    this.noteTime(event.stageTimestamp);
    const key = event.auditID ?? `#${this.anonymous++}`;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { request: requestFromEvent(event), stages: new Set(), metadataBytes: 0, outcomeBytes: 0, stageBytes: new Map(), requestBody: undefined, responseBody: undefined, managedFields: 0 };
      this.pending.set(key, entry);
    }
    if (event.stage) entry.stages.add(event.stage);
    const requestBody = bodySize(event.requestObject);
    const responseBody = bodySize(event.responseObject);
    const withoutBodies = logged.bytes - (requestBody ?? 0) - (responseBody ?? 0);
    entry.metadataBytes = Math.max(entry.metadataBytes, withoutBodies);
    entry.outcomeBytes = Math.max(entry.outcomeBytes, jsonSize(event.responseStatus, 18) + jsonSize(event.annotations, 15));
    if (event.stage) entry.stageBytes.set(event.stage, withoutBodies);
    if (requestBody !== undefined) {
      entry.requestBody = requestBody;
      this.learn('request', entry.request, requestBody);
    }
    if (responseBody !== undefined) {
      entry.responseBody = responseBody;
      this.learn('response', entry.request, responseBody);
    }
    entry.managedFields = Math.max(entry.managedFields, managedFieldsSize(event.requestObject) + managedFieldsSize(event.responseObject));
    if (event.stage === 'ResponseComplete' || event.stage === 'Panic') {
      this.settle(entry);
      this.pending.delete(key);
    }
  }

  finish(): VolumeEstimate {
    for (const entry of this.pending.values()) this.settle(entry);
    this.pending.clear();
    const span = this.last > this.first ? (this.last - this.first) / 1000 : null;
    const perDay = span !== null && span >= MIN_SPAN_SECONDS ? 86400 / span : null;
    return {
      requests: this.requests,
      recordedEvents: this.recordedEvents,
      recordedBytes: this.recordedBytes,
      spanSeconds: span,
      policies: this.policies.map((policy, index) => {
        const tally = this.tallies[index] as Tally;
        return {
          file: policy.file,
          events: tally.events,
          bytes: tally.bytes,
          eventsPerDay: perDay === null ? null : Math.round(tally.events * perDay),
          bytesPerDay: perDay === null ? null : Math.round(tally.bytes * perDay),
          estimatedBodies: tally.estimatedBodies,
          rules: [...tally.rules]
            .map(([ruleIndex, volume]) => {
              const rule = policy.rules[ruleIndex];
              return { index: ruleIndex, line: rule ? rule.line : null, level: rule ? rule.level : ('None' as AuditLevel), ...volume };
            })
            .sort((a, b) => b.bytes - a.bytes || a.index - b.index),
        };
      }),
    };
  }

  private settle(entry: PendingRequest): void {
    this.requests++;
    const stages = this.stagesOf(entry);
    for (const [index, policy] of this.policies.entries()) {
      const tally = this.tallies[index] as Tally;
      const decision = evaluatePolicy(policy, entry.request);
      const ruleIndex = decision.rule ? decision.rule.index : -1;
      let ruleTally = tally.rules.get(ruleIndex);
      if (!ruleTally) tally.rules.set(ruleIndex, (ruleTally = { requests: 0, events: 0, bytes: 0 }));
      ruleTally.requests++;
      if (decision.level === 'None') continue;
      for (const stage of stages) {
        if (decision.omitStages.includes(stage)) continue;
        const cost = this.eventCost(entry, stage, decision.level, decision.omitManagedFields);
        tally.events++;
        tally.bytes += cost.bytes;
        tally.estimatedBodies += cost.estimated;
        ruleTally.events++;
        ruleTally.bytes += cost.bytes;
      }
    }
  }

  /** Every authenticated request is received and completes; watches and upgraded connections also start a response. */
  private stagesOf(entry: PendingRequest): AuditStage[] {
    // Failed authentication is audited by its own filter, with one event at the stage it was recorded at (upstream
    // writes it when the 401 response starts): there is no RequestReceived or ResponseComplete to add.
    if (entry.request.user === null) return [...entry.stages].filter((stage): stage is AuditStage => AUDIT_STAGES.includes(stage as AuditStage));
    const stages: AuditStage[] = ['RequestReceived'];
    const { verb, subresource } = entry.request;
    if (entry.stages.has('ResponseStarted') || verb === 'watch' || LONG_RUNNING_SUBRESOURCES.has(subresource)) stages.push('ResponseStarted');
    stages.push(entry.stages.has('Panic') ? 'Panic' : 'ResponseComplete');
    return stages;
  }

  private eventCost(entry: PendingRequest, stage: AuditStage, level: AuditLevel, omitManagedFields: boolean): { bytes: number; estimated: number } {
    const base = entry.stageBytes.get(stage) ?? (stage === 'RequestReceived' ? entry.metadataBytes - entry.outcomeBytes : entry.metadataBytes);
    const { request } = entry;
    // Bodies are written only when the request completes, and only for resource requests.
    if ((stage !== 'ResponseComplete' && stage !== 'Panic') || !request.resourceRequest) return { bytes: base, estimated: 0 };
    let bodies = 0;
    let estimated = 0;
    if (LEVEL_RANK[level] >= LEVEL_RANK.Request && WRITE_VERBS.has(request.verb)) {
      if (entry.requestBody !== undefined) bodies += entry.requestBody;
      else {
        bodies += this.typicalBody('request', request);
        estimated++;
      }
    }
    if (level === 'RequestResponse' && request.verb !== 'watch' && !LONG_RUNNING_SUBRESOURCES.has(request.subresource)) {
      if (entry.responseBody !== undefined) bodies += entry.responseBody;
      else {
        bodies += this.typicalBody('response', request);
        estimated++;
      }
    }
    if (omitManagedFields) bodies = Math.max(0, bodies - entry.managedFields);
    return { bytes: base + bodies, estimated };
  }

  private learn(kind: 'request' | 'response', request: AuditRequest, size: number): void {
    const key = bodyKey(kind, request);
    const seen = this.bodySizes.get(key);
    if (seen) {
      seen.total += size;
      seen.count++;
    } else this.bodySizes.set(key, { total: size, count: 1 });
  }

  private typicalBody(kind: 'request' | 'response', request: AuditRequest): number {
    const seen = this.bodySizes.get(bodyKey(kind, request));
    return seen ? Math.round(seen.total / seen.count) : FALLBACK_BODY[kind];
  }

  private noteTime(text: string | undefined): void {
    if (!text) return;
    const time = Date.parse(text);
    if (Number.isNaN(time)) return;
    if (time < this.first) this.first = time;
    if (time > this.last) this.last = time;
  }
}

function bodyKey(kind: string, request: AuditRequest): string {
  return `${kind}|${request.apiGroup}|${request.resource}|${request.subresource}|${request.verb}`;
}

/** Bytes a body takes in the event's JSON, with its key: `,"requestObject":{...}`; undefined when absent. */
function bodySize(body: unknown): number | undefined {
  return body === undefined || body === null ? undefined : jsonSize(body, 18);
}

/** Bytes a field takes in the event's JSON, with its key (`,"annotations":` is 15). */
function jsonSize(value: unknown, keyBytes: number): number {
  return value === undefined || value === null ? 0 : JSON.stringify(value).length + keyBytes;
}

function managedFieldsSize(body: unknown): number {
  return jsonSize((body as { metadata?: { managedFields?: unknown } } | undefined)?.metadata?.managedFields, 17);
}

