#!/usr/bin/env node
// First, so that every module loaded after it can come from Node's compile cache (Node 22.1 and later).
import './compile-cache.js';
import { Argument, Command, CommanderError, Help, InvalidArgumentError, Option } from 'commander';
import { FRAMEWORKS } from '../engine/types.js';
import { SEVERITIES } from '../vocabulary/severity.js';
import { TOOL_VERSION } from '../version.js';
// Only the flag definitions load at start; each command's code is imported when it runs, so `--version`, `--help`
// and a small scan do not pay for the Kubernetes client, the audit engine and every report writer.
import { FORMAT_IDS, POLICY_REPORT_APIS } from '../report/format-ids.js';
import { DEFAULT_DETECTION_SETTINGS } from '../audit/detect/rule.js';
import type { NetpolAuditOptions } from './netpol-audit-command.js';
import { addRenderOptions } from './render-options.js';
// Choices and defaults only: small modules, so that start-up loads none of these commands.
import { DEFAULT_QUEUE_CAPACITY, DEFAULT_STATE_INTERVAL_SECONDS, HTTP_SHAPES } from '../audit/serve/choices.js';
import { VAP_ACTIONS } from '../enforce/vap/actions.js';
import { DEFAULT_VAP_SPLIT, VAP_SPLITS } from '../enforce/vap/splits.js';
import { DEFAULT_REPORT_CHOICE, DEFAULT_REPORT_SCOPE, REPORT_CHOICES, REPORT_SCOPES } from '../serve/report-choice.js';
import { DEFAULT_BATCH_MS } from '../serve/batch-pacer.js';
import { IMAGES_FORMATS } from './images-formats.js';
import { EXIT_USAGE, UsageError } from './usage-error.js';
import { checkInputLimits, InputLimitSettingError } from '../loader/safe-read.js';
import { limitHeapGrowth } from './heap-growth.js';
import { addVulnDbCommands } from './vuln-db-command.js';

