/**
 * The control catalog: every control kubeharden knows, in display order.
 * Add a control by writing one file under a family folder and listing it here.
 */
import type { PodControl } from '../engine/types.js';
import * as allowPrivilegeEscalation from './pod-security/allow-privilege-escalation.js';
import * as appArmorProfile from './pod-security/apparmor-profile.js';
import * as capabilitiesBaseline from './pod-security/capabilities-baseline.js';
import * as capabilitiesRestricted from './pod-security/capabilities-restricted.js';
import * as hostNamespaces from './pod-security/host-namespaces.js';
import * as hostPathVolumes from './pod-security/host-path-volumes.js';
import * as hostPorts from './pod-security/host-ports.js';
import * as hostProbes from './pod-security/host-probes.js';
import * as privileged from './pod-security/privileged.js';
import * as procMount from './pod-security/proc-mount.js';
import * as procMountRestricted from './pod-security/proc-mount-restricted.js';
import * as restrictedVolumes from './pod-security/restricted-volumes.js';
import * as runAsNonRoot from './pod-security/run-as-non-root.js';
import * as runAsUser from './pod-security/run-as-user.js';
import * as seccompBaseline from './pod-security/seccomp-baseline.js';
import * as seccompRestricted from './pod-security/seccomp-restricted.js';
import * as seLinuxOptions from './pod-security/selinux-options.js';
import * as sysctls from './pod-security/sysctls.js';
import * as windowsHostProcess from './pod-security/windows-host-process.js';

export const POD_CONTROLS: readonly PodControl[] = [
  // Pod Security Standards: baseline
  hostNamespaces.control,
  privileged.control,
  capabilitiesBaseline.control,
  hostPathVolumes.control,
  hostPorts.control,
  appArmorProfile.control,
  seLinuxOptions.control,
  procMount.control,
  seccompBaseline.control,
  sysctls.control,
  windowsHostProcess.control,
  hostProbes.control,
  // Pod Security Standards: restricted
  restrictedVolumes.control,
  allowPrivilegeEscalation.control,
  runAsNonRoot.control,
  runAsUser.control,
  seccompRestricted.control,
  capabilitiesRestricted.control,
  procMountRestricted.control,
];

export const CONTROLS_BY_ID: ReadonlyMap<string, PodControl> = new Map(POD_CONTROLS.map((c) => [c.meta.id, c]));
