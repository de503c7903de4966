/**
 * What a per-resource report (`kubeharden serve --report-scope resource`) holds of a `--format policyreport`
 * result, spelled here apart from src/serve/resource-report.ts so the tests check the rule, not the code: no
 * `resources` (the report's `scope` names the resource), and none of the properties that repeat what the catalog
 * says of the result's control (its id, title, remediation, NSA/CISA section, PSS level and check) when they are
 * the catalog's; a value of the finding's own stays.
 */
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

export function asPerResourceResult<T extends { policy?: unknown; properties?: unknown; resources?: unknown }>(result: T): Omit<T, 'resources'> {
  const { resources: _, ...rest } = result;
  if (typeof result.policy !== 'string' || typeof result.properties !== 'object' || result.properties === null) return rest;
  const policy = result.policy;
  const properties = Object.fromEntries(
    Object.entries(result.properties as Record<string, unknown>).filter(([key, value]) => !((CATALOG_PROPERTIES as readonly string[]).includes(key) && catalogValue(policy, key as (typeof CATALOG_PROPERTIES)[number]) === value)),
  );
  return { ...rest, properties } as Omit<T, 'resources'>;
}
