/**
 * `kubeharden netpol reach` and `kubeharden netpol generate`: who can reach whom under the NetworkPolicies of
 * some manifests or a live cluster, and the policies an application needs.
 */
import { selectorMatches } from '../kube/label-selector.js';
import { describeReadError, readInputFile } from '../loader/safe-read.js';
import type { InputError } from '../loader/source.js';
import { inputErrorText } from '../report/terminal-text.js';
import { isProtocol, type Protocol } from '../netpol/connections.js';
import { Reachability } from '../netpol/engine.js';
import { explainConnection, formatExplanation, type ConnectionEnd } from '../netpol/explain.js';
import { flowsFromHubble, type FlowProblem } from '../netpol/generate-flows.js';
import { commentLines, generatePolicies } from '../netpol/generate.js';
import { IpSet } from '../netpol/ip.js';
import { loadNetwork } from '../netpol/load.js';
import { endpointName, NetworkModelBuilder, type Endpoint, type NetworkModel } from '../netpol/model.js';
import { renderDot, renderHtml, renderJson, renderTable } from '../netpol/render.js';
import { buildReachReport } from '../netpol/report.js';
import { objectsFromCluster } from './workload-objects.js';
import { UsageError } from './usage-error.js';
import { writeOutput } from './output-file.js';

export interface NetpolReachOptions {
  /** Sources: `ns/name`, `ns/*`, `*`, or `key=value[,key=value]` pod labels. Default: every endpoint. */
  from?: string;
  /** Destinations, same forms. */
  to?: string;
  /** `80`, `tcp/80`, `80/udp`: only connections including this port. */
  port?: string;
  format: 'table' | 'json' | 'dot' | 'html';
  /** One connection to explain: `ns/a->ns/b:port` (`:udp/53` for another protocol; an IP address for either end). */
  explain?: string;
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  /** With --cluster: let a gcp/azure kubeconfig auth-provider run its cmd-path. */
  allowAuthProviderCommands?: boolean;
  /** Write the report here instead of standard output. */
  output?: string;
}

export interface NetpolGenerateOptions {
  /** Cilium Hubble JSON flow export to learn from. */
  fromFlows?: string;
  /** Only the observed flows, no inference from the manifests. */
  noInfer?: boolean;
  output?: string;
}

function write(text: string, output: string | undefined): void {
  writeOutput(output || undefined, text);
}

function errorLines(errors: readonly InputError[]): string {
  return errors.map((error) => `kubeharden: ${inputErrorText(error)}\n`).join('');
}

/** Endpoints a selector text picks. */
export function selectEndpoints(model: NetworkModel, text: string | undefined, flag: string): number[] {
  const all = model.endpoints.map((_, index) => index);
  if (text === undefined || text === '*' || text === '') return all;
  if (text.includes('=')) {
    const labels: Record<string, string> = {};
    for (const pair of text.split(',')) {
      const [key, value] = pair.split('=');
      if (!key || value === undefined) throw new UsageError(`${flag}: "${text}" is not a label selector (key=value[,key=value])`);
      labels[key.trim()] = value.trim();
    }
    return all.filter((index) => selectorMatches({ matchLabels: labels }, (model.endpoints.at(index) as Endpoint).labels));
  }
  const match = /^([^/]+)\/([^/]+)$/.exec(text);
  if (!match) throw new UsageError(`${flag}: "${text}" must be ns/name, ns/*, * or key=value`);
  const [, namespace, name] = match as unknown as [string, string, string];
  const found = all.filter((index) => {
    const endpoint = model.endpoints.at(index) as Endpoint;
    return endpoint.namespace === namespace && (name === '*' || endpoint.name === name);
  });
  if (found.length === 0) throw new UsageError(`${flag}: nothing in the input matches "${text}"`);
  return found;
}

export function parsePort(text: string, flag: string): { protocol: Protocol; port: number } {
  const match = /^(?:([a-zA-Z]+)\/)?(\d+)(?:\/([a-zA-Z]+))?$/.exec(text.trim());
  const protocol = (match?.[1] ?? match?.[3] ?? 'TCP').toUpperCase();
  const port = Number(match?.[2]);
  if (!match || !isProtocol(protocol) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`${flag}: "${text}" is not a port (80, tcp/80, 53/udp, sctp/9000)`);
  }
  return { protocol, port };
}

function connectionEnd(model: NetworkModel, text: string): ConnectionEnd {
  if (IpSet.parse(text)) return { address: text };
  const index = model.endpoints.findIndex((endpoint) => endpointName(endpoint) === text);
  if (index < 0) throw new UsageError(`--explain: no workload "${text}" in the input (write ns/name, or an IP address)`);
  return { endpoint: index };
}

