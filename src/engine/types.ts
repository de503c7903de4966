import type { KubeVersion } from '../kube/version.js';
import type { FieldPath } from '../vocabulary/field-path.js';
import type { PssLevel, Subject } from '../vocabulary/finding.js';
import type { Severity } from '../vocabulary/severity.js';

export const FRAMEWORKS = ['nsa', 'pss-baseline', 'pss-restricted', 'all'] as const;
export type FrameworkId = (typeof FRAMEWORKS)[number];

/** One behaviour change of a control at a Kubernetes minor version. */
export interface VersionChange {
  readonly minor: number;
  readonly change: string;
}

export interface ControlMeta {
  /** Stable id; never reused for another meaning. */
  readonly id: string;
  readonly title: string;
  readonly rationale: string;
  /** NSA/CISA Kubernetes Hardening Guidance section (v1.2 titles). */
  readonly nsaSection: string;
  /** The Pod Security Standards level and PSA check this control implements, if any. */
  readonly pss: { readonly level: PssLevel; readonly check: string } | null;
  readonly severity: Severity;
  /** Kubernetes versions the control applies to, and how it changes with them. */
  readonly versions: {
    readonly sinceMinor: number;
    /** The last minor version the control applies to, when a later release removed what it checks. */
    readonly untilMinor?: number;
    readonly changes: readonly VersionChange[];
  };
  readonly remediation: { readonly text: string; readonly snippet: string };
  /** The same check in peers' catalogs, by their ids (shown in docs and reports so users can map findings). */
  readonly references: {
    readonly kubescape?: readonly string[];
    readonly trivy?: readonly string[];
    readonly cis?: readonly string[];
    readonly checkov?: readonly string[];
    readonly kubeLinter?: readonly string[];
    readonly kubesec?: readonly string[];
    readonly polaris?: readonly string[];
    readonly kyverno?: readonly string[];
  };
  readonly frameworks: readonly FrameworkId[];
  /**
   * Controls this one replaces when both are evaluated, from the given minor version on.
   * Mirrors PSA's OverrideCheckIDs (e.g. restrictedVolumes replaces hostPathVolumes).
   */
  readonly overrides?: readonly { readonly controlId: string; readonly sinceMinor: number }[];
}

/** Choices the user makes about the environment (flags today, a config file later). */
export interface ScanSettings {
  /** Registries images may come from (`registry.example.com`, `ghcr.io/org`); empty: not checked. */
  readonly allowedRegistries: readonly string[];
  /** Capabilities POD-NO-DANGEROUS-CAPS reports; undefined: its built-in list. */
  readonly dangerousCapabilities: readonly string[] | undefined;
}

export const DEFAULT_SETTINGS: ScanSettings = { allowedRegistries: [], dangerousCapabilities: undefined };

/** What a pod-spec control sees: one pod template, wherever it sits in its object. */
export interface PodContext {
  /** The whole object the template belongs to (its metadata holds the namespace). */
  readonly object: Record<string, unknown>;
  /** The pod spec (`spec` of a Pod, `spec.template.spec` of a Deployment, ...). */
  readonly spec: Record<string, unknown>;
  /** The pod (template) metadata: annotations live here. */
  readonly metadata: Record<string, unknown>;
  /** Path of `spec` from the object root. */
  readonly specPath: FieldPath;
  /** Path of `metadata` from the object root. */
  readonly metadataPath: FieldPath;
  readonly version: KubeVersion;
  readonly settings: ScanSettings;
}

export interface Violation {
  /** Path of the offending field from the object root (it may not exist when a field is missing). */
  readonly path: FieldPath;
  readonly message: string;
}

/** A control over one pod template, wherever its object keeps it (Pod, Deployment, CronJob, Rollout, ...). */
export interface PodControl {
  readonly meta: ControlMeta;
  readonly scope: 'pod';
  /** Set when the control runs only once the user supplied a setting (the reason it is skipped otherwise). */
  readonly requires?: (settings: ScanSettings) => string | undefined;
  check(pod: PodContext): Violation[];
  /** The same check as CEL for a ValidatingAdmissionPolicy (`kubeharden export vap`), or why it cannot be one. */
  readonly admission?: Admission;
}

/** What an object control sees: one whole object of a kind it declared. */
export interface ObjectContext {
  readonly object: Record<string, unknown>;
  readonly version: KubeVersion;
}

/** A control over whole objects of some kinds (ConfigMap, Secret, Service, Ingress, ...). */
export interface ObjectControl {
  readonly meta: ControlMeta;
  readonly scope: 'object';
  /** `Kind` for the core group, `group/Kind` otherwise (e.g. `networking.k8s.io/Ingress`). */
  readonly kinds: readonly string[];
  check(context: ObjectContext): Violation[];
  /** The same check as CEL for a ValidatingAdmissionPolicy (`kubeharden export vap`), or why it cannot be one. */
  readonly admission?: Admission;
}

/** One CEL validation of a ValidatingAdmissionPolicy: true admits; the message names the field and the control id. */
export interface AdmissionValidation {
  readonly expression: string;
  readonly messageExpression: string;
  /**
   * The same check as one predicate over each item of a list (`expression` is `unless || list.all(item, holds)`),
   * so `export vap` can judge several such checks in one comprehension.
   */
  readonly each?: AdmissionEach;
}

