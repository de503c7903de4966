/** Which control-plane component a Pod runs, and its flags: the program the container starts decides, the label only falls back. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { componentFromStaticPod, controlPlaneComponentOf } from '../../src/components/static-pod.js';
import { CONTROLS } from '../../src/controls/index.js';
import { scanInputs } from '../../src/scan/scan.js';
import { TemplatePaths } from '../../src/kube/pod-templates.js';
import { parseKubeVersion } from '../../src/kube/version.js';
import { loadResources, type InputError } from '../../src/loader/source.js';

const pod = (labels: Record<string, string>, containers: object[]) =>
  yaml.dump({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'cp', namespace: 'kube-system', labels }, spec: { hostNetwork: true, containers } });
const image = 'registry.k8s.io/kube-scheduler:v1.37.2';

interface Case {
  readonly name: string;
  readonly manifest: string;
  /** The component, or undefined when the Pod is none. */
  readonly component: string | undefined;
  readonly containerIndex?: number;
  /** Flags read, as name=value, in order. */
  readonly flags?: readonly string[];
  /** Where a flag is located: [flag, field]. */
  readonly at?: readonly [string, string];
}

const CASES: readonly Case[] = [
  {
    name: 'kubeadm: label and command agree',
    manifest: pod({ component: 'kube-apiserver' }, [{ name: 'kube-apiserver', image, command: ['kube-apiserver', '--profiling=false'] }]),
    component: 'kube-apiserver',
    flags: ['profiling=false'],
    at: ['profiling', 'spec.containers[0].command[1] (--profiling)'],
  },
  {
    name: 'labelled kube-apiserver, the command runs kube-scheduler: the command wins',
    manifest: pod({ component: 'kube-apiserver' }, [{ name: 'kube-apiserver', image, command: ['/usr/local/bin/kube-scheduler', '--bind-address=0.0.0.0'] }]),
    component: 'kube-scheduler',
    flags: ['bind-address=0.0.0.0'],
  },
  {
    name: 'labelled etcd, no command, args start with the program: args run',
    manifest: pod({ component: 'etcd' }, [{ name: 'etcd', image, args: ['kube-controller-manager', '--profiling=true'] }]),
    component: 'kube-controller-manager',
    flags: ['profiling=true'],
    at: ['profiling', 'spec.containers[0].args[1] (--profiling)'],
  },
  {
    name: 'labelled kube-apiserver, the command runs nginx: not a component',
    manifest: pod({ component: 'kube-apiserver' }, [{ name: 'kube-apiserver', image: 'nginx', command: ['nginx', '-g', 'daemon off;'] }]),
    component: undefined,
  },
  {
    name: 'go-runner starts the program named after its own flags, which are not the program\'s',
    manifest: pod({ component: 'kube-apiserver' }, [
      { name: 'kube-apiserver', image, command: ['/go-runner', '--log-file=/var/log/kube-scheduler.log', '--also-stdout=false', '/usr/local/bin/kube-scheduler', '--profiling=false'] },
    ]),
    component: 'kube-scheduler',
    flags: ['profiling=false'],
    at: ['profiling', 'spec.containers[0].command[4] (--profiling)'],
  },
  {
    name: 'the program in command, its flags in args',
    manifest: pod({}, [{ name: 'x', image, command: ['etcd'], args: ['--client-cert-auth=true'] }]),
    component: 'etcd',
    flags: ['client-cert-auth=true'],
    at: ['client-cert-auth', 'spec.containers[0].args[0] (--client-cert-auth)'],
  },
  {
    name: 'a shell script hides the program: the label says',
    manifest: pod({ component: 'kube-apiserver' }, [{ name: 'apiserver', image, command: ['/bin/sh', '-c', 'exec kube-apiserver --profiling=false'] }]),
    component: 'kube-apiserver',
  },
  {
    name: 'the image entrypoint with flags only: the label says',
    manifest: pod({ component: 'kube-scheduler' }, [{ name: 'scheduler', image, args: ['--profiling=false'] }]),
    component: 'kube-scheduler',
    flags: ['profiling=false'],
    at: ['profiling', 'spec.containers[0].args[0] (--profiling)'],
  },
  {
    name: 'the image entrypoint, no label: the container name says',
    manifest: pod({}, [{ name: 'kube-controller-manager', image, args: ['--profiling=false'] }]),
    component: 'kube-controller-manager',
    flags: ['profiling=false'],
  },
  {
    name: 'a sidecar first, the component second: the container that runs it',
    manifest: pod({ component: 'kube-apiserver' }, [
      { name: 'konnectivity', image: 'proxy', command: ['/proxy-server', '--mode=grpc'] },
      { name: 'kube-apiserver', image, command: ['kube-apiserver', '--profiling=false'] },
    ]),
    component: 'kube-apiserver',
    containerIndex: 1,
    flags: ['profiling=false'],
  },
  {
    name: 'two components in one pod: the label picks among those the commands run',
    manifest: pod({ component: 'kube-scheduler' }, [
      { name: 'a', image, command: ['kube-controller-manager'] },
      { name: 'b', image, command: ['kube-scheduler', '--profiling=false'] },
    ]),
    component: 'kube-scheduler',
    containerIndex: 1,
  },
  {
    name: 'labelled, two containers whose programs are hidden, none named after it: not judged',
    manifest: pod({ component: 'kube-apiserver' }, [{ name: 'a', image, args: ['--x=1'] }, { name: 'b', image, args: ['--y=2'] }]),
    component: undefined,
  },
];

