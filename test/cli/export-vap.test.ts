/** `kubeharden export vap` end to end through the compiled CLI: objects, versions, actions, selection, exceptions, params. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { runCli, tempTree } from '../support/cli-process.js';

type Json = Record<string, any>;

const POD_VARIABLES = ['kind', 'template', 'spec', 'metadata', 'specPath', 'metadataPath', 'initContainers', 'containers', 'ephemeralContainers', 'allContainers', 'volumes', 'windowsPod', 'userNamespacePod'];

/** A validation's check and message. */
function check(validation: Json): { expression: string; messageExpression: string } {
  return { expression: String(validation.expression), messageExpression: String(validation.messageExpression) };
}

/**
 * The part of a check the `fails-a-check` matchCondition holds, its variables bound in place: a check over every
 * container or volume by its predicate alone (checks over the same list are judged in one comprehension), any other
 * whole.
 */
function inCondition(expression: string): string {
  const each = /^(?:\(.*\) \|\| )?variables\.(?:allContainers|containers|volumes)\.all\([cv], (.*)\)$/s.exec(expression);
  return (each ? `(${each[1] as string})` : `(${expression})`).replace(/\bvariables\.(\w+)/g, 'kh_$1');
}

function exportVap(args: readonly string[], cwd?: string) {
  const result = runCli(['export', 'vap', ...args], cwd ? { cwd } : {});
  const objects = result.code === 0 ? (yaml.loadAll(result.stdout) as Json[]).filter(Boolean) : [];
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  // The header's sections: `# Exported in part …:` and `# Not exported:`, each followed by `#   ID: reason` lines.
  const section = (title: string) => [...(new RegExp(`^# ${title}.*\\n((?:# {3}.*\\n)*)`, 'm').exec(result.stdout)?.[1] ?? '').matchAll(/^# {3}([A-Z0-9-]+): (.*)$/gm)].map((m) => [m[1], m[2]] as const);
  return { ...result, objects, policies: of('ValidatingAdmissionPolicy'), bindings: of('ValidatingAdmissionPolicyBinding'), configMaps: of('ConfigMap'), notExported: section('Not exported'), inPart: section('Exported in part') };
}

describe('kubeharden export vap', () => {
  it('writes one policy for every pod-template control over one set of variables, each validation naming its control and field', () => {
    const result = exportVap(['--framework', 'pss-restricted']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.policies.map((p) => p.metadata.name), ['kubeharden-pod-templates']);
    assert.deepEqual(result.bindings.map((b) => b.spec.policyName), ['kubeharden-pod-templates']);
    const [policy] = result.policies as [Json];
    const ids: string[] = policy.metadata.annotations['kubeharden.io/controls'].split(',');
    assert.equal(ids.length, 15);
    assert.equal(policy.metadata.labels['kubeharden.io/control'], undefined);
    assert.deepEqual(policy.spec.variables.map((v: Json) => v.name), POD_VARIABLES);
    // Every control keeps its own validations, in catalog order, each message naming it.
    const named = policy.spec.validations.map((v: Json) => /^"([A-Z0-9-]+): " \+ /.exec(check(v).messageExpression)?.[1]);
    assert.deepEqual([...new Set(named)], ids);
    // The last matchCondition is every check at once, reading no variable: an admitted request runs the checks once
    // and skips the validations and messages.
    const conditions = policy.spec.matchConditions as Json[];
    assert.deepEqual(conditions.map((c) => c.name), ['kind-has-pod-template', 'fails-a-check']);
    const failsACheck = String(conditions[1]?.expression);
    assert.ok(failsACheck.startsWith('!(') && !failsACheck.includes('variables.'), failsACheck.slice(0, 200));
    for (const validation of policy.spec.validations as Json[]) assert.ok(failsACheck.includes(inCondition(check(validation).expression)), validation.expression);
    // Checks over every container are judged in one comprehension per exemption (none, Windows pods, user namespaces).
    assert.equal(failsACheck.split('kh_allContainers.all(c, ').length - 1, 3);
    assert.ok(result.bindings.every((b) => b.spec.validationActions.join() === 'Deny'));
    // The restricted checks replace four baseline ones at this version: listed, not dropped.
    assert.deepEqual(result.notExported.map(([id]) => id), ['POD-CAPS-BASELINE', 'POD-NO-HOSTPATH', 'POD-PROCMOUNT-DEFAULT', 'POD-SECCOMP-NOT-UNCONFINED']);
    assert.match(result.stderr, /exported 15 controls as 1 admissionregistration\.k8s\.io\/v1 ValidatingAdmissionPolicies; 4 not exported/);
  });

  it('with --split per-control writes one policy and one binding per control, with the same validations', () => {
    const result = exportVap(['--framework', 'pss-restricted', '--split', 'per-control']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.policies.length, 15);
    assert.deepEqual(result.bindings.map((b) => b.spec.policyName), result.policies.map((p) => p.metadata.name));
    for (const policy of result.policies) {
      const id = policy.metadata.labels['kubeharden.io/control'];
      assert.equal(policy.metadata.name, `kubeharden-${id.toLowerCase()}`);
      for (const validation of policy.spec.validations) assert.ok(check(validation).messageExpression.startsWith(`"${id}: " + `), validation.messageExpression);
      assert.deepEqual(policy.spec.variables.map((v: Json) => v.name), POD_VARIABLES);
    }
    const combined = exportVap(['--framework', 'pss-restricted']).policies[0] as Json;
    assert.deepEqual(result.policies.flatMap((p) => p.spec.validations), combined.spec.validations);
    assert.match(result.stderr, /exported 15 controls as 15 admissionregistration\.k8s\.io\/v1 ValidatingAdmissionPolicies; 4 not exported/);
    assert.equal(exportVap(['--split', 'per-kind']).code, 2);
  });

  it('lists every control of the framework it cannot export, with the reason', () => {
    const result = exportVap(['--framework', 'nsa']);
    assert.equal(result.code, 0, result.stderr);
    const reasons = new Map(result.notExported);
    assert.match(reasons.get('NET-DEFAULT-DENY-INGRESS') ?? '', /^needs other objects/);
    assert.match(reasons.get('CP-APISERVER-ANONYMOUS-AUTH') ?? '', /^needs the cluster's state/);
    assert.match(reasons.get('RBAC-ESCALATE-BIND-IMPERSONATE') ?? '', /^needs other objects/);
    assert.match(reasons.get('SEC-NO-CREDENTIALS-IN-CONFIGMAP') ?? '', /no base64 decoding/);
    const exported = new Set(result.policies.flatMap((p) => p.metadata.annotations['kubeharden.io/controls']?.split(',') ?? [p.metadata.labels['kubeharden.io/control']]));
    assert.ok(exported.has('POD-NO-PRIVILEGED'));
    for (const [id] of result.notExported) assert.ok(!exported.has(id), id);
    // What one object cannot show is said beside the control that is exported all the same.
    assert.deepEqual(result.inPart.map(([id]) => id), ['RBAC-CLUSTER-ADMIN-BINDING']);
    for (const [id] of result.inPart) assert.ok(exported.has(id), id);
  });

  it('matches RBAC objects and Secrets for the controls that judge one of them alone', () => {
    const result = exportVap(['--controls', 'RBAC-WILDCARD-RULES,RBAC-ANONYMOUS-BINDINGS,SEC-NO-LEGACY-SA-TOKEN', '--split', 'per-control']);
    // Combined (the default): one policy per kind, each naming the controls it holds.
    const combined = exportVap(['--controls', 'RBAC-WILDCARD-RULES,RBAC-ANONYMOUS-BINDINGS,SEC-NO-LEGACY-SA-TOKEN']);
    assert.deepEqual(
      Object.fromEntries(combined.policies.map((p) => [p.metadata.name, `${p.spec.matchConstraints.resourceRules.map((r: { resources: string[] }) => r.resources.join()).join()}: ${p.metadata.annotations?.['kubeharden.io/controls'] ?? p.metadata.labels['kubeharden.io/control']}`])),
      {
        'kubeharden-roles': 'roles: RBAC-WILDCARD-RULES',
        'kubeharden-clusterroles': 'clusterroles: RBAC-WILDCARD-RULES',
        'kubeharden-rolebindings': 'rolebindings: RBAC-ANONYMOUS-BINDINGS',
        'kubeharden-clusterrolebindings': 'clusterrolebindings: RBAC-ANONYMOUS-BINDINGS',
        'kubeharden-secrets': 'secrets: SEC-NO-LEGACY-SA-TOKEN',
      },
    );
    const rules = (id: string) => result.policies.find((p) => p.metadata.labels['kubeharden.io/control'] === id)?.spec.matchConstraints.resourceRules;
    assert.deepEqual(rules('RBAC-WILDCARD-RULES'), [{ apiGroups: ['rbac.authorization.k8s.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['roles', 'clusterroles'] }]);
    assert.deepEqual(rules('RBAC-ANONYMOUS-BINDINGS'), [{ apiGroups: ['rbac.authorization.k8s.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['rolebindings', 'clusterrolebindings'] }]);
    assert.deepEqual(rules('SEC-NO-LEGACY-SA-TOKEN'), [{ apiGroups: [''], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['secrets'] }]);
  });

  it('writes v1beta1 for 1.28 and 1.29, v1 from 1.30, and refuses older releases', () => {
    assert.equal(exportVap(['-k', '1.29', '--controls', 'POD-NO-PRIVILEGED']).policies[0]?.apiVersion, 'admissionregistration.k8s.io/v1beta1');
    assert.equal(exportVap(['-k', '1.30', '--controls', 'POD-NO-PRIVILEGED']).policies[0]?.apiVersion, 'admissionregistration.k8s.io/v1');
    const old = exportVap(['-k', '1.27']);
    assert.equal(old.code, 2);
    assert.equal(old.stdout, '');
    assert.match(old.stderr, /ValidatingAdmissionPolicy needs Kubernetes 1\.28 or later .*--k8s-version is 1\.27/);
  });

  it('writes presence tests as CEL optional selection from 1.29, and as has() chains for 1.28, whose API server compiles new expressions without optional types', () => {
    const text = (version: string) => JSON.stringify(exportVap(['-k', version, '--framework', 'all']).policies);
    const chain = /has\(([\w.]+)\) && \1 != null && has\(\1\.\w+\) && \1\.\w+ != null/;
    assert.match(text('1.28'), chain);
    assert.doesNotMatch(text('1.28'), /\.\?\w/);
    for (const version of ['1.29', '1.37']) {
      assert.doesNotMatch(text(version), chain);
      assert.match(text(version), /c\.\?securityContext\.\?privileged\.orValue\(null\) != null/);
    }
  });

  it("exports each version's own semantics", () => {
    const safeSysctls = (version: string) => JSON.stringify(exportVap(['-k', version, '--controls', 'POD-SYSCTLS-SAFE']).policies[0]?.spec.validations);
    assert.doesNotMatch(safeSysctls('1.31'), /net\.ipv4\.tcp_rmem/);
    assert.match(safeSysctls('1.32'), /net\.ipv4\.tcp_rmem/);
  });

  it('selects controls by id and action, and refuses an unknown id', () => {
    const result = exportVap(['--controls', 'POD-NO-PRIVILEGED,POD-NO-HOST-NAMESPACES', '--action', 'Warn']);
    assert.deepEqual(result.policies.map((p) => p.metadata.annotations['kubeharden.io/controls']), ['POD-NO-HOST-NAMESPACES,POD-NO-PRIVILEGED']);
    assert.deepEqual(exportVap(['--controls', 'POD-NO-PRIVILEGED,POD-NO-HOST-NAMESPACES', '--split', 'per-control']).policies.map((p) => p.metadata.name), ['kubeharden-pod-no-host-namespaces', 'kubeharden-pod-no-privileged']);
    assert.ok(result.bindings.every((b) => b.spec.validationActions.join() === 'Warn'));
    const unknown = exportVap(['--controls', 'POD-NOPE']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--controls: unknown control POD-NOPE/);
    assert.equal(exportVap(['--action', 'Block']).code, 2);
  });

  it('matches the custom kinds of --pod-template-path and finds their template', () => {
    const result = exportVap(['--controls', 'POD-NO-PRIVILEGED', '--pod-template-path', 'example.com/Workload=spec.podTemplate']);
    const spec = result.policies[0]?.spec;
    assert.ok(spec.matchConstraints.resourceRules.some((r: Json) => r.apiGroups.join() === 'example.com' && r.resources.join() === '*'));
    assert.match(spec.matchConditions[0].expression, /"example\.com\/Workload"/);
    const specPath = spec.variables.find((v: Json) => v.name === 'specPath').expression;
    assert.match(specPath, /variables\.kind in \["example\.com\/Workload"\] \? "spec\.podTemplate\.spec"/);
  });

  it('puts the scanner settings into a params ConfigMap the bindings name', () => {
    const args = ['--controls', 'POD-NO-DANGEROUS-CAPS,POD-NO-PRIVILEGED', '--dangerous-capability', 'cap_sys_admin,NET_RAW', '--params-namespace', 'policy'];
    const paramRef = { name: 'kubeharden-vap-params', namespace: 'policy', parameterNotFoundAction: 'Deny' };
    const combined = exportVap(args);
    assert.equal(combined.code, 0, combined.stderr);
    assert.deepEqual(combined.configMaps.map((c) => [c.metadata.namespace, c.metadata.name, c.data]), [['policy', 'kubeharden-vap-params', { dangerousCapabilities: 'SYS_ADMIN,NET_RAW' }]]);
    assert.equal(combined.objects[0]?.kind, 'ConfigMap');
    assert.deepEqual(combined.policies[0]?.spec.paramKind, { apiVersion: 'v1', kind: 'ConfigMap' });
    assert.deepEqual(combined.bindings[0]?.spec.paramRef, paramRef);

    const result = exportVap([...args, '--split', 'per-control']);
    const named = (objects: Json[], name: string) => objects.find((o) => o.metadata.name === name) as Json;
    assert.deepEqual(named(result.policies, 'kubeharden-pod-no-dangerous-caps').spec.paramKind, { apiVersion: 'v1', kind: 'ConfigMap' });
    assert.equal(named(result.policies, 'kubeharden-pod-no-privileged').spec.paramKind, undefined);
    assert.deepEqual(named(result.bindings, 'kubeharden-pod-no-dangerous-caps').spec.paramRef, paramRef);
    assert.equal(named(result.bindings, 'kubeharden-pod-no-privileged').spec.paramRef, undefined);
  });

  it('matches Services and Ingresses for their controls, and says why pull policy and requests are not exported', () => {
    const result = exportVap(['--controls', 'NET-NO-NODEPORT,NET-INGRESS-TLS,IMG-PULL-POLICY,RES-REQUESTS']);
    assert.deepEqual(result.policies.map((p) => p.metadata.name), ['kubeharden-services', 'kubeharden-ingresses']);
    assert.deepEqual(result.policies.map((p) => p.spec.matchConstraints.resourceRules.map((r: Json) => `${r.apiGroups.join()}/${r.resources.join()}`)), [['/services'], ['networking.k8s.io/ingresses']]);
    assert.ok(result.policies.every((p) => p.spec.variables === undefined && p.spec.matchConditions.map((c: Json) => c.name).join() === 'fails-a-check'));
    assert.deepEqual(result.notExported.map(([id, reason]) => [id, (reason ?? "").slice(0, 34)]), [
      ['RES-REQUESTS', 'not expressible at admission: the '],
      ['IMG-PULL-POLICY', 'not expressible at admission: the '],
    ]);
  });

  it('turns exceptions into matchConditions (or, in a policy with other controls, exempt variables), skips expired ones and says why file exceptions are not exported', (t) => {
    const dir = tempTree(t, 'export-vap');
    writeFileSync(
      join(dir, '.kubeharden.yaml'),
      [
        'exceptions:',
        '  - controls: [POD-NO-PRIVILEGED]',
        '    namespace: [kube-system, "monitoring-*"]',
        '    name: [node-exporter]',
        '    reason: needs the host',
        '  - controls: ["*"]',
        '    namespace: [legacy]',
        '    reason: migrating',
        '    expires: 2020-01-01',
        '  - controls: [POD-NO-PRIVILEGED]',
        '    file: [vendor/**]',
        '    reason: vendored',
        '',
      ].join('\n'),
    );
    const output = join(dir, 'vap.yaml');
    const result = runCli(['export', 'vap', '--controls', 'POD-NO-PRIVILEGED', '--output', output], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    const policy = (yaml.loadAll(readFileSync(output, 'utf8')) as Json[]).find((o) => o?.kind === 'ValidatingAdmissionPolicy') as Json;
    const conditions = policy.spec.matchConditions as Json[];
    assert.deepEqual(conditions.map((c) => c.name), ['kind-has-pod-template', 'kubeharden-exception-1', 'fails-a-check']);
    assert.match(conditions[1]?.expression, /request\.namespace\.matches\("\^kube-system\$"\) \|\| request\.namespace\.matches\("\^monitoring-\[\^\/\]\*\$"\)/);
    assert.match(conditions[1]?.expression, /object\.metadata\.name\.matches\("\^node-exporter\$"\)/);
    assert.match(result.stderr, /\.kubeharden\.yaml:6 not exported: expired on 2020-01-01/);
    assert.match(result.stderr, /\.kubeharden\.yaml:10 not exported: it selects files/);

    // In a policy with other controls, an exception of one control is a variable only its validations OR in.
    const both = runCli(['export', 'vap', '--controls', 'POD-NO-PRIVILEGED,POD-NO-HOST-NAMESPACES'], { cwd: dir });
    const combined = (yaml.loadAll(both.stdout) as Json[]).find((o) => o?.kind === 'ValidatingAdmissionPolicy') as Json;
    assert.deepEqual(combined.spec.matchConditions.map((c: Json) => c.name), ['kind-has-pod-template', 'fails-a-check']);
    const exempt = combined.spec.variables.find((v: Json) => v.name === 'exempt_pod_no_privileged');
    assert.match(exempt.expression, /^\(\(request\.namespace\.matches\("\^kube-system\$"\)/);
    const validations = combined.spec.validations as Json[];
    const of = (id: string) => validations.map(check).filter((v) => v.messageExpression.startsWith(`"${id}: "`));
    assert.ok(of('POD-NO-PRIVILEGED').length > 0 && of('POD-NO-PRIVILEGED').every((v) => v.expression.startsWith('variables.exempt_pod_no_privileged || (')));
    assert.ok(of('POD-NO-HOST-NAMESPACES').length > 0 && of('POD-NO-HOST-NAMESPACES').every((v) => !v.expression.includes('exempt_')));
  });
});