function buildProgram(): Command {
  const program = new Command('kubeharden')
    .description('Harden Kubernetes: version-exact Pod Security Standards and NSA/CISA checks for manifests, clusters and nodes')
    .version(TOOL_VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    // A command's options are its own and come before its subcommands (`vuln --db` scans, `vuln db update --db`
    // updates): commander needs this set on the program for any group to have it.
    .enablePositionalOptions()
    .configureHelp({
      // A repeatable flag starts from an empty list: "(default: [])" tells the reader nothing. Set before any
      // command is added, so every subcommand inherits it.
      optionDescription(option) {
        const empty = Array.isArray(option.defaultValue) && option.defaultValue.length === 0 && option.defaultValueDescription === undefined;
        return Help.prototype.optionDescription.call(this, empty ? Object.assign(Object.create(Object.getPrototypeOf(option) as object) as Option, option, { defaultValue: undefined }) : option);
      },
    })
    .exitOverride();

  addRenderOptions(
    addScanOptions(
      program
        .command('scan')
        .description('scan manifest files, directories (Helm charts and Kustomize overlays in them rendered) or standard input (-) and report findings')
        .argument('<paths...>', 'files, directories (recursive: .yaml, .yml, .json; chart and overlay folders rendered) or - for standard input'),
    ),
  ).action(async (paths: string[], _options, command: Command) => {
    process.exitCode = await (await import('./scan-command.js')).runScan(paths, command);
  });

  addScanOptions(
    addConnectionOptions(
      program.command('cluster').description('scan a live cluster through a kubeconfig, read-only: its objects, control-plane pods and (optionally) kubelets'),
    )
      .addOption(new Option('-A, --all-namespaces', 'every namespace (the default)'))
      .addOption(envOption('--allow-partial', 'exit on the findings alone when some kinds could not be listed (default: exit 2)'))
      .addOption(new Option('--probe-anonymous', 'send requests without credentials to see whether the API server serves anonymous users'))
      .addOption(new Option('--kubelet-configz', "read each node's kubelet configuration through nodes/proxy/configz (needs get on nodes/proxy)"))
      .addOption(supportDateOption()),
  ).action(async (_options, command: Command) => {
    process.exitCode = await (await import('./cluster-command.js')).runCluster(command);
  });

  addScanOptions(
    program
      .command('node')
      .description("audit a control-plane or worker host's configuration files: static pods, kubelet, encryption, audit policy, PKI permissions")
      .addOption(envOption('--root <dir>', 'the host\'s root folder (a mounted node filesystem in a container, or a copy)').default('/'))
      .addOption(supportDateOption()),
  ).action(async (_options, command: Command) => {
    process.exitCode = await (await import('./node-command.js')).runNode(command);
  });

  program
    .command('controls')
    .description('list the control catalog')
    .argument('[ids...]', 'only these controls (ids as in docs/controls.md)')
    .addOption(new Option('-f, --framework <framework>', 'only controls of this framework').choices(FRAMEWORKS).default('all'))
    .addOption(new Option('-o, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--no-color', 'never colour the output')
    .action(async (ids: string[], options) => {
      process.exitCode = (await import('./controls-command.js')).runControls(options, ids);
    });

  const rbac = program.command('rbac').description('answer RBAC questions from manifests: who can do what');
  rbac
    .command('who-can')
    .description('list the subjects that may perform VERB on RESOURCE (pods, pods/exec, deployments.apps, /metrics)')
    .argument('<verb>', 'a verb: get, list, create, delete, escalate, impersonate, ...')
    .argument('<resource>', 'resource[.group][/subresource], or a non-resource URL starting with /')
    .argument('<paths...>', 'manifests holding Roles, ClusterRoles and bindings')
    .option('-n, --namespace <namespace>', 'only rights that apply in this namespace')
    .option('--name <name>', 'the object the request names, so rules limited by resourceNames count')
    .addOption(new Option('-o, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (verb: string, resource: string, paths: string[], options) => {
      process.exitCode = await (await import('./rbac-command.js')).runWhoCan(verb, resource, paths, options);
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
      process.exitCode = await (await import('./rbac-command.js')).runSubject(kind, name, paths, options);
    });
  rbac
    .command('generate')
    .description('write least-privilege Roles, ClusterRoles and bindings covering the requests subjects made in an audit log')
    .option('--from-audit <log>', 'an audit log (JSON lines, plain or gzip), or - for standard input')
    .option('--subject <subject>', 'user:NAME, group:NAME or sa:NAMESPACE:NAME (repeatable; default: the only user in the log)', (value: string, previous: string[]) => [...previous, value], [])
    .option('--output <file>', 'write the YAML to a file instead of standard output')
    .option('--expand-verbs', "add the verbs audit2rbac adds (list, watch: get, list, watch; update, patch: get, update, patch)")
    .option('--expand-namespaces', 'allow a request made in two or more namespaces in every namespace (a ClusterRole), as audit2rbac does')
    .action(async (options) => {
      process.exitCode = await (await import('./rbac-generate-command.js')).runRbacGenerate(options);
    });

  // `kubeharden psa plan`: the Pod Security level each namespace can enforce now, and the labels that roll it out.
  addConnectionOptions(
    program
      .command('psa')
      .description('Pod Security Admission: plan the namespace labels')
      .command('plan')
      .description('per namespace: the strictest Pod Security level every workload passes, what blocks the next one, and the labels to set')
      .argument('[paths...]', 'files, directories (recursive: .yaml, .yml, .json) or - for standard input'),
  )
    .addOption(new Option('--cluster', 'read the live cluster (GET only) instead of manifests; the target version is the server\'s own'))
    .addOption(envOption('-k, --k8s-version <version>', 'target Kubernetes version, pinned in every *-version label (default: newest known; with --cluster, the server\'s)'))
    .addOption(new Option('-o, --format <format>', 'table, json, markdown, yaml (Namespace objects for kubectl apply) or kubectl (kubectl label commands)').choices(['table', 'json', 'markdown', 'yaml', 'kubectl']).default('table'))
    .addOption(new Option('--output <file>', 'write the plan to a file instead of standard output'))
    .addOption(envOption('--pod-template-path <kind=path>', 'extra kinds that embed a pod template, e.g. serving.knative.dev/Service=spec.template').argParser(collect).default([]))
    .action(async (paths: string[], _options, command: Command) => {
      const { runPsaPlan } = await import('./psa-plan-command.js');
      process.exitCode = await runPsaPlan(paths, command);
    });

  addSelectionOptions(
    addVersionOptions(
      addConnectionOptions(
        program.command('serve').description('watch a cluster and keep its findings current: history (SQLite or PostgreSQL), PolicyReports, /metrics and a dashboard'),
      ),
    ),
  )
    .addOption(envOption('--database <url>', 'history: sqlite:FILE, postgres://USER@HOST:PORT/DB, or none').default('sqlite:kubeharden-history.db'))
    .addOption(envOption('--listen <address>', 'HTTP address: HOST:PORT, :PORT (every interface, bearer tokens required) or PORT (loopback)').default('127.0.0.1:8080'))
    .addOption(envOption('--cluster-name <name>', 'the name this cluster has in the history (default: the kubeconfig context, else the server host)'))
    .addOption(envOption('--reports <api>', 'policy reports to keep in the cluster: policyreport (wgpolicyk8s.io), openreports (openreports.io), both or none').choices([...REPORT_CHOICES]).default(DEFAULT_REPORT_CHOICE))
    .addOption(envOption('--report-scope <scope>', 'one report per resource with findings (small writes, owned by the resource) or per namespace plus a cluster report (scan --format policyreport\'s objects)').choices([...REPORT_SCOPES]).default(DEFAULT_REPORT_SCOPE))
    .addOption(envOption('--dashboard-clusters <names>', 'other clusters of the history the dashboard shows besides its own: comma-separated names, or * for all (default: its own only); off loopback a reader also needs get on clusters.kubeharden.io named after one').default(''))
    .addOption(envOption('--batch <ms>', 'how long a change waits for others before they are judged together (longer while batches take longer to judge)').default(String(DEFAULT_BATCH_MS)))
    .addOption(supportDateOption())
    .action(async (_options, command: Command) => {
      process.exitCode = await (await import('./serve-command.js')).runServe(command);
    });

  addFixCommand(program);
  addExportCommand(program);
  addAuditCommands(program);
  addNetpolCommands(program);
  program
    .command('completion')
    .description('print a shell completion script: source <(kubeharden completion bash)')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      // Loaded only here: the catalog is needed for the control ids, and nothing else needs the generator.
      const [{ commandSpecs, renderCompletion }, { CONTROLS }] = await Promise.all([import('./completion.js'), import('../controls/index.js')]);
      process.stdout.write(renderCompletion(shell, commandSpecs(program, CONTROLS.map((control) => control.meta.id))));
    });
  addImageCommands(program);
  // `vuln db update` (the advisory database); joins the `vuln` group whichever block registers it first.
  addVulnDbCommands(program);
  return program;
}

