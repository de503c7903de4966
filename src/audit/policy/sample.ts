/** Representative requests, for asking a policy "what would you log for this?" (lint, blind-rule checks, explain). */
import type { AuditRequest } from './types.js';

/** A request described by the fields that matter; the rest take the defaults of `sampleRequest`. */
export type SampleRequest = Partial<AuditRequest>;

export const HUMAN_USER = { name: 'alice', groups: ['system:authenticated'] } as const;
export const SERVICE_ACCOUNT_USER = {
  name: 'system:serviceaccount:apps:builder',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:apps', 'system:authenticated'],
} as const;

/** A namespaced `get pods/x` by an ordinary user, changed by `fields`. */
export function sampleRequest(fields: SampleRequest): AuditRequest {
  const request: AuditRequest = {
    user: HUMAN_USER,
    verb: 'get',
    resourceRequest: fields.resourceRequest ?? fields.path === undefined,
    namespace: 'default',
    apiGroup: '',
    resource: 'pods',
    subresource: '',
    name: 'example',
    path: '',
    ...fields,
  };
  // Requests on collections carry no name, as the API server sees them.
  const collection = ['list', 'watch', 'create', 'deletecollection'].includes(request.verb) && request.subresource === '';
  return collection && fields.name === undefined ? { ...request, name: '' } : request;
}

/** `pods/exec` → resource and subresource. */
export function splitResource(text: string): { resource: string; subresource: string } {
  const slash = text.indexOf('/');
  return slash === -1 ? { resource: text, subresource: '' } : { resource: text.slice(0, slash), subresource: text.slice(slash + 1) };
}

/** How a request reads in messages: `create pods/exec in default`, `get /metrics`, `list secrets (all namespaces)`. */
export function describeRequest(request: AuditRequest): string {
  if (!request.resourceRequest) return `${request.verb} ${request.path}`;
  const group = request.apiGroup === '' ? '' : `.${request.apiGroup}`;
  const what = `${request.resource}${group}${request.subresource === '' ? '' : `/${request.subresource}`}`;
  const where = request.namespace === '' ? (['list', 'watch'].includes(request.verb) ? ' (all namespaces)' : '') : ` in ${request.namespace}`;
  return `${request.verb} ${what}${request.name === '' ? '' : ` ${request.name}`}${where}`;
}
