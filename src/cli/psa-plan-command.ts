import type { Command } from 'commander';
import { clusterPlanInput, manifestPlanInput, selectNamespaces } from '../enforce/psa-plan/plan-input.js';
import { planNamespaces } from '../enforce/psa-plan/plan.js';
import { PLAN_FORMATS, planExitCode, renderPlan, type PlanFormat, type PlanReport } from '../enforce/psa-plan/render.js';
import { TemplatePaths } from '../kube/pod-templates.js';
import { parseKubeVersion, VersionError, type KubeVersion } from '../kube/version.js';
import { collectInputs } from '../loader/inputs.js';
import type { InputError } from '../loader/source.js';
import { terminalText } from '../report/terminal-text.js';
import { connectWithFlags, excludedNamespaces, reachServer, serverMinor, type ConnectionFlags } from './cluster-command.js';
import { writeOutput } from './output-file.js';
import { UsageError } from './usage-error.js';

interface PsaPlanFlags extends ConnectionFlags {
  cluster?: boolean;
  k8sVersion?: string;
  format: string;
  output?: string;
  podTemplatePath: string[];
}

/** `kubeharden psa plan`: the Pod Security level each namespace can enforce, and the labels that roll it out. */
export async function runPsaPlan(paths: readonly string[], command: Command): Promise<number> {
  const flags = command.opts() as PsaPlanFlags;
  if (!(PLAN_FORMATS as readonly string[]).includes(flags.format)) throw new UsageError(`--format must be one of ${PLAN_FORMATS.join(', ')}, not "${flags.format}"`);
  const format = flags.format as PlanFormat;
  const flagVersion = flags.k8sVersion === undefined ? undefined : parseVersionFlag(flags.k8sVersion);
  let templatePaths: TemplatePaths;
  try {
    templatePaths = TemplatePaths.parse(flags.podTemplatePath);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const namespaces = { ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}), excludeNamespaces: excludedNamespaces(flags) };
  let report: PlanReport;
  if (flags.cluster) {
    if (paths.length > 0) throw new UsageError('--cluster reads the live cluster: give no paths');
    const client = await connectWithFlags(flags);
    const gitVersion = await reachServer(client);
    const server = serverMinor(gitVersion);
    const version = flagVersion ?? server;
    process.stderr.write(`kubeharden: ${terminalText(`cluster ${client.serverName} runs ${gitVersion}`)}; planning for Kubernetes 1.${version.minor}${flagVersion ? ' (--k8s-version)' : ''}\n`);
    const { input, notAssessed } = await clusterPlanInput(client, templatePaths, namespaces);
    report = { plan: planNamespaces(input, { version, latest: server, templatePaths }), source: 'cluster', errors: [], notAssessed };
  } else {
    if (paths.length === 0) throw new UsageError('give manifest paths (or - for standard input), or --cluster');
    const errors: InputError[] = [];
    const inputs = await collectInputs(paths, errors);
    const input = selectNamespaces(await manifestPlanInput(inputs, errors, templatePaths), namespaces);
    report = { plan: planNamespaces(input, { version: flagVersion ?? parseKubeVersion('latest'), templatePaths }), source: 'manifests', errors, notAssessed: [] };
  }
  const text = renderPlan(report, format);
  writeOutput(flags.output, text);
  return planExitCode(report);
}

function parseVersionFlag(text: string): KubeVersion {
  try {
    return parseKubeVersion(text);
  } catch (error) {
    if (error instanceof VersionError) throw new UsageError(error.message);
    throw error;
  }
}