/** `kubeharden images` and `kubeharden vuln`: the images the workloads run, and their vulnerabilities. */
function addImageCommands(program: Command): void {
  program
    .command('images')
    .description('list every image the workloads run (init, regular and ephemeral containers) with the workloads that run it')
    .argument('[paths...]', 'manifests: files, directories, - for standard input')
    .option('--cluster', 'read the workloads of the cluster of the kubeconfig instead of manifests')
    .option('--kubeconfig <file>', 'kubeconfig file (with --cluster)')
    .option('--context <name>', 'kubeconfig context (with --cluster)')
    .option('--allow-auth-provider-commands', "with --cluster: let a kubeconfig's gcp/azure auth-provider run its cmd-path (without a shell)")
    .addOption(new Option('-o, --format <format>', 'output format').choices(IMAGES_FORMATS).default('table'))
    .option('--output <file>', 'write the list to a file')
    .action(async (paths: string[], options) => {
      process.exitCode = await (await import('./images-command.js')).runImages(paths, options);
    });
  const vuln = addReportOptions(
    addImageSourceOptions(
      program
        .command('vuln')
        .description('scan the images the workloads run (or --image, --sbom) for known vulnerabilities (OSV), ranked by exposure')
        // `vuln db update --db DIR`: the subcommand's own --db, not the scan's (vuln's options only before a subcommand).
        .enablePositionalOptions()
        .argument('[paths...]', 'manifests: files, directories, - for standard input')
        .option('--cluster', 'read the workloads (and Services, Ingresses, NetworkPolicies, RBAC) of the cluster of the kubeconfig')
        .option('--kubeconfig <file>', 'kubeconfig file (with --cluster)')
        .option('--context <name>', 'kubeconfig context (with --cluster)')
        .option('--allow-auth-provider-commands', "with --cluster: let a kubeconfig's gcp/azure auth-provider run its cmd-path (without a shell)")
        .option('--image <ref>', 'also scan this image: registry/repo:tag, repo@sha256:…, oci:DIR[:TAG], docker-archive:FILE[:REPO:TAG] (repeatable)', collect, [])
        .option('--sbom <file>', 'also match the packages of this SBOM: CycloneDX 1.4–1.6 or SPDX 2.3 JSON (repeatable)', collect, [])
        .option('--db <dir>', 'OSV advisories: a folder of records or an OSV all.zip export (repeatable)', collect, []),
    ).addOption(envOption('--fail-on-priority <n>', 'also exit 1 when a finding\'s exposure priority (0–100) is at least N')),
  ).action(async (paths: string[], options, command: Command) => {
    process.exitCode = await (await import('./vuln-command.js')).runVuln(paths, options, command);
  });
  addImageSourceOptions(
    vuln
      .command('sbom')
      .description("write one image's packages as a CycloneDX 1.6 SBOM (JSON), which `vuln --sbom` and other scanners read")
      .argument('<image>', 'registry/repo:tag, repo@sha256:…, oci:DIR[:TAG] or docker-archive:FILE[:REPO:TAG]'),
  )
    .option('--output <file>', 'write the SBOM to a file instead of standard output')
    .action(async (reference: string, options) => {
      process.exitCode = await (await import('./vuln-sbom-command.js')).runVulnSbom(reference, options);
    });
}

