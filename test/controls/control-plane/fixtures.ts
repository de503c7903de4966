/** Files that kube-apiserver flags name, for the control-plane tests. */

export const AUTHZ_CONFIG = '/etc/kubernetes/authz.yaml';

/** An AuthorizationConfiguration (--authorization-config) with one authorizer per type, in order. */
export function authorizationConfig(...types: string[]): string {
  const authorizers = types.map((type) => `  - type: ${type}\n    name: ${type.toLowerCase()}\n`).join('');
  return `apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\nauthorizers:\n${authorizers}`;
}
