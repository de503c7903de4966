/** Random pods → fix → parse both: the only paths that differ belong to controls the summary lists as fixed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { stringify } from 'yaml';
import { fixText } from './support.js';

const securityContext = fc.record(
  {
    allowPrivilegeEscalation: fc.boolean(),
    runAsNonRoot: fc.boolean(),
    readOnlyRootFilesystem: fc.boolean(),
    capabilities: fc.record({ drop: fc.subarray(['ALL', 'NET_RAW', 'CHOWN']), add: fc.subarray(['NET_BIND_SERVICE', 'SYS_ADMIN']) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);
const container = (index: number) =>
  fc.record(
    {
      name: fc.constant(`c${index}`),
      image: fc.constant('app@sha256:1'),
      ports: fc.array(fc.record({ containerPort: fc.constantFrom(80, 443, 8080) }), { minLength: 1, maxLength: 2 }),
      securityContext,
    },
    { requiredKeys: ['name', 'image'] },
  );
const pod = fc.record({
  containers: fc.tuple(container(0), fc.option(container(1), { nil: undefined })).map(([a, b]) => (b ? [a, b] : [a])),
  securityContext: fc.option(fc.record({ runAsUser: fc.constantFrom(1000, 2000) }, { requiredKeys: [] }), { nil: undefined }),
  flow: fc.boolean(),
});

/** Which control's fix may change a path (dotted, with [i] for list items). */
const OWNERS: readonly [RegExp, string][] = [
  [/^spec\.securityContext\.seccompProfile/, 'POD-SECCOMP-REQUIRED'],
  [/^spec\.containers\[\d\]\.securityContext\.allowPrivilegeEscalation$/, 'POD-NO-PRIV-ESCALATION'],
  [/^spec\.containers\[\d\]\.securityContext\.capabilities/, 'POD-CAPS-DROP-ALL'],
  [/^spec\.securityContext\.(runAsNonRoot|runAsUser|runAsGroup)$|^spec\.containers\[\d\]\.securityContext\.runAsNonRoot$/, 'POD-RUN-AS-NON-ROOT'],
  [/^spec\.containers\[\d\]\.securityContext\.readOnlyRootFilesystem$|^spec\.containers\[\d\]\.volumeMounts|^spec\.volumes/, 'POD-READONLY-ROOTFS'],
];

function differingPaths(a: unknown, b: unknown, path = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  // A mapping or list the fix created: compare its leaves with nothing.
  if (a === undefined && typeof b === 'object' && b !== null) a = Array.isArray(b) ? [] : {};
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return [path];
  if (Array.isArray(a) && Array.isArray(b) && !path.endsWith('capabilities.drop') && !path.endsWith('capabilities.add')) {
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => differingPaths(a[i], b[i], `${path}[${i}]`)).flat();
  }
  if (Array.isArray(a) || Array.isArray(b)) return [path];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((key) => differingPaths((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], path ? `${path}.${key}` : key));
}

describe('fix property', () => {
  it('changes only the paths of the fixes it reports as fixed', async () => {
    await fc.assert(
      fc.asyncProperty(pod, async ({ flow, ...spec }) => {
        const object = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: JSON.parse(JSON.stringify(spec)) as object };
        const text = flow ? `${JSON.stringify(object, null, 1)}\n` : stringify(object);
        const result = await fixText(text, { framework: 'nsa', file: flow ? 'pod.json' : 'pod.yaml' });
        const fixedControls = new Set(result.outcomes.filter((outcome) => outcome.status === 'fixed').map((outcome) => outcome.finding.controlId));
        const before = yaml.load(text);
        const after = yaml.load(result.files[0]?.fixed ?? '');
        for (const path of differingPaths(before, after)) {
          const owner = OWNERS.find(([pattern]) => pattern.test(path))?.[1];
          assert.ok(owner !== undefined, `${path} changed, but no fix owns it`);
          // The user and group come with runAsNonRoot; the /tmp volume with the read-only root.
          assert.ok(fixedControls.has(owner), `${path} changed for ${owner}, which the summary does not list as fixed`);
        }
      }),
      { numRuns: 60, seed: 15 },
    );
  });
});
