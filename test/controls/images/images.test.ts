import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { control as imageDigest } from '../../../src/controls/images/image-digest.js';
import { control as imageTag } from '../../../src/controls/images/image-tag.js';
import { control as pullPolicy } from '../../../src/controls/images/pull-policy.js';
import { parseImageReference } from '../../../src/kube/image-reference.js';
import { testControl } from '../../support/control-tester.js';

const image = (reference: string, extra: object = {}) => ({ containers: [{ name: 'app', image: reference, ...extra }] });
const DIGEST = 'sha256:0c4e1b5b3a1e4c9b8f2d3f1a6f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e';

describe('parseImageReference', () => {
  const cases: [string, string, string, string | undefined, string | undefined][] = [
    ['nginx', 'docker.io', 'nginx', undefined, undefined],
    ['nginx:1.27', 'docker.io', 'nginx', '1.27', undefined],
    ['library/nginx:latest', 'docker.io', 'library/nginx', 'latest', undefined],
    ['localhost:5000/app', 'localhost:5000', 'app', undefined, undefined],
    ['registry.k8s.io/pause:3.9', 'registry.k8s.io', 'pause', '3.9', undefined],
    [`ghcr.io/org/app:v2@${DIGEST}`, 'ghcr.io', 'org/app', 'v2', DIGEST],
    [`quay.io/org/app@${DIGEST}`, 'quay.io', 'org/app', undefined, DIGEST],
  ];
  for (const [reference, registry, repository, tag, digest] of cases) {
    it(reference, () => assert.deepEqual(parseImageReference(reference), { registry, repository, tag, digest }));
  }
});

testControl(imageTag, {
  valid: [
    { name: 'version tag', spec: image('nginx:1.27.3') },
    { name: 'latest pinned by digest', spec: image(`nginx:latest@${DIGEST}`) },
    { name: 'registry port is not a tag', spec: image('localhost:5000/app:1.0') },
  ],
  invalid: [
    { name: 'no tag', spec: image('nginx'), fields: ['spec.containers[0].image'] },
    { name: 'latest', spec: image('registry.example:5000/app:latest'), fields: ['spec.containers[0].image'] },
  ],
});

testControl(imageDigest, {
  valid: [{ name: 'digest', spec: image(`nginx:1.27@${DIGEST}`) }],
  invalid: [{ name: 'tag only', spec: image('nginx:1.27'), fields: ['spec.containers[0].image'] }],
});

testControl(pullPolicy, {
  valid: [
    { name: 'digest with IfNotPresent', spec: image(`nginx@${DIGEST}`, { imagePullPolicy: 'IfNotPresent' }) },
    { name: 'tag with Always', spec: image('nginx:1.27', { imagePullPolicy: 'Always' }) },
    { name: 'latest defaults to Always', spec: image('nginx:latest') },
  ],
  invalid: [
    { name: 'tag defaults to IfNotPresent', spec: image('nginx:1.27'), fields: ['spec.containers[0].image'] },
    { name: 'Never', spec: image('nginx:1.27', { imagePullPolicy: 'Never' }), fields: ['spec.containers[0].imagePullPolicy'] },
  ],
});
