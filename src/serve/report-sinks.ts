/**
 * The report sinks `kubeharden serve` gives its agent, one per report API chosen (`--reports`), each with the
 * layout chosen (`--report-scope`): shared by the CLI and the benchmark, so the benchmark measures the agent as
 * deployed.
 */
import type { ApiClient } from '../cluster/api-client.js';
import type { KubeVersion } from '../kube/version.js';
import type { ResourceRef } from '../vocabulary/finding.js';
import type { Agent } from './agent.js';
import { PolicyReportSink } from './policy-report-sink.js';
import { reportApis, type ReportChoice, type ReportScope } from './report-choice.js';

export interface ReportSinksOptions {
  readonly cluster: string;
  readonly version: KubeVersion;
  readonly reports: ReportChoice;
  readonly scope: ReportScope;
  readonly onError: (error: Error) => void;
}

export function addReportSinks(agent: Agent, client: ApiClient, options: ReportSinksOptions): PolicyReportSink[] {
  // Per resource, each report names its resource and is owned by it: the uid comes from the watches.
  const uidOf = (resource: ResourceRef) => (resource.name === null ? undefined : agent.live.uidOf(resource.kind, resource.namespace, resource.name));
  return reportApis(options.reports).map((api) => {
    const sink = new PolicyReportSink(client, { cluster: options.cluster, version: options.version, api, scope: options.scope, uidOf, onError: options.onError });
    agent.addSink(sink);
    return sink;
  });
}
