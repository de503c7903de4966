/**
 * RuleTester-style tables for component controls. Control-plane cases become a real static pod manifest (the
 * way kubeadm writes them) that goes through the YAML loader, so flag positions are checked too; kubelet cases
 * become a KubeletConfiguration file plus a flags line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import type { ComponentConfig, ComponentName, HostFile, HostReader } from '../../src/components/component-config.js';
import { FlagSet } from '../../src/components/flags.js';
import { kubeletComponent } from '../../src/components/kubelet.js';
import { componentFromStaticPod } from '../../src/components/static-pod.js';
import { evaluateComponent } from '../../src/engine/component-evaluate.js';
import type { Finding } from '../../src/vocabulary/finding.js';
import { selectControls } from '../../src/engine/select.js';
import type { ComponentControl } from '../../src/engine/types.js';
import { parseKubeVersion } from '../../src/kube/version.js';
import { loadResources, type InputError } from '../../src/loader/source.js';
import { assertCompleteMetadata } from './control-tester.js';

export interface ComponentCase {
  readonly name: string;
  /** Flags after the binary, e.g. `['--anonymous-auth=false']`. */
  readonly flags?: readonly string[];
  /** A kubelet's KubeletConfiguration fields (omit for a flags-only kubelet). */
  readonly config?: Record<string, unknown>;
  /** Host files, for `host` controls. */
  readonly files?: readonly HostFile[];
  /** Files that flags name (`--encryption-provider-config`), by path. */
  readonly hostFiles?: Readonly<Record<string, string>>;
  /** Kubernetes version to judge by (default: newest). */
  readonly version?: string;
}

export interface InvalidComponentCase extends ComponentCase {
  /** One pattern per expected finding, matched against its message, in order. */
  readonly messages: readonly RegExp[];
}

export function staticPodManifest(component: ComponentName, flags: readonly string[]): string {
  return yaml.dump({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${component}-cp1`, namespace: 'kube-system', labels: { component, tier: 'control-plane' } },
    spec: { hostNetwork: true, containers: [{ name: component, image: `registry.k8s.io/${component}:v1.37.2`, command: [component, ...flags] }] },
  });
}

function reader(files: Readonly<Record<string, string>> | undefined): HostReader | undefined {
  if (!files) return undefined;
  return { read: (path) => (path in files ? { text: files[path] as string } : { error: `${path}: no such file` }) };
}

export function componentFor(component: ComponentName, testCase: ComponentCase): ComponentConfig {
  const flags = testCase.flags ?? [];
  if (component === 'kubelet') {
    const errors: InputError[] = [];
    const text = testCase.config ? yaml.dump({ apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', ...testCase.config }) : undefined;
    const loaded = text ? [...loadResources('/var/lib/kubelet/config.yaml', Buffer.from(text), errors, false)][0] : undefined;
    assert.deepEqual(errors, []);
    const hostReader = reader(testCase.hostFiles);
    return kubeletComponent({
      name: 'node-1',
      flags: FlagSet.parse(flags),
      flagLocation: (index) => ({ file: '/var/lib/kubelet/kubeadm-flags.env', line: 1, column: index === undefined ? 1 : 2 + index }),
      ...(loaded ? { config: { object: loaded.object, document: loaded.document, prefix: loaded.prefix } } : {}),
      ...(hostReader ? { reader: hostReader } : {}),
    });
  }
  if (component === 'host') {
    return {
      component: 'host',
      resource: { apiVersion: 'v1', kind: 'Node', namespace: null, name: 'node-1' },
      flags: new FlagSet([]),
      files: testCase.files ?? [],
      locate: (at) => ({ location: { file: 'file' in at ? at.file : '/', line: 0, column: 0 }, field: 'file' in at ? at.file : '' }),
    };
  }
  const errors: InputError[] = [];
  const text = staticPodManifest(component, flags);
  const [pod] = [...loadResources(`/etc/kubernetes/manifests/${component}.yaml`, Buffer.from(text), errors, false)];
  assert.ok(pod);
  assert.deepEqual(errors, []);
  const config = componentFromStaticPod(pod, reader(testCase.hostFiles));
  assert.ok(config, 'the manifest is recognised as the component');
  assert.equal(config.component, component);
  return config;
}

/** The findings one control gives for one case, with version gating done the way a scan does it. */
export function componentFindings(control: ComponentControl, component: ComponentName, testCase: ComponentCase): Finding[] {
  const version = parseKubeVersion(testCase.version ?? 'latest');
  const active = selectControls([control], 'all', version, { components: true }).active as ComponentControl[];
  return evaluateComponent(componentFor(component, testCase), active, version).findings;
}

export function testComponentControl(
  control: ComponentControl,
  cases: { readonly valid: readonly ComponentCase[]; readonly invalid: readonly InvalidComponentCase[] },
  component: ComponentName = control.components[0] as ComponentName,
): void {
  describe(`${control.meta.id} (${control.components.join(', ')})`, () => {
    it('has complete metadata', () => assertCompleteMetadata(control.meta));
    for (const testCase of cases.valid) {
      it(`valid: ${testCase.name}`, () => {
        assert.deepEqual(componentFindings(control, component, testCase).map((f) => f.message), []);
      });
    }
    for (const testCase of cases.invalid) {
      it(`invalid: ${testCase.name}`, () => {
        const findings = componentFindings(control, component, testCase);
        assert.equal(findings.length, testCase.messages.length, findings.map((f) => f.message).join('\n'));
        findings.forEach((finding, index) => {
          assert.match(finding.message, testCase.messages[index] as RegExp);
          assert.equal(finding.controlId, control.meta.id);
        });
      });
    }
  });
}
