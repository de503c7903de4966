import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { control as imageDigest } from '../../../src/controls/images/image-digest.js';
import { control as imageTag } from '../../../src/controls/images/image-tag.js';
import { control as pullPolicy } from '../../../src/controls/images/pull-policy.js';
import { parseImageReference } from '../../../src/kube/image-reference.js';
import { testControl } from '../../support/control-tester.js';
import { DIGEST } from './fixtures.js';
import { cases as imageTagCases } from './image-tag.cases.js';
import { cases as imageDigestCases } from './image-digest.cases.js';
import { cases as pullPolicyCases } from './pull-policy.cases.js';


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

testControl(imageTag, imageTagCases);

testControl(imageDigest, imageDigestCases);

testControl(pullPolicy, pullPolicyCases);
