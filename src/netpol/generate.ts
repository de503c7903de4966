/**
 * `kubeharden netpol generate`: NetworkPolicies that deny everything by default in each namespace and allow the
 * connections the application needs (inferred from its manifests, observed in flows, or both), with DNS to
 * kube-dns. The YAML carries a comment above each rule saying why it exists.
 */
import yaml from 'js-yaml';
import { podTemplateOf, TemplatePaths } from '../kube/pod-templates.js';
import { stringLabels } from '../kube/label-selector.js';
import type { LoadedResource } from '../loader/source.js';
import { record, str, type Json } from '../util/object.js';
import { inferFlows, type NeededFlow } from './generate-infer.js';
import { IpSet } from './ip.js';
import { endpointName, NAMESPACE_NAME_LABEL, type Endpoint, type NetworkModel } from './model.js';
import { redactCredentials } from '../kube/credentials.js';
import { terminalText } from '../report/terminal-text.js';

export interface GenerateOptions {
  /** Infer flows from Services, env values and ConfigMaps (default true). */
  readonly infer?: boolean;
  /** Flows observed elsewhere (Hubble), added to the inferred ones. */
  readonly observed?: readonly NeededFlow[];
  readonly templatePaths?: TemplatePaths;
}

export interface GeneratedPolicies {
  readonly yaml: string;
  readonly policies: readonly Json[];
  /** Every flow the policies allow, with its reason. */
  readonly flows: readonly NeededFlow[];
  /** Workloads no policy could select (no labels), with why. */
  readonly warnings: readonly string[];
}

interface Commented {
  readonly comment: string;
  readonly rule: Json;
}

interface PolicyDraft {
  readonly name: string;
  readonly namespace: string;
  readonly comment: string;
  readonly podSelector: Json;
  readonly types: readonly ('Ingress' | 'Egress')[];
  readonly ingress?: readonly Commented[];
  readonly egress?: readonly Commented[];
}

/** How a generated policy selects an endpoint's pods: the workload's own selector, else its pod labels. */
function selectors(model: NetworkModel, resources: readonly LoadedResource[], templatePaths: TemplatePaths): { podSelector: (Json | undefined)[]; specs: Map<number, Json> } {
  const byOrigin = new Map<string, { selector: Json | undefined; spec: Json }>();
  for (const { object } of resources) {
    const path = templatePaths.pathFor(String(object.apiVersion), String(object.kind));
    const template = path === undefined ? undefined : podTemplateOf(object, path);
    if (!template) continue;
    const metadata = record(object.metadata) ?? {};
    const ownSelector = record(record(record(object.spec)?.selector)?.matchLabels);
    const labels = ownSelector && Object.keys(ownSelector).length > 0 ? stringLabels(ownSelector) : stringLabels(template.metadata.labels);
    const key = `${str(metadata.namespace) || 'default'}\u0000${String(object.kind)}\u0000${str(metadata.name) || str(metadata.generateName) || '(unnamed)'}`;
    byOrigin.set(key, { selector: Object.keys(labels).length > 0 ? { matchLabels: labels } : undefined, spec: template.spec });
  }
  const podSelector: (Json | undefined)[] = [];
  const specs = new Map<number, Json>();
  model.endpoints.forEach((endpoint, index) => {
    const origin = endpoint.origin;
    const found = origin ? byOrigin.get(`${origin.namespace}\u0000${origin.kind}\u0000${origin.name}`) : undefined;
    podSelector.push(found?.selector ?? (Object.keys(endpoint.labels).length > 0 ? { matchLabels: { ...endpoint.labels } } : undefined));
    if (found) specs.set(index, found.spec);
  });
  return { podSelector, specs };
}

function safeName(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'workload';
}

function portEntry(flow: NeededFlow): Json {
  return { port: flow.port, protocol: flow.protocol };
}

