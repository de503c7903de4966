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
import { feedCveIds } from '../../../src/vuln/db/kubernetes-feed.js';
import { kubernetesCveFindings } from '../../../src/vuln/k8s/cves.js';
import { runCliAsync } from '../../support/cli-process.js';
import { needsShared, sharedPath } from '../../support/paths.js';
import { tempDir } from '../../support/temp-dir.js';
import { zipArchive } from '../../support/zip-writer.js';

const ADVISORIES = (...parts: string[]): string => sharedPath('vuln', 'advisories', ...parts);
const K8S_VULNS = (file: string): string => sharedPath('vuln', 'k8s-cves', 'cve-feed-osv', 'vulns', file);

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

  it('fetches the Kubernetes CVE feed and the OSV form of its CVEs; the matcher uses them; a failure keeps the previous copy', async (t) => {
    const record = (id: string) => JSON.parse(readFileSync(K8S_VULNS(`${id}.json`), 'utf8')) as { id: string; summary: string; details: string; published: string; references: { url: string }[] };
    // Feed items as the official feed writes them (JSON Feed 1.1, one per kubernetes/kubernetes issue), from the
    // real records' fields; one item names two CVEs, as the real feed's CVE-2023-2727/2728 item does.
    const item = (ids: string[]) => {
      const first = record(ids[0]!);
      return { id: ids.join(', '), summary: first.summary, content_text: first.details, date_published: first.published, url: first.references[0]!.url, external_url: `https://www.cve.org/cverecord?id=${ids[0]}` };
    };
    const feed = (items: object[]) => Buffer.from(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'Kubernetes Vulnerability Announcements - CVE Feed', items }));
    // CVE-2021-25743 (kubectl's ANSI escapes) is a real Kubernetes CVE that cve-feed-osv has no record of.
    const kubectlItem = { id: 'CVE-2021-25743', summary: 'ANSI escape characters in kubectl output are not being filtered', url: 'https://github.com/kubernetes/kubernetes/issues/101695' };
    let osvFails = false;
    let feedFails = false;
    let etag = '"feed-1"';
    const routes = new Map<string, () => Served | { redirect: string } | { status: number }>([
      ['/feed/index.json', () => (feedFails ? { status: 500 } : { body: feed([item(['CVE-2023-2431']), item(['CVE-2023-2727', 'CVE-2023-2728']), item(['CVE-2024-5321']), item(['CVE-2020-8558']), kubectlItem]), etag })],
      ...['CVE-2023-2431', 'CVE-2023-2727', 'CVE-2023-2728', 'CVE-2020-8558'].map((id) => [`/osv/${id}.json`, () => ({ body: readFileSync(K8S_VULNS(`${id}.json`)) })] as const),
      ['/osv/CVE-2024-5321.json', () => (osvFails ? { status: 500 } : { body: readFileSync(K8S_VULNS('CVE-2024-5321.json')) })],
    ]);
    const server = await exportServer(t, routes);
    const db = join(tempDir('vuln-db-k8s', t), 'osv');
    const update = () => runCliAsync(['vuln', 'db', 'update', '--db', db, '--ecosystems', 'kubernetes', '--kubernetes-feed', `${server.url}/feed/index.json`, '--kubernetes-osv', `${server.url}/osv/`]);

    const first = await update();
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /^kubernetes {2}updated {2}5 records \(0 withdrawn, 0 invalid\); the feed \([\d.]+ kB\) names 6 CVEs, 1 without an OSV record yet \(CVE-2021-25743\)$/m);
    assert.deepEqual(readdirSync(join(db, 'kubernetes')).sort(), ['feed.json', 'meta.json', 'records']);
    assert.deepEqual(readdirSync(join(db, 'kubernetes', 'records')).sort(), ['CVE-2020-8558.json', 'CVE-2023-2431.json', 'CVE-2023-2727.json', 'CVE-2023-2728.json', 'CVE-2024-5321.json']);
    const meta = readMeta(join(db, 'kubernetes'))!;
    assert.deepEqual([meta.records, meta.feedCves, meta.withoutOsv, meta.etag], [5, 6, ['CVE-2021-25743'], '"feed-1"']);

    const cves = async () => {
      const opened = await openAdvisoryDatabase(db);
      assert.deepEqual(opened.problems, []);
      return kubernetesCveFindings([{ component: 'kubelet', gitVersion: 'v1.27.1', where: 'node/a' }, { component: 'kube-apiserver', gitVersion: 'v1.26.5' }, { component: 'kube-proxy', gitVersion: 'v1.18.3', where: 'node/a' }], opened.kubernetes)
        .map((finding) => `${finding.component} ${finding.id} ${finding.fixedVersion}`);
    };
    const expected = ['kube-apiserver CVE-2023-2727 1.26.6', 'kube-apiserver CVE-2023-2728 1.26.6', 'kube-proxy CVE-2020-8558 1.18.4', 'kubelet CVE-2023-2431 1.27.2', 'kubelet CVE-2024-5321 1.27.16'];
    assert.deepEqual(await cves(), expected);

    // The feed is unchanged (304 on its ETag): current, nothing else fetched.
    const before = server.seen.length;
    const second = await update();
    assert.equal(second.code, 0);
    assert.match(second.stdout, /^kubernetes {2}current {2}5 records/m);
    assert.deepEqual(server.seen.slice(before), ['GET /feed/index.json if-none-match "feed-1"']);

    // The feed changes, and one OSV record fails (500); then the feed itself: each time the previous copy stays, whole.
    etag = '"feed-2"';
    osvFails = true;
    const third = await update();
    assert.equal(third.code, 1);
    assert.match(third.stdout, /^kubernetes {2}failed {3}http:\/\/127\.0\.0\.1:\d+\/osv\/CVE-2024-5321\.json: HTTP 500 Internal Server Error$/m);
    feedFails = true;
    const fourth = await update();
    assert.match(fourth.stdout, /^kubernetes {2}failed {3}http:\/\/127\.0\.0\.1:\d+\/feed\/index\.json: HTTP 500 Internal Server Error$/m);
    assert.deepEqual(readdirSync(join(db, 'kubernetes')).sort(), ['feed.json', 'meta.json', 'records']);
    assert.equal(readMeta(join(db, 'kubernetes'))!.etag, '"feed-1"');
    assert.deepEqual(await cves(), expected);

    // A first update that fails leaves no folder behind.
    const fresh = join(tempDir('vuln-db-k8s-fresh', t), 'osv');
    const failed = await runCliAsync(['vuln', 'db', 'update', '--db', fresh, '--ecosystems', 'kubernetes', '--kubernetes-feed', `${server.url}/feed/index.json`, '--kubernetes-osv', `${server.url}/osv/`]);
    assert.equal(failed.code, 1);
    assert.ok(!existsSync(join(fresh, 'kubernetes')));
  });

  it('reads the ids of a JSON Feed: several per item, once each; anything else is refused by name', () => {
    const text = readFileSync(sharedPath('vuln', 'k8s-cves', 'cve-feed-osv', 'collector-testdata', 'k8s-db.json'), 'utf8');
    assert.deepEqual(feedCveIds(text), ['CVE-2023-2431', 'CVE-2023-2727', 'CVE-2023-2728', 'CVE-2023-2878', 'CVE-2021-3121', 'CVE-2020-8554', 'CVE-2020-8557', 'CVE-2017-1002102']);
    assert.throws(() => feedCveIds('<html>'), /the feed is not JSON/);
    assert.throws(() => feedCveIds('{"items": []}'), /not a JSON Feed/);
  });

  it('an ecosystem name cannot leave the database folder', async (t) => {
    const db = join(tempDir('vuln-db-names', t), 'osv');
    const result = await runCliAsync(['vuln', 'db', 'update', '--db', db, '--ecosystems', '../escape', '--url', 'http://127.0.0.1:9']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^\.\.\/escape\s+failed\s+not an ecosystem name: "\.\.\/escape"$/m);
  });
});
