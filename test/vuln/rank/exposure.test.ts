/**
 * Exposure ranking, table-driven: each fact an attacker gains from a workload (reachability, privileges, token
 * rights), read from manifests, and the deterministic priority and explanation it makes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { ExposureIndex, imageUserIsRoot, NO_EXPOSURE, type Exposure } from '../../../src/vuln/rank/exposure.js';
import { priorityOf } from '../../../src/vuln/rank/priority.js';
import type { WorkloadObject } from '../../../src/vuln/workload-images.js';

const WORKLOAD = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };

function deployment(spec: string, labels = 'app: web'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {${labels}}}
  template:
    metadata: {labels: {${labels}}}
    spec:
${spec.replace(/^/gm, '      ')}`;
}

const CONTAINER = 'containers: [{name: web, image: web:1}]';
const NON_ROOT = 'securityContext: {runAsNonRoot: true}\n';

function exposure(documents: string[], imageUser: string | null = '1000'): Exposure {
  const objects: WorkloadObject[] = documents.flatMap((text) => yaml.loadAll(text) as Record<string, unknown>[]).map((object) => ({ object, file: 'test.yaml' }));
  return new ExposureIndex(objects).exposureOf(WORKLOAD, imageUser);
}

const SECRET_READER = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules: [{apiGroups: [""], resources: [secrets], verbs: [list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: %BINDING%
metadata: {name: web, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects: [{kind: ServiceAccount, name: %SA%, namespace: shop}]`;

const DENY_INGRESS = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}, policyTypes: [Ingress]}';

describe('exposure of a workload', () => {
  const cases: { name: string; documents: string[]; imageUser?: string | null; expected: Partial<Exposure> }[] = [
    { name: 'nothing at all: isolated, non-root, no token', documents: [deployment(`${NON_ROOT}automountServiceAccountToken: false\n${CONTAINER}`), DENY_INGRESS], expected: {} },
    { name: 'no NetworkPolicy: every namespace reaches it', documents: [deployment(`${NON_ROOT}${CONTAINER}`)], expected: { allNamespaces: true } },
    {
      name: 'a LoadBalancer Service selecting it: internet-reachable',
      documents: [deployment(`${NON_ROOT}${CONTAINER}`), 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {type: LoadBalancer, selector: {app: web}}'],
      expected: { allNamespaces: true, internetReachable: 'Service web of type LoadBalancer' },
    },
    {
      name: 'an Ingress to a ClusterIP Service selecting it: internet-reachable',
      documents: [
        deployment(`${NON_ROOT}${CONTAINER}`),
        'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}}',
        'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: front, namespace: shop}\nspec: {defaultBackend: {service: {name: web, port: {number: 80}}}}',
      ],
      expected: { allNamespaces: true, internetReachable: 'Ingress front through Service web' },
    },
    {
      name: 'a NodePort Service, but ingress isolated by a NetworkPolicy: not reachable',
      documents: [deployment(`${NON_ROOT}${CONTAINER}`), 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {type: NodePort, selector: {app: web}}', DENY_INGRESS],
      expected: {},
    },
    { name: 'a Service selecting other pods: not reachable through it', documents: [deployment(`${NON_ROOT}${CONTAINER}`), 'apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: shop}\nspec: {type: LoadBalancer, selector: {app: db}}', DENY_INGRESS], expected: {} },
    { name: 'privileged and host namespaces (hostNetwork pods are outside NetworkPolicies: reachable)', documents: [deployment(`${NON_ROOT}hostPID: true\nhostNetwork: true\ncontainers: [{name: web, image: web:1, securityContext: {privileged: true}}]`), DENY_INGRESS], expected: { privileged: true, hostNamespaces: ['hostNetwork', 'hostPID'], allNamespaces: true } },
    {
      name: 'sensitive host paths (and a harmless one)',
      documents: [deployment(`${NON_ROOT}${CONTAINER}\nvolumes: [{name: a, hostPath: {path: /var/run/docker.sock}}, {name: b, hostPath: {path: /etc/}}, {name: c, hostPath: {path: /data/cache}}]`), DENY_INGRESS],
      expected: { sensitiveHostPaths: ['/etc/', '/var/run/docker.sock'] },
    },
    { name: 'root from the image user when the pod does not say', documents: [deployment(CONTAINER), DENY_INGRESS], imageUser: '', expected: { root: true } },
    { name: 'root from runAsUser: 0, whatever the image says', documents: [deployment(`securityContext: {runAsUser: 0}\n${CONTAINER}`), DENY_INGRESS], imageUser: 'app', expected: { root: true } },
    { name: 'not root from runAsNonRoot, whatever the image says', documents: [deployment(`${NON_ROOT}${CONTAINER}`), DENY_INGRESS], imageUser: 'root', expected: {} },
    { name: 'default service account reads Secrets cluster-wide', documents: [deployment(`${NON_ROOT}${CONTAINER}`), DENY_INGRESS, SECRET_READER.replace('%BINDING%', 'ClusterRoleBinding').replace('%SA%', 'default')], expected: { secretsClusterWide: true, secretsInNamespace: true } },
    { name: 'a RoleBinding grants Secrets in its namespace only', documents: [deployment(`${NON_ROOT}serviceAccountName: web\n${CONTAINER}`), DENY_INGRESS, SECRET_READER.replace('%BINDING%', 'RoleBinding').replace('%SA%', 'web')], expected: { secretsInNamespace: true } },
    { name: 'no token mounted: its rights do not count', documents: [deployment(`${NON_ROOT}automountServiceAccountToken: false\n${CONTAINER}`), DENY_INGRESS, SECRET_READER.replace('%BINDING%', 'ClusterRoleBinding').replace('%SA%', 'default')], expected: {} },
    {
      name: 'create pods and escalate through wildcards',
      documents: [
        deployment(`${NON_ROOT}${CONTAINER}`),
        DENY_INGRESS,
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: admin}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: all}\nsubjects: [{kind: ServiceAccount, name: default, namespace: shop}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: all}\nrules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]',
      ],
      expected: { secretsClusterWide: true, secretsInNamespace: true, createPods: true, escalate: true },
    },
  ];
  for (const { name, documents, imageUser, expected } of cases) {
    it(name, () => {
      assert.deepEqual(exposure(documents, imageUser), { ...NO_EXPOSURE, ...expected });
    });
  }

  it('knows the image users that are root', () => {
    assert.deepEqual(['', 'root', '0', '0:0', 'root:root', null, 'app', '1000', '1000:0'].map(imageUserIsRoot), [true, true, true, true, true, true, false, false, false]);
  });
});

describe('priority', () => {
  const everything: Exposure = { internetReachable: 'Service web of type LoadBalancer', allNamespaces: true, privileged: true, hostNamespaces: ['hostPID'], sensitiveHostPaths: ['/'], root: true, secretsClusterWide: true, secretsInNamespace: true, createPods: true, escalate: true };
  const cases: { name: string; cvss: number | null; severity: 'critical' | 'high' | 'medium' | 'low'; exposure: Exposure | null; priority: number; explanation: string }[] = [
    { name: 'no workload runs it: the advisory alone', cvss: 9.8, severity: 'critical', exposure: null, priority: 49, explanation: 'no workload in the input runs it' },
    { name: 'a workload with no exposure', cvss: 7.5, severity: 'high', exposure: NO_EXPOSURE, priority: 38, explanation: 'not exposed: no outside reachability, privileges or token rights found' },
    { name: 'no CVSS score: the middle of the severity band', cvss: null, severity: 'high', exposure: { ...NO_EXPOSURE, allNamespaces: true }, priority: 50, explanation: 'reachable from every namespace (no NetworkPolicy isolates it)' },
    {
      name: 'the issue\'s example: internet-reachable, root, Secrets cluster-wide',
      cvss: 9.8,
      severity: 'critical',
      exposure: { ...NO_EXPOSURE, internetReachable: 'Service web of type LoadBalancer', allNamespaces: true, root: true, secretsClusterWide: true, secretsInNamespace: true },
      priority: 89,
      explanation: 'internet-reachable (Service web of type LoadBalancer), runs as root, token can read Secrets cluster-wide',
    },
    {
      name: 'everything: exposure capped at 50, priority at 100',
      cvss: 10,
      severity: 'critical',
      exposure: everything,
      priority: 100,
      explanation: "internet-reachable (Service web of type LoadBalancer), privileged, shares the host's namespaces (hostPID), mounts sensitive host paths (/), runs as root, token can read Secrets cluster-wide, token can create pods, token can escalate (escalate, bind or impersonate)",
    },
    { name: 'a low advisory in an exposed workload still ranks above a critical one nobody runs', cvss: 3.1, severity: 'low', exposure: everything, priority: 66, explanation: "internet-reachable (Service web of type LoadBalancer), privileged, shares the host's namespaces (hostPID), mounts sensitive host paths (/), runs as root, token can read Secrets cluster-wide, token can create pods, token can escalate (escalate, bind or impersonate)" },
  ];
  for (const { name, cvss, severity, exposure: given, priority, explanation } of cases) {
    it(name, () => {
      const result = priorityOf(cvss, severity, given);
      assert.equal(result.priority, priority);
      assert.equal(result.explanation.join(', '), explanation);
    });
  }
});
