/** The valid and invalid cases of image-tag, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import type { ControlCases } from '../../support/control-tester.js';
import { image, DIGEST } from './fixtures.js';

export const cases: ControlCases = {
  valid: [
    { name: 'version tag', spec: image('nginx:1.27.3') },
    { name: 'latest pinned by digest', spec: image(`nginx:latest@${DIGEST}`) },
    { name: 'registry port is not a tag', spec: image('localhost:5000/app:1.0') },
  ],
  invalid: [
    { name: 'no tag', spec: image('nginx'), fields: ['spec.containers[0].image'] },
    { name: 'latest', spec: image('registry.example:5000/app:latest'), fields: ['spec.containers[0].image'] },
  ],
};
