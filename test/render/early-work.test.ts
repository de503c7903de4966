/**
 * helm and kustomize write their whole output and then take milliseconds more to exit: the renderers read the
 * output in that wait and hand each object to the scan's early work (src/loader/inputs.ts `EarlyWork`) before the
 * tool has exited. Wrappers around the real tools linger after them so that the wait is certain.
 */
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { collectScanInputs } from '../../src/render/collect.js';
import { loadInput } from '../../src/loader/inputs.js';
import type { InputError, LoadedResource } from '../../src/loader/source.js';
import { NEWEST_KNOWN_MINOR } from '../../src/kube/version.js';
import { tempDir } from '../support/temp-dir.js';
import { FIXTURES, HELM, KUSTOMIZE, needsTools } from './render-support.js';

/** The real tool, then a pause before its exit status is returned. */
function lingering(t: TestContext, tool: string): string {
  const file = join(tempDir('render-early', t), 'tool');
  writeFileSync(file, `#!/bin/sh\n"${tool}" "$@"\nstatus=$?\nsleep 0.4\nexit $status\n`);
  chmodSync(file, 0o755);
  return file;
}

async function handedOver(target: string, tools: { helm: string; kustomize: string }): Promise<{ early: string[]; returned: string[] }> {
  const errors: InputError[] = [];
  let exited = false;
  const inputs = await collectScanInputs([target], errors, {
    render: { ...tools, values: [], set: [], setString: [], version: { minor: NEWEST_KNOWN_MINOR }, onRendered: () => (exited = true) },
  });
  assert.equal(inputs.length, 1);
  const early: string[] = [];
  const name = (resource: LoadedResource) => `${String(resource.object['kind'])}/${String((resource.object['metadata'] as Record<string, unknown>)['name'])}`;
  const loaded = await loadInput(inputs[0] as (typeof inputs)[number], errors, (resource) => {
    assert.equal(exited, false, 'handed over before the tool exited');
    early.push(name(resource));
  });
  assert.deepEqual(errors, []);
  return { early, returned: [...(loaded ?? [])].map(name) };
}

describe('rendered objects are handed to the scan while the tool exits', { skip: needsTools }, () => {
  it('a Helm chart: every object, in order, before helm has exited', async (t) => {
    const { early, returned } = await handedOver(join(FIXTURES, 'helm', 'shop'), { helm: lingering(t, HELM), kustomize: KUSTOMIZE });
    assert.deepEqual(returned, ['Deployment/release-name-web', 'StatefulSet/release-name-cache']);
    assert.deepEqual(early, returned);
  });

  it('a Kustomize overlay: every object, in order, before kustomize has exited', async (t) => {
    const { early, returned } = await handedOver(join(FIXTURES, 'kustomize', 'overlays', 'prod'), { helm: HELM, kustomize: lingering(t, KUSTOMIZE) });
    assert.equal(returned.length, 3);
    assert.deepEqual(early, returned);
  });
});
