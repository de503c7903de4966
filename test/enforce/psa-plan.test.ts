/** `kubeharden psa plan`: the level each workload and namespace passes, the labels to set, and their status. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { enforcePolicy, stricterLevel, type PsaLevel } from '../../src/enforce/psa-plan/levels.js';
import { labelStatus, planNamespaces, recommendedLabels, strictestPassing, type LabelStatus, type PlanInput, type PlanWorkload } from '../../src/enforce/psa-plan/plan.js';
import { workloadLevel } from '../../src/enforce/psa-plan/workload-level.js';
import { TemplatePaths } from '../../src/kube/pod-templates.js';
import { parseKubeVersion } from '../../src/kube/version.js';
import { loadResources, type InputError, type LoadedResource } from '../../src/loader/source.js';

const RESTRICTED_SPEC = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'app', image: 'app:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
};

function resource(object: Record<string, unknown>): LoadedResource {
  const errors: InputError[] = [];
  const [loaded] = [...loadResources('plan.yaml', Buffer.from(yaml.dump(object)), errors, false)];
  assert.deepEqual(errors, []);
  return loaded as LoadedResource;
}

function pod(name: string, spec: Record<string, unknown>, namespace?: string): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(namespace ? { namespace } : {}) }, spec };
}

const withContainer = (change: Record<string, unknown>) => ({ ...RESTRICTED_SPEC, containers: [{ ...RESTRICTED_SPEC.containers[0], ...change }] });

describe('workloadLevel: the strictest level a pod template passes at a version', () => {
  const cases: { name: string; spec: Record<string, unknown>; version: string; passes: PsaLevel; baseline: string[]; restricted: string[] }[] = [
    { name: 'a restricted pod', spec: RESTRICTED_SPEC, version: '1.37', passes: 'restricted', baseline: [], restricted: [] },
    {
      name: 'no runAsNonRoot',
      spec: { ...RESTRICTED_SPEC, securityContext: { seccompProfile: { type: 'RuntimeDefault' } } },
      version: '1.37',
      passes: 'baseline',
      baseline: [],
      restricted: ['runAsNonRoot'],
    },
    { name: 'privileged', spec: withContainer({ securityContext: { privileged: true } }), version: '1.37', passes: 'privileged', baseline: ['privileged'], restricted: ['allowPrivilegeEscalation', 'capabilities_restricted', 'privileged'] },
    {
      name: 'a sysctl made safe in 1.37, at 1.36',
      spec: { ...RESTRICTED_SPEC, securityContext: { ...RESTRICTED_SPEC.securityContext, sysctls: [{ name: 'net.ipv4.tcp_slow_start_after_idle', value: '0' }] } },
      version: '1.36',
      passes: 'privileged',
      baseline: ['sysctls'],
      restricted: ['sysctls'],
    },
    {
      name: 'the same sysctl at 1.37',
      spec: { ...RESTRICTED_SPEC, securityContext: { ...RESTRICTED_SPEC.securityContext, sysctls: [{ name: 'net.ipv4.tcp_slow_start_after_idle', value: '0' }] } },
      version: '1.37',
      passes: 'restricted',
      baseline: [],
      restricted: [],
    },
    // capabilities_restricted exists from 1.22: before, added NET_BIND_SERVICE without drop ALL passes restricted.
    { name: 'no drop ALL at 1.21', spec: withContainer({ securityContext: { allowPrivilegeEscalation: false } }), version: '1.21', passes: 'restricted', baseline: [], restricted: [] },
    { name: 'no drop ALL at 1.22', spec: withContainer({ securityContext: { allowPrivilegeEscalation: false } }), version: '1.22', passes: 'baseline', baseline: [], restricted: ['capabilities_restricted'] },
  ];
  for (const entry of cases) {
    it(entry.name, () => {
      const level = workloadLevel(resource(pod('p', entry.spec)), parseKubeVersion(entry.version), new TemplatePaths());
      assert.equal(level.passes, entry.passes);
      assert.deepEqual([...new Set(level.baseline.map((v) => v.check))].sort(), entry.baseline);
      assert.deepEqual([...new Set(level.restricted.map((v) => v.check))].sort(), entry.restricted);
    });
  }

  it('names the field and position of each violation', () => {
    const level = workloadLevel(resource(pod('p', withContainer({ securityContext: { privileged: true } }))), parseKubeVersion('1.37'), new TemplatePaths());
    assert.deepEqual(level.baseline.map((v) => [v.controlId, v.field, v.line]), [['POD-NO-PRIVILEGED', 'spec.containers[0].securityContext.privileged', 14]]);
  });
});

describe('strictestPassing and stricterLevel', () => {
  const cases: [PsaLevel[], PsaLevel][] = [
    [[], 'restricted'],
    [['restricted', 'restricted'], 'restricted'],
    [['restricted', 'baseline'], 'baseline'],
    [['baseline', 'privileged', 'restricted'], 'privileged'],
  ];
  for (const [levels, expected] of cases) it(`[${levels.join(', ')}] → ${expected}`, () => assert.equal(strictestPassing(levels), expected));
  it('the next level', () => assert.deepEqual((['privileged', 'baseline', 'restricted'] as const).map(stricterLevel), ['baseline', 'restricted', 'restricted']));
});

describe('labelStatus: the current enforce level against the level that passes', () => {
  const cases: [PsaLevel | undefined, PsaLevel, boolean, LabelStatus][] = [
    [undefined, 'restricted', false, 'missing'],
    [undefined, 'privileged', false, 'missing'],
    ['privileged', 'baseline', false, 'weaker'],
    ['baseline', 'restricted', false, 'weaker'],
    ['baseline', 'baseline', false, 'matches'],
    ['restricted', 'restricted', false, 'matches'],
    ['restricted', 'baseline', false, 'stronger'],
    ['baseline', 'privileged', false, 'stronger'],
    // Level equal at the target, but the version the label pins rejects a workload.
    ['baseline', 'baseline', true, 'stronger'],
  ];
  for (const [current, passes, rejecting, expected] of cases) {
    it(`${current ?? 'no label'} vs passes ${passes}${rejecting ? ' (rejecting at its version)' : ''} → ${expected}`, () => assert.equal(labelStatus(current, passes, rejecting), expected));
  }
});

describe('enforcePolicy: labels read as Pod Security Admission reads them', () => {
  const P = 'pod-security.kubernetes.io/';
  const cases: [Record<string, string>, ReturnType<typeof enforcePolicy>][] = [
    [{}, undefined],
    [{ [`${P}warn`]: 'restricted' }, undefined],
    [{ [`${P}enforce`]: 'baseline' }, { level: 'baseline', version: undefined, invalid: [] }],
    [{ [`${P}enforce`]: 'baseline', [`${P}enforce-version`]: 'v1.25' }, { level: 'baseline', version: { minor: 25 }, invalid: [] }],
    [{ [`${P}enforce`]: 'restricted', [`${P}enforce-version`]: 'latest' }, { level: 'restricted', version: undefined, invalid: [] }],
    // Newer than the catalog: judged as the newest known, as PSA clamps to its own latest.
    [{ [`${P}enforce`]: 'restricted', [`${P}enforce-version`]: 'v1.99' }, { level: 'restricted', version: { minor: 37 }, invalid: [] }],
    [{ [`${P}enforce`]: 'strict' }, { level: 'restricted', version: undefined, invalid: [`${P}enforce=strict`] }],
    [{ [`${P}enforce`]: 'baseline', [`${P}enforce-version`]: '1.25' }, { level: 'baseline', version: undefined, invalid: [`${P}enforce-version=1.25`] }],
  ];
  for (const [labels, expected] of cases) it(JSON.stringify(labels), () => assert.deepEqual(enforcePolicy(labels), expected));
});

describe('planNamespaces', () => {
  const version = parseKubeVersion('1.30');
  const workload = (object: Record<string, unknown>, namespace: string): PlanWorkload => {
    const metadata = object['metadata'] as { name: string };
    return { apiVersion: 'v1', kind: 'Pod', name: metadata.name, namespace, file: 'plan.yaml', resource: resource(object) };
  };
  const P = 'pod-security.kubernetes.io/';
  const input: PlanInput = {
    workloads: [
      workload(pod('good', RESTRICTED_SPEC), 'shop'),
      workload(pod('root', { ...RESTRICTED_SPEC, securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }), 'shop'),
      workload(pod('host', { ...RESTRICTED_SPEC, hostNetwork: true }), 'infra'),
      // sysctl net.ipv4.tcp_rmem is safe from 1.32: at 1.30 it fails baseline.
      workload(pod('tuned', { ...RESTRICTED_SPEC, securityContext: { ...RESTRICTED_SPEC.securityContext, sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }] } }), 'tuned'),
    ],
    namespaces: new Map<string, Record<string, string>>([
      ['shop', { [`${P}enforce`]: 'restricted', team: 'shop' }],
      ['infra', {}],
      ['empty', { [`${P}enforce`]: 'baseline' }],
      ['tuned', { [`${P}enforce`]: 'baseline', [`${P}enforce-version`]: 'v1.32' }],
    ]),
  };
  const plan = planNamespaces(input, { version, templatePaths: new TemplatePaths() });
  const byName = new Map(plan.namespaces.map((namespace) => [namespace.name, namespace]));

  it('one entry per namespace, sorted, with the level every workload passes and the status', () => {
    assert.deepEqual(
      plan.namespaces.map((n) => [n.name, n.workloads.length, n.passes, n.next, n.status]),
      [
        ['empty', 0, 'restricted', null, 'weaker'],
        ['infra', 1, 'privileged', 'baseline', 'missing'],
        ['shop', 2, 'baseline', 'restricted', 'stronger'],
        ['tuned', 1, 'privileged', 'baseline', 'stronger'],
      ],
    );
  });

  it('lists what blocks the next level, with control, check and field', () => {
    const shop = byName.get('shop');
    assert.deepEqual(shop?.blocking.map((w) => [w.name, w.violations.map((v) => [v.controlId, v.check, v.field])]), [
      ['root', [['POD-RUN-AS-NON-ROOT', 'runAsNonRoot', 'spec.containers[0].securityContext.runAsNonRoot']]],
    ]);
    assert.deepEqual(byName.get('infra')?.blocking.map((w) => [w.name, w.violations.map((v) => v.check)]), [['host', ['hostNamespaces']]]);
  });

  it('labels: enforce what passes, warn and audit one level stricter, every version pinned', () => {
    assert.deepEqual(byName.get('shop')?.labels, recommendedLabels('baseline', version));
    assert.deepEqual(recommendedLabels('baseline', version), {
      [`${P}enforce`]: 'baseline',
      [`${P}enforce-version`]: 'v1.30',
      [`${P}warn`]: 'restricted',
      [`${P}warn-version`]: 'v1.30',
      [`${P}audit`]: 'restricted',
      [`${P}audit-version`]: 'v1.30',
    });
    assert.equal(byName.get('empty')?.labels[`${P}warn`], 'restricted');
  });

  it('names the workloads the current enforce label rejects, at the version it pins', () => {
    assert.deepEqual(byName.get('shop')?.rejectedByCurrent.map((w) => w.name), ['root']);
    // tuned pins v1.32, where its sysctl is safe: nothing rejected now, but baseline at 1.30 is stronger than passes.
    assert.deepEqual(byName.get('tuned')?.rejectedByCurrent, []);
    assert.deepEqual(byName.get('shop')?.current, { [`${P}enforce`]: 'restricted' });
  });

  it('the changes are the labels whose value differs', () => {
    assert.deepEqual(Object.keys(byName.get('empty')?.changes ?? {}), [`${P}enforce`, `${P}enforce-version`, `${P}warn`, `${P}warn-version`, `${P}audit`, `${P}audit-version`]);
    const matching = planNamespaces({ workloads: [], namespaces: new Map([['calm', recommendedLabels('restricted', version)]]) }, { version, templatePaths: new TemplatePaths() });
    assert.deepEqual(matching.namespaces.map((n) => [n.status, n.changes]), [['matches', {}]]);
  });

  it('a workload with no namespace runs in default, which has no Namespace object', () => {
    const defaults = planNamespaces({ workloads: [workload(pod('loose', RESTRICTED_SPEC), 'default')], namespaces: new Map() }, { version, templatePaths: new TemplatePaths() });
    assert.deepEqual(defaults.namespaces.map((n) => [n.name, n.namespaceObject, n.status]), [['default', false, 'missing']]);
  });
});
