/**
 * The examples mix a bare debugging Pod with the shop's Deployment and CronJobs: reachability (netpol reach and the
 * NET-* controls of scan) must judge all of them, not only the pod.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import type { Report } from '../../src/report/report.js';
import { CLI, PROJECT_ROOT } from '../support/paths.js';

function kubeharden(args: readonly string[]) {
  const result = spawnSync(CLI, args, { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('reachability over a bare pod beside workloads (the examples)', () => {
  it('netpol reach models the debug pod and the insecure shop together', () => {
    const result = kubeharden(['netpol', 'reach', 'examples/insecure', '--format', 'json']);
    const endpoints = (JSON.parse(result.stdout) as { endpoints: { name: string }[] }).endpoints.map((endpoint) => endpoint.name);
    for (const name of ['default/node-debugger', 'shop/storefront', 'shop/nightly-cleanup']) assert.ok(endpoints.includes(name), `${name} in ${endpoints.join(', ')}`);
  });

  it('scan keeps the high egress finding of shop/storefront when the debug pod is scanned with it', () => {
    const egress = (paths: string[]) =>
      (JSON.parse(kubeharden(['scan', ...paths, '--format', 'json', '--fail-on', 'none']).stdout) as Report).findings
        .filter((finding) => finding.controlId === 'NET-EGRESS-INTERNET-METADATA')
        .map((finding) => `${finding.resource.namespace}/${finding.resource.name}`)
        .sort();
    const alone = egress(['examples/insecure/shop.yaml']);
    assert.ok(alone.includes('shop/storefront'));
    // The debug pod is isolated by no policy: NET-WORKLOAD-ISOLATED reports it, this control leaves it alone.
    assert.deepEqual(egress(['examples/insecure/shop.yaml', 'examples/insecure/debug-pod.yaml']), alone);
  });
});
