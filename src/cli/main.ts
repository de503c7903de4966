#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { FRAMEWORKS, SEVERITIES } from '../engine/types.js';
import { TOOL_VERSION } from '../version.js';
import { runControls } from './controls-command.js';
import { runSubject, runWhoCan } from './rbac-command.js';
import { runScan } from './scan-command.js';
import { EXIT_USAGE, UsageError } from './usage-error.js';

function buildProgram(): Command {
  const program = new Command('kubeharden')
    .description('Harden Kubernetes: version-exact Pod Security Standards and NSA/CISA checks for manifests')
    .version(TOOL_VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('scan')
    .description('scan manifest files, directories or standard input (-) and report findings')
    .argument('<paths...>', 'files, directories (recursive: .yaml, .yml, .json) or - for standard input')
    .option('-k, --k8s-version <version>', 'Kubernetes version to judge by, e.g. 1.29 or v1.29 (default: newest known)')
    .addOption(new Option('-f, --framework <framework>', 'controls to run').choices(FRAMEWORKS).default('nsa'))
    .addOption(new Option('-o, --format <format>', 'report format').choices(['table', 'json']).default('table'))
    .option('--output <file>', 'write the report to a file instead of standard output')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity')
        .choices([...SEVERITIES, 'none'])
        .default('high'),
    )
    .option('--pod-template-path <kind=path...>', 'extra kinds that embed a pod template, e.g. Rollout=spec.template or serving.knative.dev/Service=spec.template', collect, [])
    .option('--allowed-registry <registry...>', 'registries (or registry/path prefixes) images may come from; turns on IMG-TRUSTED-REGISTRY', collect, [])
    .option('--dangerous-capability <capability...>', 'replace the list of capabilities POD-NO-DANGEROUS-CAPS reports', collect, [])
    .option('--namespace-objects-elsewhere', 'Namespaces, NetworkPolicies, LimitRanges, ResourceQuotas and ServiceAccounts are managed outside these files: skip the checks that need them')
    .option('--no-color', 'never colour the output')
    .action(async (paths: string[], options) => {
      process.exitCode = await runScan(paths, options);
    });

  program
    .command('controls')
    .description('list the control catalog')
    .addOption(new Option('-f, --framework <framework>', 'only controls of this framework').choices(FRAMEWORKS).default('all'))
    .addOption(new Option('-o, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--no-color', 'never colour the output')
    .action((options) => {
      process.exitCode = runControls(options);
    });

  const rbac = program.command('rbac').description('answer RBAC questions from manifests: who can do what');
  rbac
    .command('who-can')
    .description('list the subjects that may perform VERB on RESOURCE (pods, pods/exec, deployments.apps, /metrics)')
    .argument('<verb>', 'a verb: get, list, create, delete, escalate, impersonate, ...')
    .argument('<resource>', 'resource[.group][/subresource], or a non-resource URL starting with /')
    .argument('<paths...>', 'manifests holding Roles, ClusterRoles and bindings')
    .option('-n, --namespace <namespace>', 'only rights that apply in this namespace')
    .addOption(new Option('-o, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (verb: string, resource: string, paths: string[], options) => {
      process.exitCode = await runWhoCan(verb, resource, paths, options);
    });
  rbac
    .command('subject')
    .description('list what a User, Group or ServiceAccount may do, and through which bindings')
    .argument('<kind>', 'User, Group or ServiceAccount')
    .argument('<name>', 'the name (ServiceAccounts: NAME with --namespace, or NAMESPACE:NAME)')
    .argument('<paths...>', 'manifests holding Roles, ClusterRoles and bindings')
    .option('-n, --namespace <namespace>', "the ServiceAccount's namespace")
    .addOption(new Option('-o, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (kind: string, name: string, paths: string[], options) => {
      process.exitCode = await runSubject(kind, name, paths, options);
    });

  return program;
}

function collect(value: string, previous: string[]): string[] {
  if (value.trim() === '') throw new InvalidArgumentError('must not be empty');
  return [...previous, value];
}

async function main(argv: string[]): Promise<void> {
  // `kubeharden scan ... | head` closes the pipe early; that is the reader's choice, not an error to crash on.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version exit 0; every other commander error is a usage error.
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
      return;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`kubeharden: ${error.message}\n`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    process.stderr.write(`kubeharden: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT_USAGE;
  }
}

await main(process.argv);
