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
  const { sinceMinor, untilMinor } = control.meta.versions;
  return version.minor >= sinceMinor && (untilMinor === undefined || version.minor <= untilMinor);
}

/** `1.0+`, `1.25+`, `≤1.23` or `1.20–1.23`: the versions a control applies to. */
export function versionRange(meta: Control['meta']): string {
  const { sinceMinor, untilMinor } = meta.versions;
  if (untilMinor === undefined) return `1.${sinceMinor}+`;
  return sinceMinor === 0 ? `≤1.${untilMinor}` : `1.${sinceMinor}–1.${untilMinor}`;
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
  /**
   * The scan reads component configuration (`kubeharden node`, `kubeharden cluster`). Without it, component
   * controls are left out altogether: a manifest scan has nothing for them to judge.
   */
  readonly components?: boolean;
  /** Only component controls of these components (`kubeharden node` judges configuration, not workloads). */
  readonly onlyComponents?: readonly string[];
  /** Controls that cannot judge this input, with the reason (a live cluster whose NetworkPolicies may not be listed). */
  readonly excluded?: ReadonlyMap<string, string>;
}

export function selectControls(
  catalog: readonly Control[],
  framework: FrameworkId,
  version: KubeVersion,
  options: SelectOptions = {},
): Selection {
  // A process scans many inputs with the same options (the bench, `serve`, a chart per directory): the selection is
  // made once per catalog and options, and its arrays, being the same, let the engine's per-list tables (controls
  // by scope, score runs) be reused too. The selection is read-only to every caller.
  const key = JSON.stringify([framework, version.minor, options.namespaceObjectsElsewhere ?? false, options.settings ?? DEFAULT_SETTINGS, options.components ?? false, options.onlyComponents ?? null, options.excluded ? [...options.excluded] : null]);
  let selections = SELECTIONS.get(catalog);
  if (!selections) SELECTIONS.set(catalog, (selections = new Map()));
  let selection = selections.get(key);
  if (!selection) {
    // Bounded: a long-running process that sees ever new options (exclusions) keeps only the latest few.
    if (selections.size >= 32) selections.clear();
    selections.set(key, (selection = select(catalog, framework, version, options)));
  }
  return selection;
}

const SELECTIONS = new WeakMap<readonly Control[], Map<string, Selection>>();

function select(catalog: readonly Control[], framework: FrameworkId, version: KubeVersion, options: SelectOptions): Selection {
  const skipped: { control: Control; reason: string }[] = [];
  const candidates = catalog.filter((control) => {
    if (!inFramework(control, framework)) return false;
    if (control.scope === 'component' && !options.components) return false;
    if (options.onlyComponents && (control.scope !== 'component' || !control.components.some((name) => options.onlyComponents?.includes(name)))) return false;
    const excludedBecause = options.excluded?.get(control.meta.id);
    if (excludedBecause !== undefined) {
      skipped.push({ control, reason: excludedBecause });
      return false;
    }
    const missing = control.scope === 'pod' ? control.requires?.(options.settings ?? DEFAULT_SETTINGS) : undefined;
    if (missing) {
      skipped.push({ control, reason: missing });
      return false;
    }
    if (control.scope === 'inventory' && control.needsCluster && !options.components) {
      skipped.push({ control, reason: control.needsCluster.reason });
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
    const { sinceMinor, untilMinor } = control.meta.versions;
    skipped.push({
      control,
      reason: version.minor < sinceMinor ? `applies from Kubernetes 1.${sinceMinor}` : `applies up to Kubernetes 1.${untilMinor ?? 0}: later releases removed what it checks`,
    });
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