/** Where and how images are read: `vuln` and `vuln sbom` take the same options (image-reading.ts reads them). */
function addImageSourceOptions(command: Command): Command {
  return command
    .addOption(envOption('--platform <os/arch[/variant]>', 'the image to choose from a multi-platform index').default('linux/amd64'))
    .addOption(envOption('--cache-dir <dir>', 'the layer cache (default: $XDG_CACHE_HOME/kubeharden or ~/.cache/kubeharden)'))
    .option('--no-cache', 'read every layer, and cache nothing')
    .addOption(envOption('--docker-config <file>', 'registry credentials: a Docker config.json ("auths", and the credential helpers of "credHelpers" and "credsStore"; default: $DOCKER_CONFIG/config.json or ~/.docker/config.json)'))
    .option('--insecure-registry <host>', 'speak plain HTTP to this registry (loopback registries always are) (repeatable)', collect, []);
}

/** `kubeharden netpol ...`: NetworkPolicy reachability and generated policies. */
function addNetpolCommands(program: Command): void {
  const netpol = program.command('netpol').description('who can reach whom under NetworkPolicies, and the policies an application needs');
  netpol
    .command('reach')
    .description('connectivity matrix, unintended openings, or one explained connection')
    .argument('[paths...]', 'manifests: files, directories, - for standard input')
    .option('--from <selector>', 'sources: ns/name, ns/*, * or key=value[,key=value] pod labels')
    .option('--to <selector>', 'destinations, same forms')
    .option('--port <port>', 'only connections that include this port: 80, tcp/80, 53/udp, sctp/9000')
    .addOption(new Option('-o, --format <format>', 'output format').choices(['table', 'json', 'dot', 'html']).default('table'))
    .option('--explain <pair>', 'explain one connection: ns/a->ns/b:port (either end may be an IP address)')
    .option('--cluster', 'read the cluster of the kubeconfig instead of manifests')
    .option('--kubeconfig <file>', 'kubeconfig file (with --cluster)')
    .option('--context <name>', 'kubeconfig context (with --cluster)')
    .option('--allow-auth-provider-commands', "with --cluster: let a kubeconfig's gcp/azure auth-provider run its cmd-path (without a shell)")
    .option('--output <file>', 'write the report to a file')
    .action(async (paths: string[], options) => {
      process.exitCode = await (await import('./netpol-command.js')).runNetpolReach(paths, options);
    });
  netpol
    .command('diff')
    .description('the connections a change opens and closes, per workload pair and port: against a git revision (--base REF) or between two paths (OLD NEW)')
    .argument('[paths...]', 'with --base: the manifests to compare (default .); without: OLD NEW')
    .option('--base <ref>', 'compare the working tree with the same paths at this git revision (read with git archive, never checked out)')
    .addOption(new Option('-o, --format <format>', 'output format').choices(['table', 'json', 'markdown', 'sarif']).default('table'))
    .option('--output <file>', 'write the report to a file')
    .action(async (paths: string[], options) => {
      process.exitCode = await (await import('./netpol-diff-command.js')).runNetpolDiff(paths, options);
    });
  netpol
    .command('generate')
    .description('default-deny plus the allow rules the application needs, as commented YAML')
    .argument('[paths...]', 'manifests: files, directories, - for standard input')
    .option('--from-flows <file>', 'also allow the flows of a Cilium Hubble JSON export')
    .option('--no-infer', 'with --from-flows: only the observed flows')
    .option('--output <file>', 'write the YAML to a file')
    .action(async (paths: string[], options: { fromFlows?: string; infer: boolean; output?: string }) => {
      process.exitCode = await (await import('./netpol-command.js')).runNetpolGenerate(paths, { fromFlows: options.fromFlows, noInfer: options.infer === false, output: options.output });
    });
  addReportOptions(
    netpol
      .command('audit')
      .description('observed traffic against the policies: flows they deny, allow rules no flow used, connections new since a baseline')
      .argument('[paths...]', 'manifests: files, directories, - for standard input')
      .requiredOption('--flows <file>', 'the observed flows: a Cilium Hubble JSON export (hubble observe -o json)')
      .option('--flows-baseline <file>', 'report connections not in this flow baseline (written with --write-flows-baseline)')
      .option('--write-flows-baseline <file>', 'write every observed connection to this file, as a flow baseline')
      .option('--cluster', 'read the policies and workloads of the cluster of the kubeconfig instead of manifests')
      .option('--kubeconfig <file>', 'kubeconfig file (with --cluster)')
      .option('--context <name>', 'kubeconfig context (with --cluster)')
      .option('--allow-auth-provider-commands', "with --cluster: let a kubeconfig's gcp/azure auth-provider run its cmd-path (without a shell)"),
  ).action(async (paths: string[], options: NetpolAuditOptions, command: Command) => {
    process.exitCode = await (await import('./netpol-audit-command.js')).runNetpolAudit(paths, options, command);
  });
}

