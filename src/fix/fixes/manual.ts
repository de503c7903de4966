import type { ManualFix } from '../fix-module.js';

/** Controls no edit can satisfy without knowing why the workload asked for the power: the decision to make. */
const DECISIONS: Readonly<Record<string, string>> = {
  'POD-NO-PRIVILEGED': 'decide whether the container really needs every host device and capability; grant the few capabilities it uses instead',
  'POD-NO-HOST-NAMESPACES': 'decide whether the pod must share the host network, PID or IPC namespace (node agents may); otherwise remove hostNetwork/hostPID/hostIPC',
  'POD-NO-HOSTPATH': 'decide what the host folder is for: a configMap, secret, emptyDir or persistent volume usually replaces it',
  'POD-NO-SENSITIVE-HOSTPATH': 'decide whether the workload must read this host path (node agents may); otherwise replace the volume',
  'POD-NO-HOST-PORTS': 'decide whether the port must be opened on the node; a Service usually replaces hostPort',
  'POD-CAPS-BASELINE': 'decide whether the container needs the added capability; remove it otherwise',
  'POD-NO-DANGEROUS-CAPS': 'decide whether the container needs the added capability; remove it otherwise',
  'POD-RUN-AS-USER-NOT-ZERO': 'choose the non-root user the image can run as',
  'POD-RESTRICTED-VOLUMES': 'replace the volume type with one restricted allows (configMap, secret, emptyDir, projected, persistentVolumeClaim, ...)',
  'POD-NO-WINDOWS-HOSTPROCESS': 'decide whether the container must run as a Windows host process',
  'POD-SYSCTLS-SAFE': 'decide whether the pod needs this unsafe sysctl (and the node allows it)',
  'POD-SELINUX-RESTRICTED': 'decide on the SELinux type or user the pod needs, among the ones restricted allows',
  'POD-PROCMOUNT-DEFAULT': 'decide whether the container needs an unmasked /proc',
  'POD-PROCMOUNT-RESTRICTED': 'decide whether the container needs an unmasked /proc',
  'POD-SECCOMP-NOT-UNCONFINED': 'decide whether the workload can run under the RuntimeDefault seccomp profile',
  'POD-NO-HOST-PROBES': 'decide whether the probe must reach another host; probe the pod itself otherwise',
};

export const MANUAL_FIXES: readonly ManualFix[] = Object.entries(DECISIONS).map(([controlId, decision]) => ({ controlId, risk: 'manual', decision }));
