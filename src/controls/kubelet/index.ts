/** Kubelet configuration: flags and KubeletConfiguration, with the defaults of each way of configuring it. */
import type { Control } from '../../engine/types.js';
import * as anonymousAuth from './anonymous-auth.js';
import * as authzWebhook from './authz-webhook.js';
import * as certRotation from './cert-rotation.js';
import * as clientCA from './client-ca.js';
import * as hostnameOverride from './hostname-override.js';
import * as iptables from './iptables.js';
import * as protectKernel from './protect-kernel.js';
import * as readOnlyPort from './readonly-port.js';
import * as seccompDefault from './seccomp-default.js';
import * as streamingTimeout from './streaming-timeout.js';
import * as tls from './tls.js';

export const KUBELET_CONTROLS: readonly Control[] = [
  anonymousAuth.control,
  authzWebhook.control,
  clientCA.control,
  readOnlyPort.control,
  tls.control,
  certRotation.control,
  seccompDefault.control,
  streamingTimeout.control,
  iptables.control,
  hostnameOverride.control,
  protectKernel.control,
];
