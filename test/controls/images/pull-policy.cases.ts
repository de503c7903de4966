/** The valid and invalid cases of pull-policy, as data: test/cluster/vap-oracle.test.ts creates them on the API server too. */
import type { ControlCases } from '../../support/control-tester.js';
import { image, DIGEST } from './fixtures.js';

export const cases: ControlCases = {
  valid: [
    { name: 'digest with IfNotPresent', spec: image(`nginx@${DIGEST}`, { imagePullPolicy: 'IfNotPresent' }) },
    { name: 'tag with Always', spec: image('nginx:1.27', { imagePullPolicy: 'Always' }) },
    { name: 'latest defaults to Always', spec: image('nginx:latest') },
  ],
  invalid: [
    { name: 'tag defaults to IfNotPresent', spec: image('nginx:1.27'), fields: ['spec.containers[0].image'] },
    { name: 'Never', spec: image('nginx:1.27', { imagePullPolicy: 'Never' }), fields: ['spec.containers[0].imagePullPolicy'] },
  ],
};
