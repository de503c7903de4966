/** `kubeharden cluster` when there is no cluster to talk to: clear messages and exit code 2, never a crash. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CLI, PROJECT_ROOT } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';

function cluster(...args: string[]) {
  const result = spawnSync(CLI, ['cluster', ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '1', KUBECONFIG: '/nonexistent' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('kubeharden cluster without a cluster', () => {
  it('a kubeconfig file that does not exist', () => {
    const result = cluster('--kubeconfig', '/nonexistent/kubeconfig');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot reach the cluster: cannot load the kubeconfig \/nonexistent\/kubeconfig: no such file or directory/);
  });

  it('a server that refuses connections', async () => {
    const path = join(tempDir('kc'), 'config');
    const port = await closedPort();
    writeFileSync(
      path,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {token: abc}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`,
    );
    const result = cluster('--kubeconfig', path, '--request-timeout', '5');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot reach the cluster: GET \/version: .*ECONNREFUSED/);
  });

  it('bad flag values are usage errors', () => {
    assert.equal(cluster('--request-timeout', '0').code, 2);
    assert.match(cluster('--concurrency', 'many').stderr, /--concurrency must be a positive number/);
    assert.match(cluster('-n', 'a', '-A').stderr, /--namespace or --all-namespaces, not both/);
    assert.match(cluster('--max-list-pages', '1.5').stderr, /--max-list-pages must be a whole number/);
    assert.match(cluster('--max-response-size', '0').stderr, /--max-response-size must be a positive number/);
  });
});
