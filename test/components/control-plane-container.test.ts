/** Which control-plane component a container runs, by the binary in its command, and which flags are its own. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { controlPlaneComponentOfContainer, controlPlaneComponentsIn } from '../../src/components/control-plane-container.js';
import { podTemplateOf } from '../../src/kube/pod-templates.js';
import { loadResources, type InputError } from '../../src/loader/source.js';

describe('controlPlaneComponentOfContainer', () => {
  const cases: { name: string; container: unknown; expected: string | undefined }[] = [
    { name: 'the binary alone', container: { name: 'x', command: ['kube-apiserver', '--secure-port=6443'] }, expected: 'kube-apiserver' },
    { name: 'the binary by its path', container: { command: ['/usr/local/bin/kube-controller-manager'], args: ['--profiling=false'] }, expected: 'kube-controller-manager' },
    { name: 'etcd', container: { command: ['etcd', '--data-dir=/var/lib/etcd'] }, expected: 'etcd' },
    { name: 'go-runner wrapping the binary', container: { command: ['/go-runner', '--log-file=/var/log/kube-scheduler.log', '--also-stdout=false', '/usr/local/bin/kube-scheduler', '--v=2'] }, expected: 'kube-scheduler' },
    { name: 'hyperkube with the binary name', container: { command: ['/hyperkube', 'kube-apiserver', '--anonymous-auth=false'] }, expected: 'kube-apiserver' },
    { name: "hyperkube with its old alias", container: { command: ['/hyperkube', 'controller-manager'] }, expected: 'kube-controller-manager' },
    { name: 'no command: args naming the binary (the image entrypoint is a wrapper)', container: { args: ['kube-scheduler', '--bind-address=127.0.0.1'] }, expected: 'kube-scheduler' },
    { name: 'the command wins over the container name', container: { name: 'kube-apiserver', command: ['kube-scheduler'] }, expected: 'kube-scheduler' },
    { name: 'a name without a command is not enough', container: { name: 'etcd', image: 'bitnami/etcd:3.5' }, expected: undefined },
    { name: 'only flags', container: { name: 'kube-apiserver', args: ['--secure-port', '6443'] }, expected: undefined },
    { name: 'a shell is not looked into', container: { command: ['sh', '-c', 'exec kube-apiserver --anonymous-auth=true'] }, expected: undefined },
    { name: 'a client of the component', container: { command: ['etcdctl', 'endpoint', 'health'] }, expected: undefined },
    { name: 'a binary that only starts like one', container: { command: ['kube-apiserver-proxy'] }, expected: undefined },
    { name: 'non-string command items', container: { command: [7, 'kube-apiserver'] }, expected: undefined },
    { name: 'not a mapping', container: ['kube-apiserver'], expected: undefined },
    { name: 'hyperkube with nothing after it', container: { command: ['hyperkube'] }, expected: undefined },
  ];
  for (const { name, container, expected } of cases) {
    it(name, () => assert.equal(controlPlaneComponentOfContainer(container), expected));
  }
});

describe('controlPlaneComponentsIn', () => {
  function components(manifest: Record<string, unknown>, templatePath: string[]) {
    const errors: InputError[] = [];
    const [resource] = [...loadResources('cp.yaml', Buffer.from(yaml.dump(manifest)), errors, false)];
    assert.ok(resource);
    assert.deepEqual(errors, []);
    const template = podTemplateOf(resource.object, templatePath);
    assert.ok(template);
    return controlPlaneComponentsIn(resource, template);
  }

  it("a Deployment's containers: each component with its own flags, from command and args, pointed at in the template", () => {
    const found = components(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'cp', namespace: 'hosted' },
        spec: {
          template: {
            spec: {
              initContainers: [{ name: 'wait', command: ['etcd', '--version'] }],
              containers: [
                { name: 'sidecar', image: 'busybox', command: ['sleep', 'infinity'] },
                { name: 'wrapped', command: ['/go-runner', '--log-file=/var/log/s.log', 'kube-scheduler'], args: ['--profiling=true'] },
                { name: 'api', command: ['kube-apiserver', '--anonymous-auth=true'], args: ['--profiling', '--token-auth-file', '/t.csv'] },
              ],
            },
          },
        },
      },
      ['spec', 'template'],
    );
    assert.deepEqual(found.map((c) => c.component), ['kube-scheduler', 'kube-apiserver']);
    const [scheduler, apiserver] = found;
    assert.ok(scheduler && apiserver);
    assert.equal(scheduler.flags.has('log-file'), false, "go-runner's own flags are not the scheduler's");
    assert.equal(scheduler.flags.bool('profiling'), true);
    assert.equal(scheduler.locate({ flag: 'profiling' }).field, 'spec.template.spec.containers[1].args[0] (--profiling)');
    assert.deepEqual(apiserver.resource, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'hosted', name: 'cp' });
    assert.equal(apiserver.flags.value('token-auth-file'), '/t.csv');
    assert.equal(apiserver.flags.bool('profiling'), true);
    assert.equal(apiserver.locate({ flag: 'anonymous-auth' }).field, 'spec.template.spec.containers[2].command[1] (--anonymous-auth)');
    assert.equal(apiserver.locate({ flag: 'token-auth-file' }).field, 'spec.template.spec.containers[2].args[1] (--token-auth-file)');
    assert.equal(apiserver.locate({ flag: 'audit-log-path' }).field, 'spec.template.spec.containers[2].args (--audit-log-path)', 'a missing flag: the list it belongs in');
  });

  it('a Pod kept in git is its own template', () => {
    const found = components({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'etcd-cp1' }, spec: { containers: [{ name: 'etcd', command: ['etcd', '--auto-tls=true'] }] } }, []);
    assert.deepEqual(found.map((c) => [c.component, c.flags.value('auto-tls'), c.locate({ flag: 'auto-tls' }).field]), [['etcd', 'true', 'spec.containers[0].command[1] (--auto-tls)']]);
  });

  it('a spec whose containers are not a list holds no component', () => {
    assert.deepEqual(components({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: { command: ['kube-apiserver'] } } }, []), []);
  });
});
