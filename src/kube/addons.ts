/**
 * Cluster add-ons that are risky just by running, recognised by their image wherever they are deployed
 * (Deployment, Pod, Helm chart...): the Kubernetes Dashboard and Helm v2's Tiller.
 */
import type { FieldPath } from '../vocabulary/field-path.js';
import { array, type Json } from '../util/object.js';
import { containerImages } from './image-reference.js';

export type AddonName = 'dashboard' | 'tiller';

export interface AddonContainer {
  readonly addon: AddonName;
  readonly container: string;
  readonly image: string;
  /** The image tag (`v2.0.0-rc4`), or undefined when the reference has none. */
  readonly version: string | undefined;
  /** Arguments the add-on is known to be dangerous with, as written (`--enable-skip-login`). */
  readonly riskyArgs: readonly string[];
  readonly path: FieldPath;
}

/** kubernetesui/dashboard (v2+, and the web module of v3+), and the v1 images k8s.gcr.io/kubernetes-dashboard-<arch>. */
const DASHBOARD = /(^|\/)(kubernetesui\/dashboard(-web)?|kubernetes-dashboard(-(amd64|arm|arm64|ppc64le|s390x))?)$/;
/** gcr.io/kubernetes-helm/tiller and ghcr.io/helm/tiller. */
const TILLER = /(^|\/)(kubernetes-helm|helm)\/tiller$/;

/** Dashboard flags that let visitors in without credentials or over plain HTTP (value `false` turns them off). */
const DASHBOARD_RISKY_FLAGS = ['--enable-skip-login', '--enable-insecure-login'];

export function findAddons(spec: Json, specPath: FieldPath): AddonContainer[] {
  const found: AddonContainer[] = [];
  for (const { ref, image, parsed } of containerImages(spec, specPath)) {
    const repository = parsed.repository.toLowerCase();
    const addon: AddonName | undefined = DASHBOARD.test(repository) ? 'dashboard' : TILLER.test(repository) ? 'tiller' : undefined;
    if (!addon) continue;
    const args = [...array(ref.container.command), ...array(ref.container.args)].filter((arg): arg is string => typeof arg === 'string');
    const riskyArgs = addon === 'dashboard'
      ? args.filter((arg) => DASHBOARD_RISKY_FLAGS.some((flag) => arg === flag || (arg.startsWith(`${flag}=`) && arg.slice(flag.length + 1).toLowerCase() !== 'false')))
      : [];
    found.push({ addon, container: ref.name, image, version: parsed.tag, riskyArgs, path: [...ref.path, 'image'] });
  }
  return found;
}

/** Major and minor of a tag like `v1.10.1` or `2.7.0-beta`, when it is one. */
export function tagVersion(tag: string | undefined): { major: number; minor: number } | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(tag ?? '');
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}
