import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { control } from '../../../src/controls/images/trusted-registry.js';
import { control as dangerousCapabilities } from '../../../src/controls/workload/dangerous-capabilities.js';
import { evaluateResource } from '../../../src/engine/evaluate.js';
import { selectControls } from '../../../src/engine/select.js';
import { DEFAULT_SETTINGS, type PodControl, type ScanSettings } from '../../../src/engine/types.js';
import { TemplatePaths } from '../../../src/kube/pod-templates.js';
import { parseKubeVersion } from '../../../src/kube/version.js';
import { loadResources } from '../../../src/loader/source.js';

function fields(podControl: PodControl, spec: object, settings: ScanSettings): string[] {
  const version = parseKubeVersion('latest');
  const text = yaml.dump({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec });
  const controls = selectControls([podControl], 'all', version, { settings }).active;
  return [...loadResources('p.yaml', Buffer.from(text), [], false)].flatMap((r) => evaluateResource(r, { controls, version, templatePaths: new TemplatePaths(), settings }).findings.map((f) => f.field));
}

const images = (...references: string[]) => ({ containers: references.map((image, index) => ({ name: `c${index}`, image })) });

describe('IMG-TRUSTED-REGISTRY', () => {
  it('does not run without an allow-list, and says why', () => {
    const selection = selectControls([control], 'all', parseKubeVersion('latest'), { settings: DEFAULT_SETTINGS });
    assert.deepEqual(selection.skipped.map((s) => s.reason), ['no registry allow-list given (--allowed-registry)']);
  });

  it('allows registries and registry/path prefixes, including Docker Hub spelled out', () => {
    const settings = { ...DEFAULT_SETTINGS, allowedRegistries: ['registry.example.com', 'ghcr.io/acme', 'docker.io/library'] };
    const spec = images('registry.example.com/shop/web:1', 'ghcr.io/acme/api:2', 'ghcr.io/evil/api:2', 'nginx:1.27', 'quay.io/x/y:1', 'ghcr.io/acmecorp/z:1');
    assert.deepEqual(fields(control, spec, settings), ['spec.containers[2].image', 'spec.containers[4].image', 'spec.containers[5].image']);
  });
});

describe('POD-NO-DANGEROUS-CAPS with --dangerous-capability', () => {
  it('uses the given list instead of the built-in one', () => {
    const spec = { containers: [{ name: 'c', image: 'x', securityContext: { capabilities: { add: ['NET_RAW', 'CHOWN'] } } }] };
    assert.deepEqual(fields(dangerousCapabilities, spec, DEFAULT_SETTINGS), ['spec.containers[0].securityContext.capabilities.add[0]']);
    assert.deepEqual(fields(dangerousCapabilities, spec, { ...DEFAULT_SETTINGS, dangerousCapabilities: ['CAP_CHOWN'] }), ['spec.containers[0].securityContext.capabilities.add[1]']);
  });
});
