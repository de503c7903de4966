/** `kubeharden serve`'s flags that are refused before any connection is made: usage errors (exit 2) that say why. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli-process.js';

describe('kubeharden serve: usage errors', () => {
  const cases: readonly { args: string[]; message: RegExp }[] = [
    { args: ['--namespace', 'shop'], message: /serve watches the whole cluster: --namespace and --exclude-namespaces are not supported/ },
    { args: ['--exclude-namespaces', 'kube-system'], message: /--namespace and --exclude-namespaces are not supported/ },
    { args: ['--listen', 'localhost'], message: /--listen must be HOST:PORT, :PORT or PORT, not "localhost"/ },
    { args: ['--listen', '127.0.0.1:70000'], message: /--listen: port 70000 is out of range/ },
    { args: ['--batch', 'soon'], message: /--batch must be a number of milliseconds, not "soon"/ },
    { args: ['--kubeconfig', '/nonexistent/kubeconfig'], message: /cannot reach the cluster/ },
  ];
  for (const { args, message } of cases) {
    it(`serve ${args.join(' ')}`, () => {
      const result = runCli(['serve', ...args]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
    });
  }
});
