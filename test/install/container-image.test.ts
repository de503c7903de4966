/**
 * The container image, without a daemon: the Dockerfile's settings are checked (bases pinned by digest, a numeric
 * non-root user, an exec-form entrypoint, nothing run in the final stage), then an OCI image layout is assembled as
 * the Dockerfile's final stage would be: a runtime layer (this machine's Node at the distroless path /nodejs/bin/node
 * with the shared libraries it links, passwd and group with the nonroot user, no shell) and an app layer (the npm
 * package installed from its tarball through a loopback registry, at /app), with the Dockerfile's USER, ENTRYPOINT,
 * CMD and WORKDIR as the image config. The layout is read back (every digest checked), its layers unpacked, and the
 * entrypoint run under chroot as 65532 on a read-only root file system against the examples. And kubeharden's own
 * scan of deploy/ (the CronJob that runs the image) is clean.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import yaml from 'js-yaml';
import { runCli } from '../support/cli-process.js';
import { PROJECT_ROOT } from '../support/paths.js';
import { startLocalRegistry, type LocalRegistry } from '../support/npm-registry.js';
import { tempDir } from '../support/temp-dir.js';

interface Stage {
  readonly from: string;
  readonly instructions: { readonly keyword: string; readonly value: string }[];
}

/** The Dockerfile's stages and their instructions (continuation lines joined, comments dropped). */
function dockerfileStages(text: string): Stage[] {
  const stages: { from: string; instructions: { keyword: string; value: string }[] }[] = [];
  for (const line of text.replace(/\\\n/g, ' ').split('\n')) {
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    const keyword = match[1]!.toUpperCase();
    if (keyword === 'FROM') stages.push({ from: match[2]!.trim(), instructions: [] });
    else stages.at(-1)?.instructions.push({ keyword, value: match[2]!.trim() });
  }
  return stages;
}

const STAGES = dockerfileStages(readFileSync(join(PROJECT_ROOT, 'Dockerfile'), 'utf8'));
const FINAL = STAGES.at(-1)!;
const setting = (keyword: string) => FINAL.instructions.filter((entry) => entry.keyword === keyword).at(-1)?.value;

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

