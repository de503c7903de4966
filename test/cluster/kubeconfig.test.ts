/**
 * Kubeconfigs as kubectl reads them, and the commands they may make kubeharden run: no kubeconfig at all, merged
 * KUBECONFIG files, unknown contexts, legacy auth-providers (refused unless allowed, never through a shell) and
 * exec plugins (the program itself, its arguments literal, the ExecCredential contract).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { ApiClient } from '../../src/cluster/api-client.js';
import { resolveKubeconfig } from '../../src/cluster/kubeconfig.js';
import { startFakeServer, writeKubeconfig } from '../support/local-server.js';
import { CLI, PROJECT_ROOT } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';

/** The CLI with a clean environment: no KUBECONFIG, no in-cluster variables, HOME as given. */
function kubeharden(args: readonly string[], env: Record<string, string>) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !['KUBECONFIG', 'KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT'].includes(name)));
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...base, NO_COLOR: '1', CI: '1', ...env }, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A node script that records its arguments and environment, then prints `output` (a JSON text). */
function recordingScript(dir: string, output: string): { script: string; record: string } {
  const script = join(dir, 'credential.mjs');
  const record = join(dir, 'record.json');
  writeFileSync(
    script,
    `import { appendFileSync } from 'node:fs';\n` +
      `appendFileSync(${JSON.stringify(record)}, JSON.stringify({ args: process.argv.slice(2), info: process.env.KUBERNETES_EXEC_INFO ?? null, extra: process.env.PLUGIN_EXTRA ?? null }) + '\\n');\n` +
      `process.stdout.write(${JSON.stringify(output)});\n`,
  );
  return { script, record };
}

function records(file: string): { args: string[]; info: string | null; extra: string | null }[] {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line)) : [];
}

describe('where the kubeconfig comes from', () => {
  it('no kubeconfig anywhere: says so, and where it looked, exit 2', (t) => {
    const home = tempDir('kubeconfig', t);
    const result = kubeharden(['cluster'], { HOME: home });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /no kubeconfig found: looked at .*\.kube\/config \(not found; \$KUBECONFIG is not set\)/);
    assert.ok(result.stderr.includes(join(home, '.kube', 'config')), result.stderr);
    assert.match(result.stderr, /in-cluster service account \(KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set\)/);
    assert.match(result.stderr, /--kubeconfig FILE, set KUBECONFIG/);
    assert.doesNotMatch(result.stderr, /HTTP protocol/);
    const listed = kubeharden(['netpol', 'reach', '--cluster'], { HOME: home, KUBECONFIG: `${join(home, 'a')}${delimiter}${join(home, 'b')}` });
    assert.equal(listed.code, 2);
    assert.match(listed.stderr, /no kubeconfig found: looked at \$KUBECONFIG \(.*a: not found, .*b: not found\)/);
  });

  it('KUBECONFIG files merge as kubectl merges them: the first to set a name or current-context wins; paths are relative to their file', (t) => {
    const dir = tempDir('kubeconfig', t);
    mkdirSync(join(dir, 'second'));
    const first = join(dir, 'first.yaml');
    const second = join(dir, 'second', 'config.yaml');
    writeFileSync(first, yaml.dump({ 'current-context': 'one', clusters: [{ name: 'c', cluster: { server: 'https://first.example' } }], users: [{ name: 'u', user: { token: 'first' } }], contexts: [{ name: 'one', context: { cluster: 'c', user: 'u' } }] }));
    writeFileSync(
      second,
      yaml.dump({
        'current-context': 'two',
        clusters: [{ name: 'c', cluster: { server: 'https://second.example' } }, { name: 'd', cluster: { server: 'https://d.example', 'certificate-authority': 'ca.pem' } }],
        users: [{ name: 'u', user: { token: 'second' } }, { name: 'w', user: { tokenFile: 'token', exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './bin/plugin' } } }],
        contexts: [{ name: 'one', context: { cluster: 'd', user: 'w' } }, { name: 'two', context: { cluster: 'd', user: 'w' } }],
      }),
    );
    const env = { KUBECONFIG: `${first}${delimiter}${join(dir, 'missing.yaml')}${delimiter}${second}` };
    const merged = resolveKubeconfig({ env });
    assert.equal(merged.contextName, 'one');
    assert.equal(merged.cluster.server, 'https://first.example');
    assert.equal(merged.user.token, 'first');
    const two = resolveKubeconfig({ env, context: 'two' });
    assert.equal(two.cluster.certificateAuthority, join(dir, 'second', 'ca.pem'));
    assert.equal(two.user.tokenFile, join(dir, 'second', 'token'));
    assert.equal(two.user.exec?.command, join(dir, 'second', 'bin', 'plugin'));
  });

  it('an unknown --context, a current-context that names nothing, a context without its cluster', (t) => {
    const dir = tempDir('kubeconfig', t);
    const file = join(dir, 'config');
    writeFileSync(file, yaml.dump({ 'current-context': 'gone', clusters: [], users: [], contexts: [{ name: 'a', context: { cluster: 'nowhere', user: '' } }] }));
    assert.throws(() => resolveKubeconfig({ kubeconfig: file, context: 'nope' }), /no context "nope" in the kubeconfig \(.*config; contexts: a\)/);
    assert.throws(() => resolveKubeconfig({ kubeconfig: file }), /current-context "gone" is not among its contexts .*give --context/);
    assert.throws(() => resolveKubeconfig({ kubeconfig: file, context: 'a' }), /context "a" names cluster "nowhere", which the kubeconfig .* does not define/);
    const result = kubeharden(['cluster', '--kubeconfig', file, '--context', 'nope'], { HOME: dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot reach the cluster: no context "nope"/);
  });

  it('a kubeconfig that is a device or not YAML is an error, not a hang', (t) => {
    const dir = tempDir('kubeconfig', t);
    assert.throws(() => resolveKubeconfig({ kubeconfig: '/dev/zero' }), /not a regular file/);
    const bad = join(dir, 'bad');
    writeFileSync(bad, 'clusters: [\n');
    assert.throws(() => resolveKubeconfig({ kubeconfig: bad }), /cannot parse the kubeconfig/);
  });
});

