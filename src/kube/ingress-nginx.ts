/** What ingress-nginx reads from an Ingress: its annotations under the controller's default prefix. */
import { isRecord, record } from '../util/object.js';

export const INGRESS_NGINX_PREFIX = 'nginx.ingress.kubernetes.io/';

export const INGRESS_KINDS = ['networking.k8s.io/Ingress', 'extensions/Ingress'] as const;

/** `*-snippet` annotations paste raw nginx configuration (server-snippet, configuration-snippet, auth-snippet, ...). */
export function isSnippetAnnotation(key: string): boolean {
  return key.startsWith(INGRESS_NGINX_PREFIX) && key.endsWith('-snippet');
}

/** The Ingress's ingress-nginx annotations with string values, in their order. */
export function ingressNginxAnnotations(object: Record<string, unknown>): [string, string][] {
  const annotations = record(record(object.metadata)?.annotations);
  if (!isRecord(annotations)) return [];
  return Object.entries(annotations).filter((entry): entry is [string, string] => entry[0].startsWith(INGRESS_NGINX_PREFIX) && typeof entry[1] === 'string');
}
