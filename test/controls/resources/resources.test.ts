import { control as cpuLimit } from '../../../src/controls/resources/cpu-limit.js';
import { control as memoryLimit } from '../../../src/controls/resources/memory-limit.js';
import { control as requests } from '../../../src/controls/resources/requests.js';
import { testControl } from '../../support/control-tester.js';

const withResources = (resources: object, init: object = {}) => ({
  containers: [{ name: 'app', image: 'x', resources }],
  initContainers: [{ name: 'init', image: 'x', resources: init }],
});
const complete = { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } };

testControl(cpuLimit, {
  valid: [{ name: 'limit set (init containers are not judged)', spec: withResources(complete) }],
  invalid: [
    { name: 'no resources', fields: ['spec.containers[0].resources.limits.cpu'] },
    { name: 'memory only', spec: withResources({ limits: { memory: '1Gi' } }), fields: ['spec.containers[0].resources.limits.cpu'] },
  ],
});

testControl(memoryLimit, {
  valid: [{ name: 'limit set', spec: withResources(complete) }],
  invalid: [{ name: 'cpu only', spec: withResources({ limits: { cpu: 1 } }), fields: ['spec.containers[0].resources.limits.memory'] }],
});

testControl(requests, {
  valid: [{ name: 'both requests', spec: withResources(complete) }],
  invalid: [
    { name: 'none', fields: ['spec.containers[0].resources.requests.cpu', 'spec.containers[0].resources.requests.memory'] },
    { name: 'memory missing', spec: withResources({ requests: { cpu: '1' } }), fields: ['spec.containers[0].resources.requests.memory'] },
  ],
});
