/**
 * `kubeharden images`: every image of every container kind, grouped with the workloads that run it; owned objects
 * (a Deployment's ReplicaSet) stand behind their owner; table, JSON and Markdown through the compiled CLI.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli-process.js';
import { tempDir } from '../support/temp-dir.js';

const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      initContainers: [{name: migrate, image: "registry.example.com/shop/migrate:2.1"}]
      containers:
        - {name: web, image: "nginx:1.25"}
        - {name: proxy, image: "registry.example.com/shop/proxy@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-5d4f
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, controller: true, uid: u1}]
spec:
  template:
    spec:
      containers: [{name: web, image: "nginx:1.25"}]
---
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: shop}
spec:
  containers: [{name: app, image: "nginx:1.25"}]
  ephemeralContainers: [{name: shell, image: busybox}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: batch}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{name: report, image: "registry.example.com/shop/migrate:2.1"}, {name: empty, image: ""}]
`;

describe('kubeharden images', () => {
  it('lists each image once with the workloads and containers that run it', (t) => {
    const dir = tempDir('images', t);
    const file = join(dir, 'app.yaml');
    writeFileSync(file, MANIFESTS);
    const json = runCli(['images', file, '-o', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as { images: { image: string; registry: string; repository: string; tag: string | null; digest: string | null; workloads: { kind: string; namespace: string; name: string; container: string; containerType: string; line: number }[] }[] };
    assert.deepEqual(
      report.images.map((image) => [image.image, image.registry, image.repository, image.tag, image.digest?.slice(0, 13) ?? null, image.workloads.map((w) => `${w.kind} ${w.namespace}/${w.name} ${w.container} ${w.containerType} line ${w.line}`)]),
      [
        ['busybox', 'docker.io', 'busybox', null, null, ['Pod shop/debug shell ephemeral line 28']],
        ['nginx:1.25', 'docker.io', 'nginx', '1.25', null, ['Deployment shop/web web regular line 9', 'Pod shop/debug app regular line 27']],
        ['registry.example.com/shop/migrate:2.1', 'registry.example.com', 'shop/migrate', '2.1', null, ['CronJob batch/report report regular line 38', 'Deployment shop/web migrate init line 7']],
        ['registry.example.com/shop/proxy@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'registry.example.com', 'shop/proxy', null, 'sha256:012345', ['Deployment shop/web proxy regular line 10']],
      ],
    );
    const table = runCli(['images', file]);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^IMAGE +WORKLOADS\nbusybox +Pod shop\/debug \[shell, ephemeral\]\nnginx:1\.25 +Deployment shop\/web \[web\]\n +Pod shop\/debug \[app\]\n/);
    assert.match(table.stdout, /\n4 images, 6 containers\n$/);
    const markdown = runCli(['images', file, '-o', 'markdown']);
    assert.match(markdown.stdout, /\| registry\.example\.com\/shop\/migrate:2\.1 \| CronJob batch\/report \\\[report\\\]<br>Deployment shop\/web \\\[migrate, init\\\] \|/);
  });

  it('needs input, and reports unreadable input with exit 2', (t) => {
    assert.equal(runCli(['images']).code, 2);
    const dir = tempDir('images', t);
    const result = runCli(['images', join(dir, 'missing.yaml')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /missing\.yaml/);
  });

  it('--output makes its folder, and a file it cannot write is one line and exit 2, not a crash', (t) => {
    const dir = tempDir('images', t);
    const file = join(dir, 'app.yaml');
    writeFileSync(file, MANIFESTS);
    const written = runCli(['images', file, '--output', join(dir, 'new', 'images.txt')]);
    assert.equal(written.code, 0, written.stderr);
    assert.match(readFileSync(join(dir, 'new', 'images.txt'), 'utf8'), /\n4 images, 6 containers\n$/);
    // A folder that is a file: it crashed with "internal error" and a stack trace.
    const refused = runCli(['images', file, '--output', join(file, 'images.txt')]);
    assert.equal(refused.code, 2);
    assert.equal(refused.stdout, '');
    assert.match(refused.stderr, /^kubeharden: cannot write \S+app\.yaml\/images\.txt: EEXIST[^\n]*\n$/);
  });
});
