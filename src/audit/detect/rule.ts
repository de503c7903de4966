/**
 * A detection rule over audit events, shaped like an ESLint rule: `meta` (the catalog entry plus what the rule
 * needs the audit policy to record) beside `create`, which returns a listener the engine feeds events to.
 */
import type { ControlMeta } from '../../engine/types.js';
import type { AuditEvent, AuditLevel, AuditStage, LoggedEvent } from '../event.js';
import type { SampleRequest } from '../policy/sample.js';

/** A request the rule must see for it to work: `audit lint` evaluates the policy for it (defaults: `sampleRequest`). */
export type { SampleRequest };

export interface DetectionNeeds {
  /** The lowest level at which the fields the rule reads are recorded (`Request` for request bodies). */
  readonly level: AuditLevel;
  /** The stage the rule fires on; a policy that omits it blinds the rule. */
  readonly stage: AuditStage;
  /** Requests the rule is about; when the policy logs any of them below `level` (or not at all), the rule is blind. */
  readonly requests: readonly SampleRequest[];
}

export interface DetectionMeta extends ControlMeta {
  readonly needs: DetectionNeeds;
  /** The peers' rules this one covers the intent of. */
  readonly covers: { readonly falco?: readonly string[]; readonly elastic?: readonly string[] };
  /** MITRE ATT&CK technique ids. */
  readonly attack: readonly string[];
}

export interface DetectionSettings {
  /** Users whose actions the "unexpected user" rules accept (exact usernames; `system:` users are always trusted). */
  readonly trustedUsers: readonly string[];
  /** Image prefixes whose pods may run in kube-system and kube-public (`registry.k8s.io/`). */
  readonly trustedImages: readonly string[];
  /** Requests of one kind (forbidden, unauthenticated) from one source within the window that make a burst. */
  readonly burstThreshold: number;
  readonly burstWindowSeconds: number;
}

export const DEFAULT_DETECTION_SETTINGS: DetectionSettings = {
  trustedUsers: [],
  // The Kubernetes project's registries: the control plane and its add-ons come from here.
  trustedImages: ['registry.k8s.io/', 'k8s.gcr.io/', 'gcr.io/google-containers/', 'gcr.io/google_containers/'],
  burstThreshold: 20,
  burstWindowSeconds: 60,
};

/** One detection: the event it is about, what happened, and the field of the event that shows it. */
export interface DetectionHit {
  readonly logged: LoggedEvent;
  readonly message: string;
  /** Path in the event (`requestObject.spec.hostNetwork`), `''` for the event as a whole. */
  readonly field: string;
}

export interface DetectionContext {
  readonly settings: DetectionSettings;
  report(hit: DetectionHit): void;
}

export interface DetectionListener {
  event(logged: LoggedEvent): void;
  /** Called once after the last event, for rules that aggregate (bursts). */
  end?(): void;
  /**
   * Rules that remember earlier events (burst counters, open exec sessions) hand that memory out as plain JSON, so
   * a long-running `audit serve` can keep it across a restart. Stateless rules leave both out.
   */
  saveState?(): unknown;
  /** Takes back what `saveState` gave; throws on a value of the wrong shape (the caller then starts this rule afresh). */
  restoreState?(saved: unknown): void;
}

export interface DetectionRule {
  readonly meta: DetectionMeta;
  /**
   * `resource` or `resource/subresource` strings the rule looks at; the engine hands it only those events.
   * Absent: every event (rules about users or responses rather than resources).
   */
  readonly resources?: readonly string[];
  create(context: DetectionContext): DetectionListener;
}

/** The `resource` or `resource/subresource` an event is about, `''` for non-resource requests. */
export function resourceKey(event: AuditEvent): string {
  const ref = event.objectRef;
  if (!ref?.resource) return '';
  return ref.subresource ? `${ref.resource}/${ref.subresource}` : ref.resource;
}