/** `unless || list.all(item, holds)`, in parts. */
export interface AdmissionEach {
  /** CEL: the list (`variables.allContainers`). */
  readonly list: string;
  readonly item: string;
  /** CEL over `item`: true when it passes. */
  readonly holds: string;
  /** CEL: true when the object is exempt. */
  readonly unless?: string;
}

/**
 * A control judged by the API server itself. Pod controls' CEL sees the pod template wherever its object keeps it,
 * through the variables `kubeharden export vap` defines (src/enforce/vap/pod-variables.ts): `variables.spec`,
 * `variables.metadata`, `variables.specPath` and `variables.metadataPath` (strings such as
 * `spec.template.spec`), `variables.initContainers`, `variables.containers`, `variables.ephemeralContainers`,
 * `variables.allContainers`, `variables.volumes`, and `variables.windowsPod` and `variables.userNamespacePod` (booleans). Object controls' CEL sees `object`. Settings arrive as the
 * string values of a ConfigMap, `params.data`.
 */
export interface AdmissionRule {
  /** The validations at this version (the version's own semantics, as `check` branches on it). */
  validations(version: KubeVersion): readonly AdmissionValidation[];
  /** The ConfigMap data the CEL reads as `params.data`, from the scanner's settings; absent: no params. */
  readonly params?: (settings: ScanSettings) => Readonly<Record<string, string>>;
}

/** A pod or object control that CEL cannot express on its own object, and why (listed by `export vap`). */
export interface NotAdmissible {
  readonly notAdmissible: string;
}

export type Admission = AdmissionRule | NotAdmissible;

/**
 * The admission rule of an inventory control whose verdict on objects of some kinds needs nothing but the object
 * (an RBAC role's own rules, a binding's subjects and roleRef): exact on every such object alone. Its CEL sees
 * `object`, as an object control's does.
 */
export interface InventoryAdmissionRule extends AdmissionRule {
  /** `group/Kind` of the objects judged (`rbac.authorization.k8s.io/ClusterRoleBinding`). */
  readonly kinds: readonly string[];
  /** What the control also reports that needs another object beside this one; `export vap` lists it, never hides it. */
  readonly notCovered?: string;
}

export interface InventoryViolation {
  readonly subject: Subject;
  readonly message: string;
  /** What the finding is about when the subject is only where it was found (`Namespace/shop`); fingerprints use it. */
  readonly about?: string;
}

/**
 * What an inventory control's check gives: each violation as it is found, then (as the generator's return value)
 * how many things it assessed, for the scores. The scan stores each violation as a finding before the next one is
 * made, so a control over 200,000 Pods never holds all of its violations at once.
 */
export type InventoryJudgement = Generator<InventoryViolation, number, undefined>;

export interface InventoryContext {
  readonly version: KubeVersion;
  /** The user said Namespaces, NetworkPolicies, LimitRanges, quotas and ServiceAccounts live outside the input. */
  readonly namespaceObjectsElsewhere: boolean;
  /** Control-plane components found among the objects, when the scan reads components (`kubeharden cluster`). */
  readonly components?: readonly ScannedComponent[];
}

/** A control-plane component read from a Pod, and the node the Pod runs on (its spec.nodeName). */
export interface ScannedComponent {
  readonly config: import('../components/component-config.js').ComponentConfig;
  readonly nodeName: string | undefined;
}

/** A control over the input as a whole (namespaces, policies and the workloads they cover). */
export interface InventoryControl {
  readonly meta: ControlMeta;
  readonly scope: 'inventory';
  /** True when the control judges only namespace-level objects that may live outside the input. */
  readonly needsNamespaceObjects: boolean;
  /**
   * Set when the control judges a live cluster as a whole (its nodes, its control plane): manifests cannot show
   * that, so elsewhere it is not assessed, for `reason`; and a cluster scan that cannot list `kinds` skips it.
   */
  readonly needsCluster?: { readonly reason: string; readonly kinds: readonly string[] };
  /**
   * Kinds a cluster scan must be able to read when the server serves them (an absent kind shows nothing; a kind
   * the credentials cannot read would hide what the control looks for): unreadable, the control is not assessed.
   */
  readonly needsReadable?: readonly string[];
  /** The part of the check one object shows alone, as CEL (`kubeharden export vap`); absent: it needs other objects. */
  readonly admission?: InventoryAdmissionRule;
  /** Yields each violation as it finds it and returns how many things it assessed (see `InventoryJudgement`). */
  check(inventory: import('./inventory.js').Inventory, context: InventoryContext): InventoryJudgement;
}

/** What a component control sees: one control-plane or node component's flags and configuration. */
export interface ComponentContext {
  readonly component: import('../components/component-config.js').ComponentConfig;
  readonly version: KubeVersion;
}

/**
 * A control over a component's configuration (kube-apiserver flags, a kubelet's KubeletConfiguration, a host's
 * PKI files). It runs only in `kubeharden node` and `kubeharden cluster`, which read those.
 */
export interface ComponentControl {
  readonly meta: ControlMeta;
  readonly scope: 'component';
  readonly components: readonly import('../components/component-config.js').ComponentName[];
  check(context: ComponentContext): readonly (import('../components/component-config.js').ComponentViolation | import('../components/component-config.js').ComponentNotAssessed)[];
}

export type Control = PodControl | ObjectControl | InventoryControl | ComponentControl;
