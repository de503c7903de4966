import { control } from '../../../src/controls/control-plane/scheduler-profiling.js';
import { testComponentControl } from '../../support/component-tester.js';

const CONFIG = '/etc/kubernetes/scheduler-config.yaml';
const config = (extra: string) => `apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nclientConnection:\n  kubeconfig: /etc/kubernetes/scheduler.conf\n${extra}`;

testComponentControl(control, {
  valid: [
    { name: 'off', flags: ['--profiling=false'] },
    { name: '--config turns it off', flags: [`--config=${CONFIG}`], hostFiles: { [CONFIG]: config('enableProfiling: false\n') } },
    { name: '--config the scan cannot read (a live cluster)', flags: [`--config=${CONFIG}`, '--profiling=true'] },
  ],
  invalid: [
    { name: 'unset: on by default', flags: [], messages: [/--profiling is not set, and it defaults to true: \/debug\/pprof on port 10259/] },
    { name: 'on', flags: ['--profiling=true'], messages: [/--profiling=true/] },
    { name: '--profiling=false is ignored with --config', flags: ['--profiling=false', `--config=${CONFIG}`], hostFiles: { [CONFIG]: config('') }, messages: [/scheduler-config\.yaml does not set enableProfiling, which defaults to true: .*ignored with --config/] },
    { name: '--config turns it on', flags: [`--config=${CONFIG}`], hostFiles: { [CONFIG]: config('enableProfiling: true\n') }, messages: [/has enableProfiling: true/] },
    { name: '--config file missing', flags: [`--config=${CONFIG}`], hostFiles: {}, messages: [/no such file: cannot tell whether profiling is on/] },
  ],
});
