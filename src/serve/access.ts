/**
 * Who may read the agent's pages. On the loopback interface anyone who can reach the port (a `kubectl
 * port-forward`); on any other interface only a bearer token the API server accepts (TokenReview) for a user
 * RBAC allows (SubjectAccessReview): the dashboard asks for `list` on PolicyReports cluster-wide, as reading the
 * reports themselves would; /metrics asks for `get` on the non-resource path /metrics, as kube-rbac-proxy does.
 * Another cluster of a fleet's history (one `--dashboard-clusters` lets the dashboard show) also needs `get` on
 * `clusters.kubeharden.io` with that cluster's name: a resource no API server serves, which RBAC grants and
 * SubjectAccessReview judges all the same (`resourceNames` narrows a role to some clusters).
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { ApiClient } from '../cluster/api-client.js';
import { parseObject } from '../cluster/lister.js';
import { isRecord } from '../util/object.js';

/** The user a TokenReview found, as a SubjectAccessReview names it. */
export interface ReviewedUser {
  readonly user: string;
  readonly groups?: unknown;
  readonly uid?: string;
  readonly extra?: Record<string, unknown>;
}

export type Decision = { readonly allowed: true; readonly reviewed: ReviewedUser } | { readonly allowed: false; readonly status: 401 | 403; readonly reason: string };

/** The API group and resource of the clusters a fleet's dashboard shows (see above). */
export const CLUSTERS_RESOURCE = { group: 'kubeharden.io', resource: 'clusters' } as const;

/** What a request asks to see. */
export type Permission = 'dashboard' | 'metrics';

/**
 * An allowed token is remembered this long per permission, so a page's requests cost the API server one review;
 * a refusal is not remembered, so a role bound a moment ago counts at once.
 */
const CACHE_MS = 60_000;

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}

export class TokenAccess {
  private readonly cache = new Map<string, { decision: Decision; until: number }>();

  constructor(private readonly client: ApiClient) {}

  async check(authorization: string | undefined, permission: Permission): Promise<Decision> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return { allowed: false, status: 401, reason: 'a bearer token is required off the loopback interface' };
    return this.remembered(`${permission}\u0000${createHash('sha256').update(token).digest('hex')}`, () => this.review(token, permission));
  }

  /** May this user see another cluster of the history? `get` on clusters.kubeharden.io named after it. */
  async allowsCluster(reviewed: ReviewedUser, cluster: string): Promise<boolean> {
    const key = `cluster\u0000${createHash('sha256').update(JSON.stringify([reviewed, cluster])).digest('hex')}`;
    const decision = await this.remembered(key, async (): Promise<Decision> =>
      (await this.access({ ...reviewed, resourceAttributes: { ...CLUSTERS_RESOURCE, name: cluster, verb: 'get' } }))
        ? { allowed: true, reviewed }
        : { allowed: false, status: 403, reason: `${reviewed.user} may not get clusters.kubeharden.io ${cluster}` });
    return decision.allowed;
  }

  /** An allowed decision of the last CACHE_MS under its key, or a fresh one (remembered when it allows). */
  private async remembered(key: string, decide: () => Promise<Decision>): Promise<Decision> {
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.decision;
    const decision = await decide();
    if (this.cache.size > 10_000) this.cache.clear();
    if (decision.allowed) this.cache.set(key, { decision, until: Date.now() + CACHE_MS });
    return decision;
  }

  private async access(spec: Record<string, unknown>): Promise<boolean> {
    const access = await this.client.write('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec });
    if (access.status !== 201 && access.status !== 200) throw new Error(`SubjectAccessReview: HTTP ${access.status}`);
    const status = parseObject(access.body)?.['status'];
    return isRecord(status) && status['allowed'] === true;
  }

  private async review(token: string, permission: Permission): Promise<Decision> {
    const review = await this.client.write('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } });
    const status = isRecord(parseObject(review.body)?.['status']) ? (parseObject(review.body)!['status'] as Record<string, unknown>) : undefined;
    if (review.status !== 201 && review.status !== 200) throw new Error(`TokenReview: HTTP ${review.status}`);
    if (!status || status['authenticated'] !== true || !isRecord(status['user'])) return { allowed: false, status: 401, reason: 'the API server does not accept this token' };
    const user = status['user'];
    const username = typeof user['username'] === 'string' ? user['username'] : '';
    const reviewed: ReviewedUser = {
      user: username,
      ...(Array.isArray(user['groups']) ? { groups: user['groups'] } : {}),
      ...(typeof user['uid'] === 'string' ? { uid: user['uid'] } : {}),
      ...(isRecord(user['extra']) ? { extra: user['extra'] } : {}),
    };
    const attributes = permission === 'metrics' ? { nonResourceAttributes: { path: '/metrics', verb: 'get' } } : { resourceAttributes: { group: 'wgpolicyk8s.io', resource: 'policyreports', verb: 'list' } };
    if (await this.access({ ...reviewed, ...attributes })) return { allowed: true, reviewed };
    return { allowed: false, status: 403, reason: `${username} may not ${permission === 'metrics' ? 'get /metrics' : 'list policyreports.wgpolicyk8s.io'}` };
  }
}