describe('commands a kubeconfig names', () => {
  for (const provider of ['gcp', 'azure']) {
    it(`the ${provider} auth-provider's cmd-path does not run without --allow-auth-provider-commands`, (t) => {
      const dir = tempDir('kubeconfig', t);
      const marker = join(dir, 'ran');
      const kubeconfig = writeKubeconfig(dir, 'config', 'https://127.0.0.1:1', { 'auth-provider': { name: provider, config: { 'cmd-path': '/bin/sh', 'cmd-args': `-c "touch ${marker}; echo {}"` } } });
      for (const args of [['cluster', '--kubeconfig', kubeconfig], ['netpol', 'reach', '--cluster', '--kubeconfig', kubeconfig]]) {
        const result = kubeharden(args, { HOME: dir });
        assert.equal(result.code, 2, result.stderr);
        assert.equal(existsSync(marker), false, `${args[0]} ran the auth-provider command`);
        assert.match(result.stderr, new RegExp(`uses the ${provider} auth-provider, which would run the command "/bin/sh -c \\\\"touch`));
        assert.match(result.stderr, /does not run auth-provider commands \(a kubeconfig could run anything that way/);
        assert.match(result.stderr, /or pass --allow-auth-provider-commands to run it \(without a shell\)/);
      }
    });
  }

  it('with --allow-auth-provider-commands the command runs without a shell: its arguments stay literal', async (t) => {
    const dir = tempDir('kubeconfig', t);
    const marker = join(dir, 'injected');
    const { script, record } = recordingScript(dir, JSON.stringify({ credential: { access_token: 'provider-token', token_expiry: '2999-01-01T00:00:00Z' } }));
    const server = await startFakeServer((request, response) => response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ gitVersion: 'v1.37.2', authorization: request.headers.authorization })));
    t.after(() => server.close());
    const kubeconfig = writeKubeconfig(dir, 'config', server.url, {
      'auth-provider': { name: 'gcp', config: { 'cmd-path': process.execPath, 'cmd-args': `${script} $(touch ${marker}) ;touch ${marker}`, 'token-key': '{.credential.access_token}', 'expiry-key': '{.credential.token_expiry}' } },
    });
    await assert.rejects(ApiClient.connect({ kubeconfig, timeoutMs: 5_000, concurrency: 1, env: {} }), /--allow-auth-provider-commands/);
    assert.deepEqual(records(record), [], 'refused: nothing ran');
    const client = await ApiClient.connect({ kubeconfig, timeoutMs: 5_000, concurrency: 1, env: {}, allowAuthProviderCommands: true });
    t.after(() => client.close());
    const answer = JSON.parse((await client.get('/version')).body.toString('utf8')) as { authorization: string };
    assert.equal(answer.authorization, 'Bearer provider-token');
    assert.deepEqual(records(record).map((entry) => entry.args), [['$(touch', `${marker})`, ';touch', marker]]);
    assert.equal(existsSync(marker), false, 'no shell interpreted the arguments');
  });

  it('an exec plugin runs as kubectl runs it: no shell, env and KUBERNETES_EXEC_INFO given, its token used until it expires', async (t) => {
    const dir = tempDir('kubeconfig', t);
    const marker = join(dir, 'injected');
    const credential = { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'exec-token', expirationTimestamp: '2999-01-01T00:00:00Z' } };
    const { script, record } = recordingScript(dir, JSON.stringify(credential));
    const server = await startFakeServer((request, response) => response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ authorization: request.headers.authorization })));
    t.after(() => server.close());
    const kubeconfig = writeKubeconfig(dir, 'config', server.url, {
      exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [script, `$(touch ${marker})`, '|', 'sh'], env: [{ name: 'PLUGIN_EXTRA', value: 'from-kubeconfig' }], provideClusterInfo: true, interactiveMode: 'Never' },
    });
    const client = await ApiClient.connect({ kubeconfig, timeoutMs: 5_000, concurrency: 2, env: {} });
    t.after(() => client.close());
    for (let i = 0; i < 3; i++) assert.equal((JSON.parse((await client.get('/version')).body.toString('utf8')) as { authorization: string }).authorization, 'Bearer exec-token');
    const runs = records(record);
    assert.equal(runs.length, 1, 'one run while the credential is valid');
    assert.deepEqual(runs[0]?.args, [`$(touch ${marker})`, '|', 'sh']);
    assert.equal(runs[0]?.extra, 'from-kubeconfig');
    const info = JSON.parse(runs[0]?.info ?? '{}') as { apiVersion: string; kind: string; spec: { interactive: boolean; cluster?: { server: string } } };
    assert.deepEqual([info.apiVersion, info.kind, info.spec.interactive, info.spec.cluster?.server], ['client.authentication.k8s.io/v1', 'ExecCredential', false, server.url]);
    assert.equal(existsSync(marker), false);
  });

  it('an exec plugin with an unknown apiVersion, or that prints no credential, is a clear error', async (t) => {
    const dir = tempDir('kubeconfig', t);
    const { script } = recordingScript(dir, JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: {} }));
    const old = writeKubeconfig(dir, 'old', 'https://127.0.0.1:1', { exec: { apiVersion: 'client.authentication.k8s.io/v1alpha1', command: process.execPath, args: [script] } });
    await assert.rejects(ApiClient.connect({ kubeconfig: old, timeoutMs: 5_000, concurrency: 1, env: {} }), /apiVersion "client.authentication.k8s.io\/v1alpha1"; kubeharden, like kubectl, supports/);
    const empty = writeKubeconfig(dir, 'empty', 'https://127.0.0.1:1', { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [script] } });
    await assert.rejects(ApiClient.connect({ kubeconfig: empty, timeoutMs: 5_000, concurrency: 1, env: {} }), /neither a token nor a client certificate and key/);
    const missing = writeKubeconfig(dir, 'missing', 'https://127.0.0.1:1', { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'kubeharden-no-such-plugin', installHint: 'install it from example.com' } });
    await assert.rejects(ApiClient.connect({ kubeconfig: missing, timeoutMs: 5_000, concurrency: 1, env: {} }), /could not run: .*ENOENT \(not found; install it from example.com\)/);
  });
});
