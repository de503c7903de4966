import { join } from 'node:path';
import type { Command } from 'commander';
import { clusterPatches, kubectlCommand } from '../fix/cluster-patches.js';
import type { FixOptions } from '../fix/fix-inputs.js';
import { inputErrorText, terminalText } from '../report/terminal-text.js';
import { connectWithFlags, excludedNamespaces, reachServer, serverMinor, type ConnectionFlags } from './cluster-command.js';
import { summaryText } from './fix-summary.js';
import { EXIT_USAGE, UsageError } from './usage-error.js';
import { writeTextFile } from './output-file.js';

/**
 * `kubeharden fix --cluster`: reads the cluster with GET requests only and prints one `kubectl patch --type=json`
 * per workload (or writes the JSON patches under --output-dir); applying them is left to the user.
 */
export async function runFixCluster(paths: readonly string[], command: Command, fixOptions: FixOptions, outputDir: string | undefined, versionFromFlag: boolean): Promise<number> {
  const flags = command.opts() as ConnectionFlags & { write?: boolean };
  if (paths.length > 0) throw new UsageError('--cluster reads the live cluster: give no paths');
  if (flags.write) throw new UsageError('--cluster never writes to the cluster: leave out --write (apply the printed patches with kubectl)');
  const client = await connectWithFlags(flags);
  const gitVersion = await reachServer(client);
  const version = versionFromFlag ? fixOptions.scan.version : serverMinor(gitVersion);
  process.stderr.write(`kubeharden: ${terminalText(`cluster ${client.serverName} runs ${gitVersion}`)}; fixing for Kubernetes 1.${version.minor}${versionFromFlag ? ' (--k8s-version)' : ''}\n`);
  const { patches, result, notAssessed } = await clusterPatches(client, { ...fixOptions, scan: { ...fixOptions.scan, version } }, {
    ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
    excludeNamespaces: excludedNamespaces(flags),
  });
  for (const patch of patches) {
    if (patch.resource === 'pods') {
      // The API server refuses changes to a Pod's securityContext: the patch shows what to change where it is made.
      process.stdout.write(`# a Pod's spec cannot be patched; recreate ${terminalText(`${patch.namespace ?? ''}/${patch.name}`)} with: ${terminalText(JSON.stringify(patch.ops))}\n`);
      continue;
    }
    if (outputDir === undefined) {
      process.stdout.write(`${kubectlCommand(patch)}\n`);
      continue;
    }
    // Object names and namespaces are DNS names: no `/` or `..` can leave DIR.
    const file = join(outputDir, patch.namespace ?? '_cluster', patch.resource, `${patch.name}.json`);
    writeTextFile(file, `${JSON.stringify(patch.ops, null, 2)}\n`);
    process.stdout.write(`${kubectlCommand(patch, file)}\n`);
  }
  // A live object has no file: like `cluster`, point at its API path without a line (not one of our serialised text).
  process.stderr.write(summaryText(result.outcomes.map((outcome) => ({ ...outcome, finding: { ...outcome.finding, location: { ...outcome.finding.location, line: 0 } } }))));
  for (const { what, reason } of notAssessed) process.stderr.write(`kubeharden: ${terminalText(`not read: ${what}: ${reason}`)}\n`);
  for (const error of result.errors) process.stderr.write(`kubeharden: ${inputErrorText(error)}\n`);
  if (notAssessed.length > 0 || result.errors.length > 0) return EXIT_USAGE;
  return result.remaining.length === 0 ? 0 : 1;
}