function sh(command: string, args: readonly string[], options: { cwd?: string } = {}): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...options });
  assert.equal(result.status, 0, `${command} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

function run(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A reproducible gzipped tar of a folder's contents (sorted, owned by root, time 0). */
function layer(folder: string, file: string): { blob: Buffer; diffId: string } {
  sh('bash', ['-c', 'tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$1" -cf - . | gzip -n > "$2"', 'layer', folder, file]);
  const blob = readFileSync(file);
  return { blob, diffId: sha256(gunzipSync(blob)) };
}

/** The files of the runtime layer: Node where distroless puts it, the libraries it links, the users. */
function runtimeTree(root: string): void {
  mkdirSync(join(root, 'nodejs', 'bin'), { recursive: true });
  copyFileSync(process.execPath, join(root, 'nodejs', 'bin', 'node'));
  for (const line of sh('ldd', [process.execPath]).split('\n')) {
    const library = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line)?.[1];
    if (!library) continue;
    mkdirSync(join(root, dirname(library)), { recursive: true });
    copyFileSync(library, join(root, library));
  }
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n');
  writeFileSync(join(root, 'etc', 'group'), 'root:x:0:\nnonroot:x:65532:\n');
  mkdirSync(join(root, 'home', 'nonroot'), { recursive: true });
  mkdirSync(join(root, 'tmp'));
  chmodSync(join(root, 'tmp'), 0o1777);
}

interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
}

const dir = tempDir('container-image');
const layout = join(dir, 'oci');
let registry: LocalRegistry | { missing: string };

/** Writes the OCI image layout of the Dockerfile's final stage; returns the manifest's digest. */
async function buildLayout(): Promise<string> {
  const pack = JSON.parse(sh('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--json'], { cwd: PROJECT_ROOT })) as { filename: string }[];
  registry = await startLocalRegistry(join(dir, pack[0]!.filename));
  if (!('url' in registry)) return '';
  const prefix = join(dir, 'prefix');
  const install = await run('npm', ['install', '--global', '--prefix', prefix, join(dir, pack[0]!.filename)], {
    npm_config_registry: registry.url,
    npm_config_cache: join(dir, 'npm-cache'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    ...registry.env,
  });
  assert.equal(install.code, 0, install.stderr);
  const runtime = join(dir, 'runtime');
  runtimeTree(runtime);
  const app = join(dir, 'app');
  const workdir = setting('WORKDIR') ?? '/';
  cpSync(join(prefix, 'lib', 'node_modules', 'kubeharden'), join(app, workdir), { recursive: true, verbatimSymlinks: true });
  mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
  const blob = (data: Buffer, mediaType: string): Descriptor => {
    const digest = sha256(data);
    writeFileSync(join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)), data);
    return { mediaType, digest, size: data.length };
  };
  const layers = [layer(runtime, join(dir, 'runtime.tar.gz')), layer(app, join(dir, 'app.tar.gz'))];
  const config = {
    architecture: 'amd64',
    os: 'linux',
    config: {
      User: setting('USER'),
      Entrypoint: JSON.parse(setting('ENTRYPOINT') ?? '[]') as string[],
      Cmd: JSON.parse(setting('CMD') ?? '[]') as string[],
      WorkingDir: workdir,
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    },
    rootfs: { type: 'layers', diff_ids: layers.map((entry) => entry.diffId) },
  };
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: blob(Buffer.from(JSON.stringify(config)), 'application/vnd.oci.image.config.v1+json'),
    layers: layers.map((entry) => blob(entry.blob, 'application/vnd.oci.image.layer.v1.tar+gzip')),
  };
  const manifestDescriptor = blob(Buffer.from(JSON.stringify(manifest)), 'application/vnd.oci.image.manifest.v1+json');
  writeFileSync(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ ...manifestDescriptor, annotations: { 'org.opencontainers.image.ref.name': 'kubeharden' } }] }));
  return manifestDescriptor.digest;
}

/** Reads a blob of the layout, checking that its content is what its digest says. */
function readBlob(descriptor: Descriptor): Buffer {
  const data = readFileSync(join(layout, 'blobs', 'sha256', descriptor.digest.slice('sha256:'.length)));
  assert.equal(sha256(data), descriptor.digest);
  assert.equal(data.length, descriptor.size);
  return data;
}

describe('the container image', () => {
  let manifestDigest = '';
  before(async () => {
    manifestDigest = await buildLayout();
  });
  after(async () => {
    if (registry && 'url' in registry) await registry.close();
  });

  it('Dockerfile: bases pinned by digest, numeric non-root user, exec-form entrypoint, nothing run in the final stage', () => {
    assert.equal(STAGES.length, 2);
    for (const stage of STAGES) assert.match(stage.from, /^\S+@sha256:[0-9a-f]{64}( AS \w+)?$/i);
    assert.match(FINAL.from, /^gcr\.io\/distroless\/nodejs20-debian12:nonroot@/);
    assert.match(setting('USER') ?? '', /^[1-9]\d*:[1-9]\d*$/);
    assert.deepEqual(JSON.parse(setting('ENTRYPOINT') ?? ''), ['/nodejs/bin/node', '/app/dist/src/cli/main.js']);
    assert.deepEqual(FINAL.instructions.filter((entry) => entry.keyword === 'RUN'), [], 'the final stage has no shell to run anything with');
  });

  it("kubeharden's scan of its own deploy/ (the CronJob that runs the image) is clean, as the image's user", () => {
    // The agent's Helm chart is scanned rendered by test/serve/serve-deploy.test.ts; this is about the CronJob and its RBAC.
    const result = runCli(['scan', 'deploy/', '--exclude', 'deploy/chart', '--framework', 'all', '--fail-on', 'info']);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /No findings/);
    // No object is defined twice: applied together, the manifests would replace one another's.
    assert.equal(result.stderr, '');
    const documents = yaml.loadAll(readFileSync(join(PROJECT_ROOT, 'deploy', 'kubeharden-cronjob.yaml'), 'utf8')) as { kind: string; spec: { jobTemplate: { spec: { template: { spec: { securityContext: { runAsUser: number; runAsGroup: number }; containers: { securityContext: { readOnlyRootFilesystem: boolean } }[] } } } } } }[];
    const pod = documents.find((document) => document.kind === 'CronJob')!.spec.jobTemplate.spec.template.spec;
    assert.equal(`${pod.securityContext.runAsUser}:${pod.securityContext.runAsGroup}`, setting('USER'));
    assert.equal(pod.containers[0]?.securityContext.readOnlyRootFilesystem, true);
  });

  it('the assembled OCI layout runs its entrypoint under chroot as 65532, on a read-only root, without a shell', async (t) => {
    if (!('url' in registry)) return t.skip(registry.missing);
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
    assert.equal(index.manifests[0]?.digest, manifestDigest);
    const manifest = JSON.parse(readBlob(index.manifests[0]!).toString()) as { config: Descriptor; layers: Descriptor[] };
    const config = JSON.parse(readBlob(manifest.config).toString()) as { config: { User: string; Entrypoint: string[]; Cmd: string[] }; rootfs: { diff_ids: string[] } };
    const rootfs = join(dir, 'rootfs');
    mkdirSync(rootfs);
    manifest.layers.forEach((descriptor, position) => {
      const data = readBlob(descriptor);
      assert.equal(sha256(gunzipSync(data)), config.rootfs.diff_ids[position]);
      writeFileSync(join(dir, 'layer.tar.gz'), data);
      sh('tar', ['-xzf', join(dir, 'layer.tar.gz'), '-C', rootfs]);
    });
    assert.ok(!existsSync(join(rootfs, 'bin', 'sh')) && !existsSync(join(rootfs, 'usr', 'bin', 'sh')), 'no shell in the image');
    // Mount points for the examples (read-only) and an output folder, as `docker run -v` would make them.
    for (const mountPoint of ['work', 'out']) mkdirSync(join(rootfs, mountPoint));
    const out = join(dir, 'out');
    mkdirSync(out);
    chmodSync(out, 0o777);
    const container = (args: readonly string[]) =>
      run('unshare', [
        '--mount',
        'bash',
        '-c',
        'set -e; root="$1"; shift; mount --bind "$root" "$root"; mount -o remount,bind,ro "$root"; mount --bind "$EXAMPLES" "$root/work"; mount -o remount,bind,ro "$root/work"; mount --bind "$OUT" "$root/out"; exec chroot --userspec="$USERSPEC" "$root" "$@"',
        'container',
        rootfs,
        ...config.config.Entrypoint,
        ...args,
      ], { EXAMPLES: join(PROJECT_ROOT, 'examples'), OUT: out, USERSPEC: config.config.User, NO_COLOR: '1' });

    const help = await container(config.config.Cmd);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /Usage: kubeharden/);
    const scan = await container(['scan', '/work/insecure', '--format', 'table,sarif=/out/kubeharden.sarif']);
    assert.equal(scan.code, 1, scan.stderr);
    assert.match(scan.stdout, /HIGH {5}POD-NO-PRIVILEGED {2}\/work\/insecure\/shop\.yaml:30:11/);
    assert.ok(existsSync(join(out, 'kubeharden.sarif')), 'the report reached the writable mount');
    const readOnly = await container(['scan', '/work/hardened', '--format', 'json', '--output', '/app/report.json']);
    assert.equal(readOnly.code, 2, 'writing into the image fails: its root is read-only');
    assert.match(readOnly.stderr, /read-only file system|EROFS/i);
  });
});
