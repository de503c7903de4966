import type { KubeVersion } from '../kube/version.js';
import { DEFAULT_SETTINGS, type Control, type FrameworkId, type ScanSettings } from './types.js';

/** Does the framework include this control at all (ignoring version)? */
export function inFramework(control: Control, framework: FrameworkId): boolean {
  if (framework === 'all') return true;
  if (framework === 'pss-baseline') return control.meta.pss?.level === 'baseline';
  if (framework === 'pss-restricted') return control.meta.pss !== null;
  return control.meta.frameworks.includes(framework);
}

export function appliesToVersion(control: Control, version: KubeVersion): boolean {
  return version.minor >= control.meta.versions.sinceMinor;
}

export interface Selection {
  /** Controls that run. */
  readonly active: readonly Control[];
  /** Controls of the framework that do not run at this version, with the reason. */
  readonly skipped: readonly { readonly control: Control; readonly reason: string }[];
}

/**
 * The controls a scan runs: the framework's controls that exist at the version. The PSS frameworks follow PSA's
 * override rule exactly: a stricter check replaces the one it overrides at that version (capabilities_restricted
 * replaces capabilities_baseline from 1.22). Other frameworks keep both, and the engine drops the stricter
 * control's finding where the replaced control already reports the same field.
 */
export interface SelectOptions {
  /** Namespace-level objects live outside the input: controls that judge only them cannot run. */
  readonly namespaceObjectsElsewhere?: boolean;
  readonly settings?: ScanSettings;
}

export function selectControls(
  catalog: readonly Control[],
  framework: FrameworkId,
  version: KubeVersion,
  options: SelectOptions = {},
): Selection {
  const skipped: { control: Control; reason: string }[] = [];
  const candidates = catalog.filter((control) => {
    if (!inFramework(control, framework)) return false;
    const missing = control.scope === 'pod' ? control.requires?.(options.settings ?? DEFAULT_SETTINGS) : undefined;
    if (missing) {
      skipped.push({ control, reason: missing });
      return false;
    }
    if (options.namespaceObjectsElsewhere && control.scope === 'inventory' && control.needsNamespaceObjects) {
      skipped.push({ control, reason: 'namespace-level objects are declared to live elsewhere (--namespace-objects-elsewhere)' });
      return false;
    }
    return true;
  });
  const versioned = candidates.filter((control) => {
    if (appliesToVersion(control, version)) return true;
    skipped.push({ control, reason: `applies from Kubernetes 1.${control.meta.versions.sinceMinor}` });
    return false;
  });
  if (!framework.startsWith('pss-')) return { active: versioned, skipped };
  const replacedBy = new Map<string, string>();
  for (const control of versioned) {
    for (const override of control.meta.overrides ?? []) {
      if (version.minor >= override.sinceMinor) replacedBy.set(override.controlId, control.meta.id);
    }
  }
  const active = versioned.filter((control) => {
    const replacer = replacedBy.get(control.meta.id);
    if (replacer === undefined) return true;
    skipped.push({ control, reason: `replaced by ${replacer} at this version` });
    return false;
  });
  return { active, skipped };
}
