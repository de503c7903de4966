/**
 * A control-plane component as one container runs it, wherever the container is declared: a static Pod on a node,
 * a kubeadm-style Pod kept in git, or the pod template of a Deployment, DaemonSet or StatefulSet (hosted and
 * self-hosted control planes). The binary the container runs decides which component it is.
 */
import { resourceRef } from '../kube/resource-ref.js';
import { formatFieldPath, type FieldPath } from '../vocabulary/field-path.js';
import type { PodTemplateRef } from '../kube/pod-templates.js';
import type { LoadedResource } from '../loader/source.js';
import { isRecord } from '../util/object.js';
import type { ComponentConfig, ComponentField, ComponentName, HostReader } from './component-config.js';
import { FlagSet } from './flags.js';

export const CONTROL_PLANE_COMPONENTS: readonly ComponentName[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];

/**
 * Launchers that run the program named after their own flags: kube-up's and kops' manifests start the
 * components through `/go-runner --log-file=... /usr/local/bin/kube-apiserver --flags...`.
 */
const LAUNCHERS = new Set(['go-runner']);
/** Shells run a script we do not read (`sh -c "exec kube-apiserver ... >>log"`): what they run is not known. */
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);
/** hyperkube ran every component as a subcommand, under the binaries' names or these older ones. */
const HYPERKUBE_ALIASES: Readonly<Record<string, ComponentName>> = { apiserver: 'kube-apiserver', 'controller-manager': 'kube-controller-manager', scheduler: 'kube-scheduler' };

/** What a container runs, read as the kubelet starts it: `command` replaces the image's entrypoint, `args` follow. */
export interface Invocation {
  /** The program's base name; undefined when the manifest does not show it (the image's entrypoint, a shell script). */
  readonly binary: string | undefined;
  /** Every argument, command then args (an item that is not a string reads as empty, so indexes stay those of the manifest). */
  readonly argv: readonly string[];
  /** Where the program's own flags start in argv. */
  readonly flagsFrom: number;
  /** How many of argv come from `command`. */
  readonly commandLength: number;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item : '')) : [];
}

/**
 * The program a container runs and where its flags start: the first argument unless it is a flag (without a
 * command the image's entrypoint runs with args after it, and an image without an entrypoint runs args as the
 * command), looked through launchers (`go-runner`) and `hyperkube`; a shell hides it.
 */
export function invocationOf(container: Record<string, unknown>): Invocation {
  const command = strings(container['command']);
  const argv = [...command, ...strings(container['args'])];
  const commandLength = command.length;
  if (argv[0] === undefined || argv[0].startsWith('-')) return { binary: undefined, argv, flagsFrom: 0, commandLength };
  let at = 0;
  while (LAUNCHERS.has(baseName(argv[at] as string))) {
    // The launcher's own flags come first (always as --name=value in the manifests that use it), then the program.
    const program = argv.findIndex((arg, index) => index > at && !arg.startsWith('-'));
    if (program === -1) return { binary: undefined, argv, flagsFrom: argv.length, commandLength };
    at = program;
  }
  let binary = baseName(argv[at] as string);
  if (binary === 'hyperkube') {
    const sub = argv[at + 1];
    if (sub === undefined || sub.startsWith('-')) return { binary: undefined, argv, flagsFrom: at + 1, commandLength };
    at++;
    binary = HYPERKUBE_ALIASES[sub] ?? sub;
  }
  return { binary: SHELLS.has(binary) ? undefined : binary, argv, flagsFrom: at + 1, commandLength };
}

/** The control-plane component a program name is, if any. */
export function controlPlaneComponentNamed(name: unknown): ComponentName | undefined {
  return CONTROL_PLANE_COMPONENTS.find((component) => component === name);
}

/** The component a container runs, by the program in its command (or args): the one identification everyone uses. */
export function controlPlaneComponentOfContainer(container: unknown): ComponentName | undefined {
  return isRecord(container) ? controlPlaneComponentNamed(invocationOf(container).binary) : undefined;
}

function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}

/**
 * The component's flags from one container: every argument after its program in command + args (a launcher's own
 * flags come before it; with the image's entrypoint, all count). Findings point at the flag, or at the list a
 * missing flag belongs in.
 */
export function componentFromContainer(
  resource: LoadedResource,
  containerPath: FieldPath,
  component: ComponentName,
  invocation: Invocation,
  reader?: HostReader,
): ComponentConfig {
  const { argv, flagsFrom, commandLength } = invocation;
  const flags = FlagSet.parse(argv.slice(flagsFrom), flagsFrom);
  const pathOfIndex = (index: number): FieldPath =>
    index < commandLength ? [...containerPath, 'command', index] : [...containerPath, 'args', index - commandLength];
  const missingFlagPath: FieldPath = argv.length > commandLength || commandLength === 0 ? [...containerPath, 'args'] : [...containerPath, 'command'];
  const pathOf = (at: ComponentField): FieldPath => {
    if ('flag' in at) {
      const flag = flags.get(at.flag);
      return flag ? pathOfIndex(flag.index) : missingFlagPath;
    }
    return 'config' in at ? at.config : missingFlagPath;
  };
  const templateSource = resource.document.templateSource();
  return {
    component,
    resource: resourceRef(resource.object),
    flags,
    ...(reader ? { reader } : {}),
    locate(at) {
      const path = pathOf(at);
      const position = resource.document.position([...resource.prefix, ...path]);
      return {
        location: { file: position.file ?? resource.document.file, line: position.line, column: position.column, ...(templateSource ? { templateSource } : {}) },
        field: 'flag' in at ? `${formatFieldPath(path)} (--${at.flag})` : formatFieldPath(path),
      };
    },
  };
}

/**
 * Every control-plane component the pod template's containers run (a Pod, Deployment, DaemonSet, StatefulSet…),
 * each judged as on a node. Init containers are left out: they exit before the pod serves anything.
 */
export function controlPlaneComponentsIn(resource: LoadedResource, template: PodTemplateRef): ComponentConfig[] {
  const containers = isRecord(template.spec) && Array.isArray(template.spec['containers']) ? template.spec['containers'] : [];
  return containers.flatMap((container, index) => {
    if (!isRecord(container)) return [];
    const invocation = invocationOf(container);
    const component = controlPlaneComponentNamed(invocation.binary);
    return component === undefined ? [] : [componentFromContainer(resource, [...template.specPath, 'containers', index], component, invocation)];
  });
}