function load(manifest: string) {
  const errors: InputError[] = [];
  const [resource] = [...loadResources('/etc/kubernetes/manifests/cp.yaml', Buffer.from(manifest), errors, false)];
  assert.deepEqual(errors, []);
  assert.ok(resource);
  return resource;
}

describe('control-plane static pods: the program the container runs decides', () => {
  for (const testCase of CASES) {
    it(testCase.name, () => {
      const resource = load(testCase.manifest);
      const found = controlPlaneComponentOf(resource.object);
      assert.equal(found?.component, testCase.component);
      const config = componentFromStaticPod(resource);
      assert.equal(config?.component, testCase.component);
      if (testCase.containerIndex !== undefined) assert.equal(found?.containerIndex, testCase.containerIndex);
      if (testCase.flags) assert.deepEqual(config?.flags.flags.map((flag) => `${flag.name}=${flag.value}`), testCase.flags);
      if (testCase.at) assert.equal(config?.locate({ flag: testCase.at[0] }).field, testCase.at[1]);
    });
  }
});

describe('the scan (node and cluster) judges a mislabelled static pod by its program', () => {
  it('a pod labelled kube-apiserver whose command is kube-scheduler gets the scheduler\'s controls and none of the API server\'s', async () => {
    const manifest = pod({ component: 'kube-apiserver', tier: 'control-plane' }, [{ name: 'kube-apiserver', image, command: ['kube-scheduler', '--bind-address=0.0.0.0'] }]);
    const errors: InputError[] = [];
    const input = { name: '/etc/kubernetes/manifests/kube-apiserver.yaml', preferJson: false, read: async () => Buffer.from(manifest) };
    const result = await scanInputs([input], errors, { framework: 'all', version: parseKubeVersion('latest'), templatePaths: new TemplatePaths(), components: {} });
    assert.deepEqual(errors, []);
    const judging = (component: string) =>
      new Set(CONTROLS.filter((control) => control.scope === 'component' && control.components.includes(component as never)).map((control) => control.meta.id));
    const apiserver = judging('kube-apiserver');
    const scheduler = judging('kube-scheduler');
    const ids = result.findings.map((finding) => finding.controlId).filter((id) => apiserver.has(id) || scheduler.has(id)).sort();
    assert.deepEqual(ids, ['CP-SCHED-BIND-LOCALHOST', 'CP-SCHED-PROFILING']);
    const ran = result.scores.controls.filter((control) => control.assessed > 0).map((control) => control.id);
    assert.deepEqual(ran.filter((id) => apiserver.has(id)), [], 'no API server control judged it');
    assert.ok(ran.filter((id) => scheduler.has(id)).length >= 2, 'the scheduler\'s controls judged it');
  });
});
