import type { CatalogFix } from '../../report/catalog.js';
import type { ControlFix } from '../fix-module.js';
import { fix as seccompRequired } from './pod-seccomp-required.js';
import { fix as noPrivilegeEscalation } from './pod-no-priv-escalation.js';
import { fix as capabilitiesDropAll } from './pod-caps-drop-all.js';
import { fix as runAsNonRoot } from './pod-run-as-non-root.js';
import { fix as readOnlyRootFilesystem } from './pod-readonly-rootfs.js';
import { fix as appArmorNotUnconfined } from './pod-apparmor-not-unconfined.js';
import { MANUAL_FIXES } from './manual.js';

/** Every control's fix, in the order they are applied to one object. */
export const CONTROL_FIXES: readonly ControlFix[] = [seccompRequired, noPrivilegeEscalation, capabilitiesDropAll, runAsNonRoot, readOnlyRootFilesystem, appArmorNotUnconfined, ...MANUAL_FIXES];

export const FIX_BY_CONTROL: ReadonlyMap<string, ControlFix> = new Map(CONTROL_FIXES.map((fix) => [fix.controlId, fix]));

/** The catalog's view of the registry: every control, fixed automatically or not. */
export function catalogFix(controlId: string): CatalogFix {
  const fix = FIX_BY_CONTROL.get(controlId);
  if (!fix) return { automatic: false, risk: 'manual', does: 'no automatic fix: follow the remediation' };
  if (fix.risk === 'manual') return { automatic: false, risk: 'manual', does: fix.decision };
  return { automatic: true, risk: fix.risk, does: fix.summary };
}
