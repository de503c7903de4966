import type { FindingLocation, ResourceRef } from '../vocabulary/finding.js';
import type { FieldPath } from '../vocabulary/field-path.js';
import type { FlagSet } from './flags.js';

export const COMPONENT_NAMES = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kubelet', 'host', 'api-endpoint', 'release'] as const;
/**
 * A control-plane or node component; `host` is the machine itself (its PKI files, kubeconfigs, manifests),
 * `api-endpoint` the API server as seen from outside (what `--probe-anonymous` observed), and `release` the
 * Kubernetes version the cluster or node runs (from the server's /version, or the host's images and packages).
 */
export type ComponentName = (typeof COMPONENT_NAMES)[number];

/** What a component control points at: a flag (present or missing), a configuration-file field, or a host file. */
export type ComponentField = { readonly flag: string } | { readonly config: FieldPath } | { readonly file: string };

export interface ComponentViolation {
  readonly at: ComponentField;
  readonly message: string;
}

/**
 * What a component control returns when it cannot judge this component at all (the file it needs is not
 * readable from a live cluster, the host has no file of that kind): the control then counts as not assessed,
 * never as passed.
 */
export interface ComponentNotAssessed {
  readonly notAssessed: string;
}

/** A file on the scanned host, with what `stat` says about it. */
export interface HostFile {
  /** The path on the host (`/etc/kubernetes/pki/ca.key`), not under the scan root. */
  readonly path: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** What the file is for, as the checks name it (`pki-key`, `pki-cert`, `kubeconfig`, `static-pod-manifest`, …). */
  readonly role: HostFileRole;
}

export type HostFileRole = 'pki-key' | 'pki-cert' | 'pki-dir' | 'kubeconfig' | 'admin-kubeconfig' | 'static-pod-manifest' | 'kubelet-config' | 'etcd-data-dir';

/** Reads a file that a flag names (`--encryption-provider-config`): only a node scan can. */
export interface HostReader {
  read(path: string): { readonly text: string } | { readonly error: string };
}

/** One component's configuration as the controls see it, wherever it was read from. */
export interface ComponentConfig {
  readonly component: ComponentName;
  /** The object the findings are about: the static Pod, the KubeletConfiguration, the Node. */
  readonly resource: ResourceRef;
  readonly flags: FlagSet;
  /** A kubelet's KubeletConfiguration (from its file or from `configz`); undefined when it runs on flags alone. */
  readonly config?: Record<string, unknown>;
  /** Host files (the `host` component). */
  readonly files?: readonly HostFile[];
  /** Files that flags point to, readable when scanning a node; undefined for a live cluster. */
  readonly reader?: HostReader;
  /** `api-endpoint`: the answers to requests sent without credentials. */
  readonly anonymousProbe?: AnonymousProbe;
  /** `release`: the Kubernetes version that runs, and the day support is judged on. */
  readonly release?: RunningRelease;
  /** Where a finding about this field is shown. */
  locate(at: ComponentField): { readonly location: FindingLocation; readonly field: string };
}

/** HTTP statuses the API server gave to requests without any credentials. */
export interface AnonymousProbe {
  /** `GET /version`: 401 when anonymous authentication is off; 200 by default (system:public-info-viewer). */
  readonly version: number;
  /** `GET /api/v1/namespaces`: 401 (anonymous off), 403 (on, not authorized) or 200 (anonymous may list). */
  readonly namespaces: number;
}

/** The Kubernetes version a cluster or node runs, as it was read, and the day its support is judged on. */
export interface RunningRelease {
  /** As written where it was read: `v1.37.2`, `v1.29.3-eks-1-29`, `1.22.17-00`. */
  readonly version: string;
  /** Where it was read, for the message: `the API server's /version`, `kube-apiserver image (/etc/…)`. */
  readonly source: string;
  /** `YYYY-MM-DD` (UTC): today, or `--support-date`; injected so that tests never depend on the clock. */
  readonly day: string;
}
