/** The valid and invalid cases of image-digest, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import type { ControlCases } from '../../support/control-tester.js';
import { image, DIGEST } from './fixtures.js';

export const cases: ControlCases = {
  valid: [{ name: 'digest', spec: image(`nginx:1.27@${DIGEST}`) }],
  invalid: [{ name: 'tag only', spec: image('nginx:1.27'), fields: ['spec.containers[0].image'] }],
};