/** `kubeharden netpol reach`: the connectivity matrix, unintended openings, or one explained connection. */
export async function runNetpolReach(paths: string[], options: NetpolReachOptions): Promise<number> {
  if (!['table', 'json', 'dot', 'html'].includes(options.format)) throw new UsageError(`--format must be table, json, dot or html, not "${options.format}"`);
  if (options.cluster && paths.length > 0) throw new UsageError('give either manifests or --cluster, not both');
  if (!options.cluster && paths.length === 0) throw new UsageError('give the manifests to analyse (files, directories or -), or --cluster');
  const errors: InputError[] = [];
  const model = options.cluster ? await clusterModel(options, errors) : (await loadNetwork(paths, errors)).model;
  const reachability = new Reachability(model);
  if (options.explain !== undefined) {
    const match = /^(.+?)->(.+):([^:]+)$/s.exec(options.explain.trim());
    if (!match) throw new UsageError(`--explain: "${options.explain}" must look like ns/a->ns/b:port`);
    const port = parsePort(match[3] as string, '--explain');
    const explanation = explainConnection(reachability, connectionEnd(model, (match[1] as string).trim()), connectionEnd(model, (match[2] as string).trim()), port.protocol, port.port);
    write(options.format === 'json' ? `${JSON.stringify({ ...explanation, errors }, null, 2)}\n` : `${formatExplanation(explanation)}\n`, options.output);
    process.stderr.write(errorLines(errors));
    return errors.length > 0 ? 2 : 0;
  }
  const port = options.port === undefined ? undefined : parsePort(options.port, '--port');
  const report = buildReachReport(reachability, {
    sources: selectEndpoints(model, options.from, '--from'),
    destinations: selectEndpoints(model, options.to, '--to'),
    port,
    external: true,
  });
  const text =
    options.format === 'json' ? renderJson(report, reachability, errors)
    : options.format === 'dot' ? renderDot(report)
    : options.format === 'html' ? renderHtml(report, reachability)
    : renderTable(report, reachability);
  write(text, options.output);
  process.stderr.write(errorLines(errors));
  if (errors.length > 0) return 2;
  return report.openings.length > 0 ? 1 : 0;
}

/** `kubeharden netpol generate`: default-deny plus the allow rules the application needs, as commented YAML. */
export async function runNetpolGenerate(paths: string[], options: NetpolGenerateOptions): Promise<number> {
  if (paths.length === 0) throw new UsageError('give the manifests to generate policies for (files, directories or -)');
  if (options.noInfer && !options.fromFlows) throw new UsageError('--no-infer needs --from-flows: otherwise there is nothing to allow');
  const errors: InputError[] = [];
  const loaded = await loadNetwork(paths, errors);
  let observed: ReturnType<typeof flowsFromHubble> = [];
  if (options.fromFlows) {
    let text: string;
    try {
      text = readInputFile(options.fromFlows, 'flows', { allowPipe: true }).toString('utf8');
    } catch (error) {
      throw new UsageError(`--from-flows: cannot read ${options.fromFlows}: ${describeReadError(error)}`);
    }
    const problems: FlowProblem[] = [];
    observed = flowsFromHubble(text, loaded.model.endpoints, problems);
    for (const problem of problems) errors.push({ file: options.fromFlows, line: problem.line, column: null, message: problem.message });
  }
  const generated = generatePolicies(loaded.model, loaded.resources, { infer: !options.noInfer, observed });
  const header = `# Generated by kubeharden netpol generate: ${generated.flows.length} allowed flows.\n${generated.warnings.map((warning) => `${commentLines(`warning: ${warning}`, '')}\n`).join('')}`;
  write(`${header}${generated.yaml}`, options.output);
  process.stderr.write(errorLines(errors));
  return errors.length > 0 ? 2 : 0;
}

// Pods when there are any; the workloads stand in for them in a cluster with none running.
const NETWORK_KINDS = ['Namespace', 'Pod', 'NetworkPolicy', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController'];

export async function clusterModel(options: NetpolReachOptions, errors: InputError[]): Promise<NetworkModel> {
  const builder = new NetworkModelBuilder();
  for (const { object, file } of await objectsFromCluster(options, NETWORK_KINDS, errors)) builder.add(object, file);
  for (const problem of builder.problems) errors.push({ file: problem.file, line: null, column: null, message: problem.message });
  return builder.build();
}
