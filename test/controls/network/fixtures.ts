/** Objects for the Service and Ingress controls' cases. */
export const service = (spec: object) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { ports: [{ port: 80 }], ...spec } });
export const ingress = (spec: object, apiVersion = 'networking.k8s.io/v1') => ({ apiVersion, kind: 'Ingress', metadata: { name: 'i' }, spec });
