/**
 * The policy report CRDs `kubeharden serve` writes to, from their projects' Go modules (fetched through the Go
 * module proxy), and their installation in a test API server: the fleet test and the serve benchmark use them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { Cluster } from './cluster-harness.js';
import { goModuleDir } from './go-module.js';
import { within } from './serve-process.js';

export interface CrdSource {
  readonly module: string;
  readonly version: string;
  readonly files: readonly string[];
}

/** Kyverno's PolicyReport CRDs, from its Go module. */
export const KYVERNO_CRDS: CrdSource = { module: 'github.com/kyverno/kyverno', version: 'v1.19.1', files: ['config/crds/policyreport/wgpolicyk8s.io_policyreports.yaml', 'config/crds/policyreport/wgpolicyk8s.io_clusterpolicyreports.yaml'] };
/** The OpenReports CRDs (openreports.io/v1alpha1 Report and ClusterReport), from github.com/openreports/reports-api's Go module. */
export const OPENREPORTS_CRDS: CrdSource = { module: 'github.com/openreports/reports-api', version: 'v0.2.1', files: ['config/crd/openreports.io_reports.yaml', 'config/crd/openreports.io_clusterreports.yaml'] };

export function crdsOf(source: CrdSource): unknown[] {
  const dir = goModuleDir(source.module, source.version);
  return source.files.map((file) => yaml.load(readFileSync(join(dir, file), 'utf8')));
}

/** Creates the CRDs and waits until the API server serves each of them. */
export async function installCrds(cluster: Cluster, crds: readonly unknown[]): Promise<void> {
  for (const crd of crds) {
    const response = await cluster.request('admin', 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    if (response.status !== 201) throw new Error(`creating a CRD: HTTP ${response.status} ${response.text.slice(0, 300)}`);
  }
  const served = (crds as { spec: { group: string; names: { plural: string }; versions: { name: string }[] } }[]).map(({ spec }) => `/apis/${spec.group}/${spec.versions[0]!.name}/${spec.names.plural}`);
  await within(30_000, 'the report CRDs are served', async () => (await Promise.all(served.map(async (path) => (await cluster.request('admin', 'GET', path)).status))).every((status) => status === 200));
  // The first write to a group's new CRD waits ~2 s in the API server; a real cluster's CRDs are long established
  // when the agent starts, so one object is written and deleted here before anyone measures.
  for (const { spec } of crds as { spec: { group: string; scope: string; names: { kind: string; plural: string }; versions: { name: string }[] } }[]) {
    const base = `/apis/${spec.group}/${spec.versions[0]!.name}${spec.scope === 'Namespaced' ? '/namespaces/default' : ''}/${spec.names.plural}`;
    const created = await cluster.request('admin', 'POST', base, { apiVersion: `${spec.group}/${spec.versions[0]!.name}`, kind: spec.names.kind, metadata: { name: 'warm-up' } });
    if (created.status !== 201) throw new Error(`writing a ${spec.names.kind}: HTTP ${created.status} ${created.text.slice(0, 300)}`);
    await cluster.request('admin', 'DELETE', `${base}/warm-up`);
  }
}
