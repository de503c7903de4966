/**
 * What a per-resource report (`kubeharden serve --report-scope resource`) holds of a `--format policyreport`
 * result, spelled here apart from src/serve/resource-report.ts so the tests check the rule, not the code: no
 * `resources` (the report's `scope` names the resource), and none of the properties that repeat what the catalog
 * says of the result's control (its id, title, remediation, NSA/CISA section, PSS level and check) when they are
 * the catalog's; a value of the finding's own stays; and no `file`, `line`, `column` when the finding is on the live
 * resource itself (its API path, line 0, column 0), which the scope names.
 */
import { listedKind, liveObjectFile } from '../../src/cluster/resource-kinds.js';
import { ruleMeta } from '../../src/report/rule-meta.js';

const CATALOG_PROPERTIES = ['controlId', 'title', 'remediation', 'nsaSection', 'pssLevel', 'pssCheck'] as const;

function catalogValue(policy: string, key: (typeof CATALOG_PROPERTIES)[number]): string | undefined {
  const meta = ruleMeta(policy);
  if (meta === undefined) return undefined;
  switch (key) {
    case 'controlId':
      return meta.id;
    case 'title':
      return meta.title;
    case 'remediation':
      return meta.remediation.text;
    case 'nsaSection':
      return meta.nsaSection;
    case 'pssLevel':
      return meta.pss?.level;
    case 'pssCheck':
      return meta.pss?.check;
  }
}

/** The API path a live finding on the resource itself has as its `file` (with line and column 0). */
function ownPlace(resources: unknown): string | undefined {
  const resource = Array.isArray(resources) ? (resources[0] as { apiVersion?: string; kind?: string; namespace?: string; name?: string } | undefined) : undefined;
  const kind = resource?.apiVersion === undefined || resource.kind === undefined ? undefined : listedKind(resource.apiVersion, resource.kind);
  return kind === undefined || resource?.name === undefined ? undefined : liveObjectFile(kind, resource.namespace, resource.name);
}

/** The result as a per-resource report holds it; `resources` (the full scan's) says which resource it is about. */
export function asPerResourceResult<T extends { policy?: unknown; properties?: unknown; resources?: unknown }>(result: T): Omit<T, 'resources'> {
  const { resources, ...rest } = result;
  if (typeof result.policy !== 'string' || typeof result.properties !== 'object' || result.properties === null) return rest;
  const policy = result.policy;
  const given = result.properties as Record<string, unknown>;
  // On the live resource itself (its API path, line 0, column 0): the report's scope says so already.
  const onItself = given['file'] === ownPlace(resources) && given['line'] === '0' && given['column'] === '0';
  const properties = Object.fromEntries(
    Object.entries(given).filter(([key, value]) => {
      if (onItself && (key === 'file' || key === 'line' || key === 'column')) return false;
      return !((CATALOG_PROPERTIES as readonly string[]).includes(key) && catalogValue(policy, key as (typeof CATALOG_PROPERTIES)[number]) === value);
    }),
  );
  return { ...rest, properties } as Omit<T, 'resources'>;
}
