/** `kubeharden netpol audit`: observed traffic (Cilium Hubble flows) against the NetworkPolicies. */
import type { Command } from 'commander';
import { TRAFFIC_RULES } from '../audit/traffic/rules.js';
import { auditTraffic } from '../audit/traffic/traffic-audit.js';
import { AuditFindings, auditReportInput } from '../audit/report/report-input.js';
import { describeReadError, readInputFile } from '../loader/safe-read.js';
import type { InputError, LoadedResource } from '../loader/source.js';
import { Reachability } from '../netpol/engine.js';
import { observeHubbleFlows, type FlowProblem } from '../netpol/generate-flows.js';
import { loadNetwork } from '../netpol/load.js';
import { clusterModel } from './netpol-command.js';
import { emitReports, prepareReportSession } from './scan-command.js';
import { UsageError } from './usage-error.js';
import { writeOutput } from './output-file.js';

export interface NetpolAuditOptions {
  readonly flows?: string;
  readonly flowsBaseline?: string;
  readonly writeFlowsBaseline?: string;
  readonly cluster?: boolean;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly allowAuthProviderCommands?: boolean;
}

/** A baseline of connections: `{"connections": ["ns/a -> ns/b TCP/80", …]}`, written by --write-flows-baseline. */
const BASELINE_KIND = 'kubeharden.io/flow-baseline';

export async function runNetpolAudit(paths: string[], options: NetpolAuditOptions, command: Command): Promise<number> {
  if (!options.flows) throw new UsageError('give the observed flows: --flows FILE (hubble observe -o json)');
  if (options.cluster && paths.length > 0) throw new UsageError('give either manifests or --cluster, not both');
  if (!options.cluster && paths.length === 0) throw new UsageError('give the manifests whose policies to check (files, directories or -), or --cluster');
  const session = prepareReportSession(command, paths.length > 0 ? paths : ['cluster']);
  const baseline = options.flowsBaseline === undefined ? undefined : readBaseline(options.flowsBaseline);
  const errors: InputError[] = [];
  let resources: readonly LoadedResource[] = [];
  let model;
  if (options.cluster) {
    model = await clusterModel({ format: 'table', ...options }, errors);
  } else {
    const loaded = await loadNetwork(paths, errors);
    model = loaded.model;
    resources = loaded.resources;
  }
  let text: string;
  try {
    text = readInputFile(options.flows, 'flows', { allowPipe: true }).toString('utf8');
  } catch (error) {
    throw new UsageError(`--flows: cannot read ${options.flows}: ${describeReadError(error)}`);
  }
  const problems: FlowProblem[] = [];
  const flows = observeHubbleFlows(text, model.endpoints, problems);
  for (const problem of problems) errors.push({ file: options.flows, line: problem.line, column: null, message: problem.message });
  const audit = auditTraffic({ reachability: new Reachability(model), resources, flows, flowFile: options.flows, ...(baseline ? { baseline } : {}) });
  if (options.writeFlowsBaseline) writeOutput(options.writeFlowsBaseline, `${JSON.stringify({ kind: BASELINE_KIND, connections: audit.pairs }, null, 2)}\n`);
  const findings = new AuditFindings();
  for (const finding of audit.findings) findings.add(finding, finding.location.file, finding.location.line);
  const described = TRAFFIC_RULES.filter((meta) => meta.id !== 'NETPOL-FLOW-NEW' || baseline).map((meta) => ({ meta }));
  const input = auditReportInput({ findings, errors, rules: described, assessed: audit.assessed.flows + audit.assessed.rules, inputs: paths.length + 1 });
  return emitReports(session, input, { target: { kind: 'netpol-flows', name: options.flows } });
}

function readBaseline(file: string): ReadonlySet<string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readInputFile(file, 'baseline').toString('utf8'));
  } catch (error) {
    throw new UsageError(`--flows-baseline: cannot read ${file}: ${error instanceof SyntaxError ? `not JSON: ${error.message}` : describeReadError(error)}`);
  }
  const connections = (parsed as { connections?: unknown }).connections;
  if ((parsed as { kind?: unknown }).kind !== BASELINE_KIND || !Array.isArray(connections) || !connections.every((entry) => typeof entry === 'string')) {
    throw new UsageError(`--flows-baseline: ${file} is not a flow baseline (write one with --write-flows-baseline)`);
  }
  return new Set(connections as string[]);
}