/** `kubeharden audit ...`: the audit policy engine, policy tuning and threat detection over audit logs. */
function addAuditCommands(program: Command): void {
  const audit = program.command('audit').description('audit policies and logs: explain, lint, estimate volume, recommend a policy, detect threats');
  audit
    .command('explain')
    .description('show which rule of an audit policy decides a request, and what the API server would log for it')
    .argument('<policy>', 'audit.k8s.io/v1 Policy file')
    .option('--user <name>', 'the authenticated user (leave out for a request that failed authentication)')
    .option('--group <group>', "the user's groups, comma-separated or repeated", collect, [])
    .option('--verb <verb>', 'get, list, watch, create, update, patch, delete, deletecollection, or an HTTP method in lower case for --path', 'get')
    .option('--resource <resource>', 'resource[.group][/subresource], e.g. pods, deployments.apps, pods/exec')
    .option('--subresource <subresource>', 'the subresource, e.g. log, exec, status')
    .option('-n, --namespace <namespace>', 'the namespace ("" or absent: cluster-scoped or all namespaces)')
    .option('--name <name>', 'the object name')
    .option('--path <url>', 'a non-resource URL such as /healthz or /metrics, instead of --resource')
    .addOption(new Option('-o, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (policy: string, options) => {
      process.exitCode = await (await import('./audit-command.js')).runAuditExplain(policy, options);
    });
  addReportOptions(
    audit
      .command('lint')
      .description('check audit policies: sensitive data in the log, coverage of exec, RBAC, pods and failed logins, blind detections, volume')
      .argument('<policies...>', 'audit.k8s.io/v1 Policy files')
      .addOption(envOption('--apiserver-flags <file>', "also check the log backend flags: the kube-apiserver static Pod manifest, or a file of its flags")),
  ).action(async (policies: string[], options, command: Command) => {
    process.exitCode = await (await import('./audit-command.js')).runAuditLint(policies, options, command, (await import('../audit/detect/rules/index.js')).DETECTION_RULES);
  });
  audit
    .command('estimate')
    .description('replay recorded audit events under one or more policies and estimate events and bytes per day, per policy and per rule')
    .argument('<logs...>', 'audit logs: JSON lines, gzip, or - for standard input')
    .option('--policy <file>', 'a policy to estimate (repeat to compare several side by side)', collect, [])
    .addOption(new Option('-o, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (logs: string[], options) => {
      process.exitCode = await (await import('./audit-command.js')).runAuditEstimate(logs, options, (await import('../audit/log/read-events.js')).readAuditEvents);
    });
  addReportOptions(
    audit
      .command('detect')
      .description('find threats in audit logs: exec into pods, privileged pods, RBAC escalation, secret access, anonymous access, bursts of denied requests')
      .argument('<logs...>', 'audit logs: JSON lines (or a JSON event or EventList), gzip, or - for standard input')
      .addOption(envOption('--trusted-user <user>', 'users whose secret reads and admin actions are expected, comma-separated or repeated').argParser(collect).default([]))
      .addOption(envOption('--trusted-image <prefix>', 'image prefixes whose pods may run in kube-system and kube-public, besides the Kubernetes registries').argParser(collect).default([]))
      .addOption(envOption('--burst-threshold <n>', 'denied or unauthenticated requests from one user or address that make a burst').default(String(DEFAULT_DETECTION_SETTINGS.burstThreshold)))
      .addOption(envOption('--burst-window <seconds>', 'the window bursts are counted in').default(String(DEFAULT_DETECTION_SETTINGS.burstWindowSeconds))),
  ).action(async (logs: string[], options, command: Command) => {
    process.exitCode = await (await import('./audit-command.js')).runAuditDetect(logs, options, command, (await import('../audit/detect/rules/index.js')).DETECTION_RULES);
  });
  audit
    .command('serve')
    .description('audit webhook backend: receive the API server\'s event batches over mutual TLS and run the detections as they arrive, one JSON finding per line')
    .addOption(envOption('--listen <address:port>', 'where to listen, e.g. 127.0.0.1:8443, [::1]:8443 or :8443').default('127.0.0.1:8443'))
    .addOption(envOption('--tls-cert <file>', 'the server certificate (PEM) the API server checks against the CA in its webhook kubeconfig'))
    .addOption(envOption('--tls-key <file>', 'its private key (PEM)'))
    .addOption(envOption('--client-ca <file>', "the CA (PEM) of the client certificate the API server presents: nothing else gets in"))
    .addOption(envOption('--output <stdout|file|url>', 'where findings go: one JSON line each to stdout or a file (appended to), or one POST each to an http(s) URL').default('stdout'))
    .addOption(envOption('--output-shape <shape>', 'with an http(s) --output: the finding as JSON, or {"text": …} for Slack and Teams webhooks').choices(HTTP_SHAPES).default('json'))
    .addOption(envOption('--queue <events>', 'events held before batches are answered 429 (the API server retries them)').default(String(DEFAULT_QUEUE_CAPACITY)))
    .addOption(envOption('--trusted-user <user>', 'users whose secret reads and admin actions are expected, comma-separated or repeated').argParser(collect).default([]))
    .addOption(envOption('--trusted-image <prefix>', 'image prefixes whose pods may run in kube-system and kube-public, besides the Kubernetes registries').argParser(collect).default([]))
    .addOption(envOption('--burst-threshold <n>', 'denied or unauthenticated requests from one user or address that make a burst').default(String(DEFAULT_DETECTION_SETTINGS.burstThreshold)))
    .addOption(envOption('--burst-window <seconds>', 'the window bursts are counted in').default(String(DEFAULT_DETECTION_SETTINGS.burstWindowSeconds)))
    .addOption(envOption('--state-file <file>', "keep the rules' memory (bursts counted so far, open exec sessions) in this file across restarts"))
    .addOption(envOption('--state-interval <seconds>', 'with --state-file: how often the memory is saved while events arrive (and always at a graceful stop)').default(String(DEFAULT_STATE_INTERVAL_SECONDS)))
    .action(async (options) => {
      process.exitCode = await (await import('./audit-serve-command.js')).runAuditServe(options, (await import('../audit/detect/rules/index.js')).DETECTION_RULES);
    });
  audit
    .command('rules')
    .description('list the audit-policy lint rules and the detection rules (with the level and stage each detection needs)')
    .addOption(new Option('-o, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--no-color', 'never colour the output')
    .action(async (options) => {
      process.exitCode = (await import('./audit-command.js')).runAuditRules(options, (await import('../audit/detect/rules/index.js')).DETECTION_RULES);
    });
  audit
    .command('recommend')
    .description('print a tuned audit policy: what the guide and the detections need, at a fraction of the volume of logging everything')
    .action(async () => {
      process.exitCode = (await import('./audit-command.js')).runAuditRecommend();
    });
}

/** The flags every scanning command shares: versions, frameworks, reports, gates, configuration. */
function addScanOptions(command: Command): Command {
  return addSelectionOptions(addReportOptions(addVersionOptions(command)));
}

function addVersionOptions(command: Command): Command {
  return command
    .addOption(envOption('-k, --k8s-version <version>', 'Kubernetes version to judge by, e.g. 1.29 or v1.29 (default: newest known; for a cluster, its own)'))
    .addOption(envOption('-f, --framework <framework>', 'controls to run').choices(FRAMEWORKS).default('nsa'));
}

/** What to judge besides version and framework: `scan` and `fix` select findings the same way. */
function addSelectionOptions(command: Command): Command {
  return command
    .addOption(envOption('--config <file>', 'configuration file (default: the nearest .kubeharden.yaml up to the repository root)'))
    .addOption(envOption('--pod-template-path <kind=path>', 'extra kinds that embed a pod template, e.g. Rollout=spec.template or serving.knative.dev/Service=spec.template').argParser(collect).default([]))
    .addOption(envOption('--allowed-registry <registry>', 'registries (or registry/path prefixes) images may come from; turns on IMG-TRUSTED-REGISTRY').argParser(collect).default([]))
    .addOption(envOption('--dangerous-capability <capability>', 'replace the list of capabilities POD-NO-DANGEROUS-CAPS reports').argParser(collect).default([]))
    .addOption(envOption('--namespace-objects-elsewhere', 'Namespaces, NetworkPolicies, LimitRanges, ResourceQuotas and ServiceAccounts are managed outside these files: skip the checks that need them'));
}

/** `kubeharden fix`: the scan's selection, then edits that keep every byte they do not change. */
function addFixCommand(program: Command): void {
  addSelectionOptions(
    addVersionOptions(
      addConnectionOptions(
        program
          .command('fix')
          .description('fix pod-security findings in manifests: print a diff (default), edit in place (--write) or write fixed copies (--output-dir); or print kubectl patches for a live cluster (--cluster)')
          .argument('[paths...]', 'files, directories (recursive: .yaml, .yml, .json) or - for standard input'),
      ),
    ),
  )
    .addOption(new Option('--cluster', 'read the live cluster (read-only, as `kubeharden cluster`) and print a `kubectl patch --type=json` command per workload; --output-dir writes the JSON patches'))
    .addOption(new Option('--risk <risk>', 'apply fixes up to this risk: safe (cannot change behaviour) or review (may change it)').choices(['safe', 'review']).default('review'))
    .addOption(new Option('--write', 'edit the files in place'))
    .addOption(new Option('--output-dir <dir>', 'write fixed copies under DIR (same relative paths), leaving the inputs alone'))
    .addOption(new Option('--patches <dir>', 'for rendered Helm or Kustomize output: write the input, one strategic-merge patch per fixed object and a kustomization.yaml applying them to DIR'))
    .addOption(new Option('--patches-resource <file>', 'name of the input copy inside the --patches folder, listed as the kustomization resource (default rendered.yaml)'))
    .addOption(envOption('--severity <severities>', 'fix and report only these severities, e.g. critical,high').argParser(collect).default([]))
    .action(async (paths: string[], _options, command: Command) => {
      process.exitCode = await (await import('./fix-command.js')).runFix(paths, command);
    });
}

/** `kubeharden export vap`: the single-object controls as ValidatingAdmissionPolicies (CEL) the API server enforces. */
function addExportCommand(program: Command): void {
  const exportCommand = program.command('export').description('export controls for enforcement by other tools');
  addSelectionOptions(addVersionOptions(exportCommand.command('vap').description('write ValidatingAdmissionPolicy and binding objects (CEL) for every control that can be judged on one object at admission')))
    .addOption(new Option('--controls <ids>', 'only these control ids, comma-separated or repeated').argParser(collect).default([]))
    .addOption(new Option('--action <action>', 'what the bindings do with a violation').choices(VAP_ACTIONS).default('Deny'))
    .addOption(new Option('--split <split>', 'combined: one policy for all pod-template controls and one per object kind; per-control: one policy per control').choices(VAP_SPLITS).default(DEFAULT_VAP_SPLIT))
    .addOption(new Option('--params-namespace <namespace>', 'namespace of the ConfigMap holding the settings (--allowed-registry, --dangerous-capability)').default('kube-system'))
    .addOption(new Option('--output <file>', 'write the YAML to a file instead of standard output'))
    .action(async (_options, command: Command) => {
      process.exitCode = (await import('./export-vap-command.js')).runExportVap(command);
    });
}

/** The flags of every command that writes findings: formats, destinations, gates, baselines. */
function addReportOptions(command: Command): Command {
  return command
    .addOption(
      envOption('-o, --format <formats>', `report formats, comma-separated, each optionally FORMAT=FILE: ${FORMAT_IDS.join(', ')}`)
        .argParser(collect)
        // [] and not ['table']: repeated --format flags collect onto it. No format given ends as table, as help says.
        .default([], 'table'),
    )
    .addOption(envOption('--output <file>', 'write the report to a file instead of standard output'))
    .addOption(envOption('--output-dir <dir>', 'write every format to DIR/kubeharden.<ext>'))
    .addOption(
      envOption('--fail-on <severity>', 'exit 1 when an open finding is at or above this severity')
        .choices([...SEVERITIES, 'none'])
        .default('high'),
    )
    .addOption(envOption('--severity <severities>', 'show only these severities, e.g. critical,high (the exit code still counts every finding)').argParser(collect).default([]))
    .addOption(envOption('--baseline <file>', 'gate only on findings that are not in this baseline (written with --format baseline)'))
    .addOption(envOption('--policyreport-api <api>', `API of --format policyreport: ${POLICY_REPORT_APIS.join(' or ')}`).default(POLICY_REPORT_APIS[0]))
    .option('--no-color', 'never colour the output');
}

/** `cluster` and `node` judge the running release's end of life on this day (KUBEHARDEN_SUPPORT_DATE too). */
function supportDateOption(): Option {
  return envOption('--support-date <YYYY-MM-DD>', "judge Kubernetes end-of-life dates as of this day (default: today, UTC)");
}

/** How `cluster` and `fix --cluster` reach the API server, and which namespaces they read. */
function addConnectionOptions(command: Command): Command {
  return command
    .addOption(new Option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, then the in-cluster service account)'))
    .addOption(new Option('--context <name>', 'kubeconfig context (default: the current one)'))
    .addOption(new Option('-n, --namespace <namespace>', 'only this namespace (cluster-scoped objects are still read)'))
    .addOption(envOption('--exclude-namespaces <namespaces>', 'leave these namespaces out, comma-separated or repeated').argParser(collect).default([]))
    .addOption(envOption('--request-timeout <seconds>', 'deadline of each API request, for the whole answer (headers and body)').default('30'))
    .addOption(envOption('--concurrency <n>', 'API requests in flight at once').default('8'))
    .addOption(envOption('--max-response-size <MiB>', 'largest API answer accepted, in MiB').default('64'))
    .addOption(envOption('--max-list-pages <n>', 'most pages (of 500 objects) one list may take').default('10000'))
    .addOption(new Option('--allow-auth-provider-commands', "let a kubeconfig's gcp/azure auth-provider run its cmd-path (without a shell); off: such a kubeconfig runs nothing"));
}

/** An option that `KUBEHARDEN_<FLAG>` can also set (`--fail-on` → KUBEHARDEN_FAIL_ON); flags win over it. */
function envOption(flags: string, description: string): Option {
  const option = new Option(flags, description);
  return option.env(`KUBEHARDEN_${option.attributeName().replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`);
}

function collect(value: string, previous: string[]): string[] {
  if (value.trim() === '') throw new InvalidArgumentError('must not be empty');
  return [...previous, value];
}

/** `KUBEHARDEN_FORMAT=` (set but empty, as CI templates often leave it) means unset, not an empty value. */
function ignoreEmptyVariables(env: NodeJS.ProcessEnv): void {
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('KUBEHARDEN_') && (value ?? '').trim() === '') delete env[name];
  }
}

async function main(argv: string[]): Promise<void> {
  // `kubeharden scan ... | head` closes the pipe early; that is the reader's choice, not an error to crash on.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  ignoreEmptyVariables(process.env);
  limitHeapGrowth();
  const program = buildProgram();
  try {
    checkInputLimits(process.env);
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version exit 0; every other commander error is a usage error.
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
      return;
    }
    // Loaded only here: the sanitiser brings the input-error types and their YAML loader, which `--version` and
    // `--help` (they end above) do not need.
    const { terminalLines, terminalText } = await import('../report/terminal-text.js');
    if (error instanceof UsageError || error instanceof InputLimitSettingError) {
      // One line (see UsageError) that may quote file names, flag values and input: a newline in them stays visible.
      process.stderr.write(`kubeharden: ${terminalText(error.message)}\n`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    process.stderr.write(`kubeharden: internal error: ${terminalLines(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
    process.exitCode = EXIT_USAGE;
  }
}

await main(process.argv);
