/** Pods for the resource controls' cases: a container and an init container with the given resources. */
export const withResources = (resources: object, init: object = {}) => ({
  containers: [{ name: 'app', image: 'x', resources }],
  initContainers: [{ name: 'init', image: 'x', resources: init }],
});
export const complete = { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } };
