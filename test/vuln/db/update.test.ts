/**
 * `kubeharden vuln db update` end to end, the compiled CLI against a local HTTP server that serves OSV-style
 * `<ecosystem>/all.zip` exports built in the test from real records: MD5 announced as GCS does (`x-goog-hash`),
 * redirects, `If-None-Match`/304, and the failures an update must survive: 404, a lying MD5, a file that is not a
 * zip. A failed ecosystem keeps its previous export; the database then opens and matches.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { matchPackage } from '../../../src/vuln/match/match.js';
import { openAdvisoryDatabase, readMeta } from '../../../src/vuln/db/database.js';
import { runCliAsync } from '../../support/cli-process.js';
import { needsShared, sharedPath } from '../../support/paths.js';
import { tempDir } from '../../support/temp-dir.js';
import { zipArchive } from '../../support/zip-writer.js';

const ADVISORIES = (...parts: string[]): string => sharedPath('vuln', 'advisories', ...parts);

function exportOf(folder: string): Buffer {
  return zipArchive(readdirSync(folder).filter((name) => name.endsWith('.json')).map((name) => ({ name, data: readFileSync(join(folder, name)) })));
}

interface Served {
  readonly body: Buffer;
  readonly md5?: string;
  readonly etag?: string;
}

async function exportServer(t: { after: (fn: () => Promise<void>) => void }, routes: Map<string, () => Served | { redirect: string } | { status: number }>) {
  const seen: string[] = [];
  const server = http.createServer((request, response) => {
    seen.push(`${request.method} ${request.url}${request.headers['if-none-match'] ? ` if-none-match ${request.headers['if-none-match']}` : ''}`);
    const route = routes.get(decodeURIComponent(request.url ?? ''));
    const answer = route?.() ?? { status: 404 };
    if ('redirect' in answer) return response.writeHead(302, { location: answer.redirect }).end();
    if ('status' in answer) return response.writeHead(answer.status).end('not here');
    if (answer.etag && request.headers['if-none-match'] === answer.etag) return response.writeHead(304).end();
    const headers: Record<string, string> = { 'content-type': 'application/zip', 'content-length': String(answer.body.length) };
    if (answer.md5) headers['x-goog-hash'] = `crc32c=AAAAAA==,md5=${answer.md5}`;
    if (answer.etag) headers['etag'] = answer.etag;
    response.writeHead(200, headers).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const md5Base64 = (body: Buffer): string => createHash('md5').update(body).digest('base64');

describe('kubeharden vuln db update', { skip: needsShared }, () => {
  it('downloads, verifies and stores exports; failures keep the previous copy; the database then matches', async (t) => {
    const alpine = exportOf(ADVISORIES('distro', 'osv'));
    const go = exportOf(ADVISORIES('go'));
    const npm = exportOf(ADVISORIES('npm'));
    let npmLies = false;
    const routes = new Map<string, () => Served | { redirect: string } | { status: number }>([
      ['/Alpine/all.zip', () => ({ body: alpine, md5: md5Base64(alpine), etag: '"alpine-1"' })],
      ['/Go/all.zip', () => ({ redirect: '/mirror/Go/all.zip' })],
      ['/mirror/Go/all.zip', () => ({ body: go })],
      ['/npm/all.zip', () => ({ body: npm, md5: npmLies ? md5Base64(Buffer.from('something else')) : md5Base64(npm) })],
      ['/PyPI/all.zip', () => ({ body: Buffer.from('<html>a captive portal</html>') })],
      ['/Red Hat/all.zip', () => ({ status: 503 })],
    ]);
    const server = await exportServer(t, routes);
    const db = join(tempDir('vuln-db', t), 'osv');

    const first = await runCliAsync(['vuln', 'db', 'update', '--db', db, '--ecosystems', 'Alpine,Go,npm', '--ecosystems', 'PyPI', '--ecosystems', 'Debian,Red Hat', '--url', `${server.url}/`]);
    assert.equal(first.code, 1, first.stderr);
    const lines = first.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^Alpine\s+updated\s+7 records \(0 withdrawn, 0 invalid\), [\d.]+ kB, MD5 verified$/);
    assert.match(lines[1]!, /^Go\s+updated\s+181 records \(1 withdrawn, 0 invalid\), [\d.]+ kB, no MD5 announced, zip CRCs checked$/);
    assert.match(lines[2]!, /^npm\s+updated\s+7 records \(0 withdrawn, 0 invalid\), [\d.]+ kB, MD5 verified$/);
    assert.match(lines[3]!, /^PyPI\s+failed\s+.*End of central directory record signature not found/);
    assert.match(lines[4]!, /^Debian\s+failed\s+http:\/\/127\.0\.0\.1:\d+\/Debian\/all\.zip: HTTP 404 Not Found$/);
    assert.match(lines[5]!, /^Red Hat\s+failed\s+http:\/\/127\.0\.0\.1:\d+\/Red%20Hat\/all\.zip: HTTP 503 Service Unavailable$/);
    assert.equal(lines[6], `database: ${db}`);
    assert.deepEqual(readdirSync(db).sort(), ['Alpine', 'Go', 'npm']);
    assert.ok(!existsSync(join(db, 'PyPI')));
    const alpineMeta = readMeta(join(db, 'Alpine'))!;
    assert.equal(alpineMeta.md5, createHash('md5').update(alpine).digest('hex'));
    assert.equal(alpineMeta.etag, '"alpine-1"');
    assert.equal(readFileSync(join(db, 'Go', 'all.zip')).equals(go), true);
    assert.match(readMeta(join(db, 'Go'))!.url, /\/mirror\/Go\/all\.zip$/);

    // The DLA records are Debian's, the Alpine one Alpine's: one export may hold any records, the index sorts them out.
    const opened = await openAdvisoryDatabase(db);
    assert.deepEqual(opened.sources.map((source) => source.slice(db.length + 1)), ['Alpine/all.zip', 'Go/all.zip', 'npm/all.zip']);
    assert.equal(opened.withdrawn, 1);
    assert.deepEqual(matchPackage({ ecosystem: 'Alpine:v3.17', name: 'musl', version: '1.2.3-r4' }, opened.index).map((match) => [match.id, match.fixedVersion]), [['ALPINE-CVE-2025-26519', '1.2.3-r6']]);
    assert.ok(matchPackage({ ecosystem: 'npm', name: 'minimist', version: '0.0.8' }, opened.index).length > 0);

    // Again: Alpine is current (304 on its ETag); npm now lies about its MD5 and keeps the copy it had.
    npmLies = true;
    const second = await runCliAsync(['vuln', 'db', 'update', '--db', db, '--ecosystems', 'Alpine,npm', '--url', server.url]);
    assert.equal(second.code, 1);
    assert.match(second.stdout, /^Alpine\s+current\s+7 records/m);
    assert.match(second.stdout, /^npm\s+failed\s+.*MD5 [0-9a-f]{32} does not match the announced [0-9a-f]{32}$/m);
    assert.ok(server.seen.includes('GET /Alpine/all.zip if-none-match "alpine-1"'));
    assert.equal(readFileSync(join(db, 'npm', 'all.zip')).equals(npm), true);
    assert.ok(!existsSync(join(db, 'npm', 'all.zip.partial')));

    const third = await runCliAsync(['vuln', 'db', 'update', '--db', db, '--ecosystems', 'Alpine', '--url', server.url]);
    assert.equal(third.code, 0, third.stdout + third.stderr);
  });

  it('an ecosystem name cannot leave the database folder', async (t) => {
    const db = join(tempDir('vuln-db-names', t), 'osv');
    const result = await runCliAsync(['vuln', 'db', 'update', '--db', db, '--ecosystems', '../escape', '--url', 'http://127.0.0.1:9']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^\.\.\/escape\s+failed\s+not an ecosystem name: "\.\.\/escape"$/m);
  });
});
