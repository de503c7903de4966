import type { AuditLevel, AuditStage } from '../event.js';

/** A `resources` entry of a rule: one API group and resource strings in it (pods, pods/log, a wildcard, a subresource wildcard). */
export interface GroupResources {
  /** `""` is the core group; there is no group wildcard. */
  readonly group: string;
  readonly resources: readonly string[];
  readonly resourceNames: readonly string[];
}

/** One rule of an audit.k8s.io/v1 Policy, as loaded (lists empty where the file leaves them out). */
export interface AuditPolicyRule {
  /** 0-based position in `rules`. */
  readonly index: number;
  readonly level: AuditLevel;
  readonly users: readonly string[];
  readonly userGroups: readonly string[];
  readonly verbs: readonly string[];
  readonly resources: readonly GroupResources[];
  readonly namespaces: readonly string[];
  readonly nonResourceURLs: readonly string[];
  /** The rule's own omitStages; evaluation unions them with the policy's. */
  readonly omitStages: readonly AuditStage[];
  /** Unset: the policy's value applies. */
  readonly omitManagedFields?: boolean;
  /** Where the rule starts in its file (1-based), for messages. */
  readonly line: number;
  readonly column: number;
}

export interface AuditPolicy {
  readonly file: string;
  readonly name?: string;
  readonly omitStages: readonly AuditStage[];
  readonly omitManagedFields: boolean;
  readonly rules: readonly AuditPolicyRule[];
  /** Where `rules` (or the policy) starts, for findings about the policy as a whole. */
  readonly line: number;
}

/** The user of a request; absent for requests that failed authentication. */
export interface RequestUser {
  readonly name: string;
  readonly groups: readonly string[];
}

/** What the API server knows about a request when the audit filter runs (upstream's authorizer.Attributes). */
export interface AuditRequest {
  readonly user: RequestUser | null;
  readonly verb: string;
  readonly resourceRequest: boolean;
  /** `""` for cluster-scoped objects and for all-namespace list/watch. */
  readonly namespace: string;
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource: string;
  readonly name: string;
  /** URL path without the query, for non-resource requests. */
  readonly path: string;
}

/** What a policy decides for one request: the level, the stages to skip, and whether managed fields are dropped. */
export interface AuditDecision {
  readonly level: AuditLevel;
  readonly omitStages: readonly AuditStage[];
  readonly omitManagedFields: boolean;
  /** The first rule that matched; undefined when none did (level None). */
  readonly rule?: AuditPolicyRule;
}