export function generatePolicies(model: NetworkModel, resources: readonly LoadedResource[], options: GenerateOptions = {}): GeneratedPolicies {
  const templatePaths = options.templatePaths ?? new TemplatePaths();
  const { podSelector, specs } = selectors(model, resources, templatePaths);
  const flows = [...(options.infer === false ? [] : inferFlows(model.endpoints, resources, specs)), ...(options.observed ?? [])];
  const warnings: string[] = [];
  const selectable = (index: number) => podSelector[index] !== undefined;
  model.endpoints.forEach((endpoint, index) => {
    if (!selectable(index)) warnings.push(`${endpointName(endpoint)} has no pod labels: no policy can select it alone, so it gets only the namespace's default deny`);
  });
  const usable = flows.filter((flow) => (typeof flow.to !== 'number' || selectable(flow.to)) && (typeof flow.from !== 'number' || selectable(flow.from)));

  const drafts: PolicyDraft[] = [];
  const namespaces = [...new Set(model.endpoints.map((endpoint) => endpoint.namespace))].sort();
  for (const namespace of namespaces) {
    drafts.push({
      name: 'default-deny-all',
      namespace,
      comment: `Default deny: no pod of namespace ${namespace} sends or receives anything the policies below do not allow.`,
      podSelector: {},
      types: ['Ingress', 'Egress'],
    });
    drafts.push({
      name: 'allow-dns',
      namespace,
      comment: `Every pod of ${namespace} may resolve names through kube-dns.`,
      podSelector: {},
      types: ['Egress'],
      egress: [
        {
          comment: 'DNS: UDP and TCP 53 to the kube-dns pods in kube-system',
          rule: {
            to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
          },
        },
      ],
    });
  }
  const peerFor = (from: number, namespace: string): Json => {
    const endpoint = model.endpoints.at(from) as Endpoint;
    const peer: Json = { podSelector: podSelector[from] as Json };
    if (endpoint.namespace !== namespace) peer.namespaceSelector = { matchLabels: { [NAMESPACE_NAME_LABEL]: endpoint.namespace } };
    return peer;
  };
  model.endpoints.forEach((endpoint, index) => {
    if (!selectable(index)) return;
    const inbound = usable.filter((flow) => flow.to === index);
    const outbound = usable.filter((flow) => flow.from === index);
    if (inbound.length > 0) {
      const rules: Commented[] = inbound.map((flow) => ({
        comment: flow.reason,
        rule: flow.from === 'outside' ? { ports: [portEntry(flow)] } : { from: [peerFor(flow.from, endpoint.namespace)], ports: [portEntry(flow)] },
      }));
      drafts.push({ name: `${safeName(endpoint.name)}-ingress`, namespace: endpoint.namespace, comment: `What may connect to ${endpointName(endpoint)}.`, podSelector: podSelector[index] as Json, types: ['Ingress'], ingress: rules });
    }
    if (outbound.length > 0) {
      const rules: Commented[] = outbound.map((flow) => {
        const to = flow.to;
        if (typeof to === 'number') return { comment: flow.reason, rule: { to: [peerFor(to, endpoint.namespace)], ports: [portEntry(flow)] } };
        const ips = IpSet.parse(to.address);
        const cidr = ips?.toCidrs()[0] ?? `${to.address}/32`;
        return { comment: flow.reason, rule: { to: [{ ipBlock: { cidr } }], ports: [portEntry(flow)] } };
      });
      drafts.push({ name: `${safeName(endpoint.name)}-egress`, namespace: endpoint.namespace, comment: `Where ${endpointName(endpoint)} may connect.`, podSelector: podSelector[index] as Json, types: ['Egress'], egress: rules });
    }
  });
  return { yaml: drafts.map(renderDraft).join('---\n'), policies: drafts.map(policyObject), flows: usable, warnings };
}

function policyObject(draft: PolicyDraft): Json {
  const spec: Json = { podSelector: draft.podSelector, policyTypes: [...draft.types] };
  if (draft.ingress) spec.ingress = draft.ingress.map((entry) => entry.rule);
  if (draft.egress) spec.egress = draft.egress.map((entry) => entry.rule);
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: draft.name, namespace: draft.namespace }, spec };
}

/**
 * YAML comment lines for a text that quotes the input (env values, ConfigMap values, names): credentials redacted
 * as the secret controls recognise them, and every control, bidi or other non-printable character escaped
 * (YAML allows none in a comment, and a reader's terminal should not act on them).
 */
export function commentLines(text: string, indent: string): string {
  return text.split('\n').map((line) => `${indent}# ${terminalText(redactCredentials(line))}`).join('\n');
}

function renderDraft(draft: PolicyDraft): string {
  const header = yaml.dump({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: draft.name, namespace: draft.namespace } });
  const spec = yaml.dump({ podSelector: draft.podSelector, policyTypes: [...draft.types] }, { flowLevel: -1 });
  const lines = [commentLines(draft.comment, ''), header.trimEnd(), 'spec:', indent(spec.trimEnd(), '  ')];
  for (const field of ['ingress', 'egress'] as const) {
    const rules = draft[field];
    if (!rules) continue;
    lines.push(`  ${field}:`);
    for (const { comment, rule } of rules) {
      lines.push(commentLines(comment, '  '));
      lines.push(indent(yaml.dump([rule]).trimEnd(), '  '));
    }
  }
  return `${lines.join('\n')}\n`;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${prefix}${line}`))
    .join('\n');
}

