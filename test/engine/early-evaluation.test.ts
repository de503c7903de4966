/**
 * Objects handed to the scan early (a renderer reads its tool's output while the tool exits, src/render/tools.ts):
 * the scan evaluates them then, with its own controls and options, and takes that evaluation when it reaches each
 * object; objects it never reaches are not scanned.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanInputs } from '../../src/scan/scan.js';
import { TemplatePaths } from '../../src/kube/pod-templates.js';
import { parseKubeVersion } from '../../src/kube/version.js';
import { loadResources, type InputError, type LoadedResource } from '../../src/loader/source.js';
import type { Input } from '../../src/loader/inputs.js';

const POD = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  containers:\n  - name: app\n    image: registry.example/app:1.0\n    securityContext: {privileged: true}\n`;

function objects(text: string): LoadedResource[] {
  return [...loadResources('rendered.yaml', Buffer.from(text), [], false)];
}

const OPTIONS = { framework: 'all', version: parseKubeVersion('latest'), templatePaths: new TemplatePaths() } as const;

/** An input as a chart or overlay is one: it loads its objects itself. */
function rendered(load: NonNullable<Input['load']>): Input {
  return { name: 'chart', preferJson: false, read: () => Promise.reject(new Error('rendered, not read')), load };
}

describe('early evaluation of rendered objects', () => {
  it('the scan takes the evaluation made when the object was handed over, not a second one', async () => {
    const [pod] = objects(POD('early'));
    const input = rendered(async (_errors, early) => {
      assert.ok(early, 'the scan offers early work to rendered inputs');
      early(pod as LoadedResource);
      // Had the scan evaluated the object again in its turn, it would see an unprivileged container.
      const [container] = ((pod as LoadedResource).object['spec'] as { containers: { securityContext: unknown }[] }).containers;
      (container as { securityContext: unknown }).securityContext = { privileged: false };
      return [pod as LoadedResource];
    });
    const errors: InputError[] = [];
    const result = await scanInputs([input], errors, OPTIONS);
    assert.deepEqual(errors, []);
    assert.deepEqual(
      result.findings.filter((finding) => finding.controlId === 'POD-NO-PRIVILEGED').map((finding) => `${finding.resource.name} ${finding.location.line}`),
      ['early 8'],
    );
  });

  it('objects handed over early but not returned (the tool failed or wrote more) are not scanned', async () => {
    const [dropped] = objects(POD('dropped'));
    const [kept] = objects(POD('kept'));
    const input = rendered(async (_errors, early) => {
      early?.(dropped as LoadedResource);
      return [kept as LoadedResource];
    });
    const result = await scanInputs([input], [], OPTIONS);
    assert.equal(result.stats.resources, 1);
    assert.deepEqual([...new Set(result.findings.map((finding) => finding.resource.name))], ['kept']);
  });
});
