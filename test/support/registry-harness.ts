/**
 * The real CNCF distribution registry (test/go-tools/registry) on a loopback port with its own temporary storage,
 * for the image-reading tests: anonymous, HTTP basic (htpasswd) or bearer tokens (`auth: token` with a JWKS, the
 * tokens issued by a small token server here, as Docker Hub's auth.docker.io issues them). Stopped by `stop()`,
 * and killed with the test process whatever happens.
 */
import { generateKeyPairSync, createSign, randomUUID, type KeyObject } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { freePorts } from './cluster-harness.js';
import { startProcess } from './cluster-process.js';
import { goToolBinary } from './go-tool.js';
import { tempDir } from './temp-dir.js';

export type RegistryAuth = 'anonymous' | 'htpasswd' | 'token';

export interface Registry {
  /** `127.0.0.1:PORT`: the registry part of image references. */
  readonly host: string;
  readonly url: string;
  /** The user and password that may push and pull (htpasswd and token registries). */
  readonly user: { username: string; password: string } | null;
  /** What pushes send: `Authorization` for the registry (basic, or a bearer token with push rights). */
  authorization(repository: string): Promise<string | null>;
  /** Token requests the token server answered, with whether they carried valid credentials. */
  readonly tokenRequests: { scope: string; authenticated: boolean }[];
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** A JWT as the registry's token auth wants it: RS256, `kid` naming a key of its JWKS, an `access` claim. */
function signToken(key: KeyObject, kid: string, service: string, subject: string, access: unknown[]): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const claims = base64url(JSON.stringify({ iss: 'kubeharden-test-issuer', sub: subject, aud: service, exp: now + 600, nbf: now - 10, iat: now, jti: randomUUID(), access }));
  const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key);
  return `${header}.${claims}.${base64url(signature)}`;
}

interface TokenServer {
  readonly realm: string;
  readonly requests: { scope: string; authenticated: boolean }[];
  token(scope: string): string;
  close(): Promise<void>;
}

/** Issues pull tokens to anyone and push rights to `user` only, like a registry with public read access. */
async function startTokenServer(dir: string, user: { username: string; password: string }): Promise<TokenServer & { jwks: string }> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'kubeharden-test-key';
  const jwks = join(dir, 'jwks.json');
  writeFileSync(jwks, JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] }));
  const requests: { scope: string; authenticated: boolean }[] = [];
  const expected = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
  const accessFor = (scope: string, authenticated: boolean) => {
    const [type, name, actions] = scope.split(':');
    if (type !== 'repository' || !name || !actions) return [];
    const allowed = actions.split(',').filter((action) => action === 'pull' || authenticated);
    return [{ type, name, actions: allowed }];
  };
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://token');
    const scope = url.searchParams.get('scope') ?? '';
    const authenticated = request.headers.authorization === expected;
    requests.push({ scope, authenticated });
    if (request.headers.authorization && !authenticated) {
      response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ details: 'wrong credentials' }));
      return;
    }
    const token = signToken(privateKey, kid, url.searchParams.get('service') ?? '', authenticated ? user.username : 'anonymous', accessFor(scope, authenticated));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, expires_in: 600 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const realm = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  return {
    realm,
    jwks,
    requests,
    token: (scope) => signToken(privateKey, kid, 'kubeharden-test-registry', user.username, accessFor(scope, true)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function waitReady(url: string, process: ReturnType<typeof startProcess>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    const ended = process.ended();
    if (ended !== null) throw new Error(`the registry ended (${ended}) before it was ready; last lines of ${process.logFile}:\n${process.tail(40)}`);
    try {
      const response = await fetch(`${url}/v2/`);
      await response.body?.cancel();
      if (response.status === 200 || response.status === 401) return;
      last = `GET /v2/ answered ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the registry was not ready after ${READY_TIMEOUT_MS / 1000} s (${last}); last lines of ${process.logFile}:\n${process.tail(40)}`);
}

/** Starts a registry for the test (or suite) `t`; `{ skip }` names what is missing when the binary is not built. */
export async function startRegistry(auth: RegistryAuth, t?: TestContext): Promise<Registry | { skip: string }> {
  const binary = goToolBinary('registry');
  if (typeof binary !== 'string') return { skip: binary.missing };
  const dir = tempDir('registry');
  const [port] = (await freePorts(1)) as [number];
  const host = `127.0.0.1:${port}`;
  let user: { username: string; password: string } | null = null;
  let tokenServer: (TokenServer & { jwks: string }) | null = null;
  const htpasswd = join(dir, 'htpasswd');
  let authConfig = '';
  if (auth === 'htpasswd') {
    // Left missing on purpose: the registry then makes it with a user `docker` and logs the random password.
    authConfig = `auth:\n  htpasswd:\n    realm: kubeharden-test\n    path: ${htpasswd}\n`;
  } else if (auth === 'token') {
    user = { username: 'pusher', password: randomUUID() };
    tokenServer = await startTokenServer(dir, user);
    authConfig = `auth:\n  token:\n    realm: ${tokenServer.realm}\n    service: kubeharden-test-registry\n    issuer: kubeharden-test-issuer\n    jwks: ${tokenServer.jwks}\n    signingalgorithms: [RS256]\n`;
  }
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: info\n  formatter: text\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: ${host}\n  secret: kubeharden-test\n${authConfig}`,
  );
  const process = startProcess('registry', binary, ['serve', config], join(dir, 'registry.log'));
  try {
    await waitReady(`http://${host}`, process);
  } catch (error) {
    await process.stop();
    await tokenServer?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  if (auth === 'htpasswd') {
    const password = /password=([A-Za-z0-9_-]+)/.exec(process.tail(200))?.[1];
    if (!password) throw new Error(`the registry logged no password for the htpasswd user it provisioned; see ${process.logFile}`);
    user = { username: 'docker', password };
  }
  const server = tokenServer;
  const registry: Registry = {
    host,
    url: `http://${host}`,
    user,
    tokenRequests: server?.requests ?? [],
    async authorization(repository) {
      if (auth === 'htpasswd' && user) return `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
      if (server) return `Bearer ${server.token(`repository:${repository}:pull,push`)}`;
      return null;
    },
    async stop() {
      await process.stop();
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  t?.after(() => registry.stop());
  return registry;
}
