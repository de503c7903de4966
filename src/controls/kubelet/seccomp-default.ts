import type { ComponentControl, ControlMeta } from '../../engine/types.js';
import { boolSetting, requireBool } from './setting.js';

export const meta: ControlMeta = {
  id: 'NODE-KUBELET-SECCOMP-DEFAULT',
  title: 'The kubelet should run containers with the RuntimeDefault seccomp profile by default',
  rationale:
    'Without seccompDefault every container that does not ask for a profile runs Unconfined, with the whole syscall ' +
    'surface of the kernel. seccompDefault defaults to false with and without a configuration file.',
  nsaSection: 'Kubernetes Pod security › Pod security enforcement (seccomp)',
  pss: null,
  severity: 'medium',
  versions: {
    sinceMinor: 25,
    changes: [{ minor: 27, change: 'the SeccompDefault feature is GA (its gate is locked on); from 1.25 it was beta and on by default, before that alpha.' }],
  },
  remediation: {
    text: 'Set seccompDefault: true in the KubeletConfiguration (or --seccomp-default), after checking that workloads run under the runtime\'s default profile.',
    snippet: 'seccompDefault: true\n',
  },
  references: { cis: ['4.2.14'] },
  frameworks: ['nsa'],
};

const seccomp = boolSetting('seccomp-default', ['seccompDefault'], false);

export const control: ComponentControl = {
  meta,
  scope: 'component',
  components: ['kubelet'],
  check: ({ component }) => requireBool(component, seccomp, true, 'containers without a seccomp profile run Unconfined'),
};
