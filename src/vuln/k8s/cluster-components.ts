/**
 * `vuln --cluster` on the cluster's own components: the versions the API server and the nodes report, and their
 * Kubernetes CVEs as report findings (rule VULN-K8S-COMPONENT). The API server's findings sit on the API server,
 * a kubelet's on each Node that runs that version.
 */
import { VULNERABLE_COMPONENT_RULE } from '../../report/vulnerability-rule.js';
import { isRecord, record, str } from '../../util/object.js';
import type { Finding, ResourceRef } from '../../vocabulary/finding.js';
import { componentPriority, severityOfScore } from '../rank/priority.js';
import type { ComponentVersion, KubernetesCveFinding } from './cves.js';

/** Where each node's versions are (the kubelet writes them; `kubeProxyVersion` is empty on recent releases). */
const NODE_VERSION_FIELDS = [
  { component: 'kubelet', field: 'kubeletVersion' },
  { component: 'kube-proxy', field: 'kubeProxyVersion' },
] as const;

/** The kubelet and kube-proxy versions of Node objects, one entry per node and component that reports one. */
export function nodeComponentVersions(nodes: readonly unknown[]): ComponentVersion[] {
  const versions: ComponentVersion[] = [];
  for (const node of nodes) {
    if (!isRecord(node) || node['kind'] !== 'Node') continue;
    const name = str(record(node['metadata'])?.['name']);
    const info = record(record(node['status'])?.['nodeInfo']) ?? {};
    for (const { component, field } of NODE_VERSION_FIELDS) {
      const gitVersion = str(info[field]);
      if (name && gitVersion) versions.push({ component, gitVersion, where: `node/${name}` });
    }
  }
  return versions;
}

const API_SERVER: ResourceRef = { apiVersion: 'kubeharden.io/v1', kind: 'KubernetesComponent', namespace: null, name: 'kube-apiserver' };

function highestScore(finding: KubernetesCveFinding): number | null {
  const scores = finding.severity.map((entry) => entry.score).filter((score): score is number => score !== null);
  return scores.length > 0 ? Math.max(...scores) : null;
}

/** What a finding attaches to: the node (`node/worker-1`) or, for a control-plane component, the component. */
function placesOf(finding: KubernetesCveFinding): { resource: ResourceRef; file: string; field: string; node: string | null }[] {
  const nodes = finding.where.filter((where) => where.startsWith('node/')).map((where) => where.slice('node/'.length));
  if (nodes.length === 0) return [{ resource: { ...API_SERVER, name: finding.component }, file: 'cluster:/version', field: 'gitVersion', node: null }];
  const field = finding.component === 'kube-proxy' ? 'status.nodeInfo.kubeProxyVersion' : 'status.nodeInfo.kubeletVersion';
  return nodes.map((node) => ({ resource: { apiVersion: 'v1', kind: 'Node', namespace: null, name: node }, file: 'cluster:nodes', field, node }));
}

export function componentFindings(cves: readonly KubernetesCveFinding[]): Finding[] {
  const findings: Finding[] = [];
  for (const cve of cves) {
    const score = highestScore(cve);
    const severity = severityOfScore(score);
    const priority = componentPriority(score, severity, cve.component);
    const vector = cve.severity[0];
    const aliases = cve.aliases.length > 0 ? ` (${cve.aliases.join(', ')})` : '';
    const fix = cve.fixedVersion ? `fixed in ${cve.fixedVersion}` : 'no fixed release yet';
    for (const place of placesOf(cve)) {
      const on = place.node ? ` on node ${place.node}` : '';
      findings.push({
        controlId: VULNERABLE_COMPONENT_RULE.id,
        title: VULNERABLE_COMPONENT_RULE.title,
        severity,
        pss: null,
        resource: place.resource,
        location: { file: place.file, line: 0, column: 0 },
        field: place.field,
        message:
          `${cve.id}${aliases} in ${cve.component} ${cve.gitVersion}${on} (${cve.package} ${cve.version}), ${fix}` +
          `${vector ? `; ${vector.vector}${vector.score !== null ? ` = ${vector.score}` : ''}` : ''}` +
          `; priority ${priority.priority}: ${priority.explanation.join(', ')}` +
          `${cve.summary ? `. ${cve.summary}` : ''}`,
        remediation: cve.fixedVersion
          ? `Upgrade ${cve.component}${on} to ${cve.fixedVersion} or later (or the patch release of its minor that fixes ${cve.id}).`
          : VULNERABLE_COMPONENT_RULE.remediation.text,
        about: `${cve.component}${place.node ? ` ${place.node}` : ''} ${cve.version} ${cve.id}`,
        vulnerability: {
          id: cve.id,
          aliases: cve.aliases,
          summary: cve.summary,
          severity: cve.severity,
          package: { ecosystem: 'kubernetes', name: cve.package, version: cve.version, path: null, purl: null },
          fixedVersion: cve.fixedVersion,
          image: null,
          imageDigest: null,
          layer: null,
          workloads: [],
          component: { name: cve.component, gitVersion: cve.gitVersion, nodes: cve.where.filter((where) => where.startsWith('node/')).map((where) => where.slice(5)) },
          priority: priority.priority,
          exposure: priority.explanation,
        },
      });
    }
  }
  return findings;
}
