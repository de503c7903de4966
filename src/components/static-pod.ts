import { resourceRef } from '../engine/evaluate.js';
import { formatFieldPath } from '../engine/field-path.js';
import type { FieldPath } from '../engine/types.js';
import type { LoadedResource } from '../loader/source.js';
import { isRecord } from '../util/object.js';
import type { ComponentConfig, ComponentField, ComponentName, HostReader } from './component-config.js';
import { FlagSet } from './flags.js';

const CONTROL_PLANE: readonly ComponentName[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];

/**
 * Launchers that run the program named after their own flags: kube-up's and kops' manifests start the
 * components through `/go-runner --log-file=... /usr/local/bin/kube-apiserver --flags...`.
 */
const LAUNCHERS = new Set(['go-runner']);
/** Shells run a script we do not read (`sh -c "exec kube-apiserver ... >>log"`): what they run is not known. */
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);

/** What a container runs, read as the kubelet starts it: `command` replaces the image's entrypoint, `args` follow. */
interface Invocation {
  /** The program's base name; undefined when the manifest does not show it (the image's entrypoint, a shell script). */
  readonly binary: string | undefined;
  /** Every argument, command then args, and where the program's own flags start among them. */
  readonly argv: readonly string[];
  readonly flagsFrom: number;
}

function invocationOf(container: Record<string, unknown>): Invocation {
  const argv = [...commandOf(container), ...argsOf(container)];
  // The first argument names the program unless it is a flag: without a command the image's entrypoint runs with
  // args after it, and an image without an entrypoint runs args as the command.
  if (argv[0] === undefined || argv[0].startsWith('-')) return { binary: undefined, argv, flagsFrom: 0 };
  let at = 0;
  while (LAUNCHERS.has(baseName(argv[at] as string))) {
    // The launcher's own flags come first (always as --name=value in the manifests that use it), then the program.
    const program = argv.findIndex((arg, index) => index > at && !arg.startsWith('-'));
    if (program === -1) return { binary: undefined, argv, flagsFrom: argv.length };
    at = program;
  }
  const binary = baseName(argv[at] as string);
  return { binary: SHELLS.has(binary) ? undefined : binary, argv, flagsFrom: at + 1 };
}

function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}

/**
 * The control-plane component a Pod runs. The program its container's command starts is what the kubelet runs,
 * so it decides (a pod labelled `component: kube-apiserver` whose command is `kube-scheduler` is a scheduler).
 * Only where the manifest does not show the program (the image's entrypoint, a shell script) do the pod's
 * `component` label, as kubeadm and most installers set it, or else the container's name, say which it is.
 */
export function controlPlaneComponentOf(object: Record<string, unknown>): { component: ComponentName; containerIndex: number } | undefined {
  return controlPlaneContainerOf(object)?.found;
}

function controlPlaneContainerOf(object: Record<string, unknown>): { found: { component: ComponentName; containerIndex: number }; invocation: Invocation } | undefined {
  if (object['kind'] !== 'Pod' || !isRecord(object['spec'])) return undefined;
  const containers = Array.isArray(object['spec']['containers']) ? object['spec']['containers'] : [];
  const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
  const labels = isRecord(metadata['labels']) ? metadata['labels'] : {};
  const labelled = CONTROL_PLANE.find((name) => labels['component'] === name);
  const runs = containers.flatMap((container, containerIndex) => (isRecord(container) ? [{ container, containerIndex, invocation: invocationOf(container) }] : []));
  const componentNamed = (name: unknown) => CONTROL_PLANE.find((component) => component === name);
  // A container whose program is a component: the program decides; the label only picks among several.
  const running = runs.filter((run) => componentNamed(run.invocation.binary) !== undefined);
  const chosen = running.find((run) => run.invocation.binary === labelled) ?? running[0];
  if (chosen) return { found: { component: componentNamed(chosen.invocation.binary) as ComponentName, containerIndex: chosen.containerIndex }, invocation: chosen.invocation };
  // No command names a component: fall back on what the manifest says about containers whose program it hides.
  const hidden = runs.filter((run) => run.invocation.binary === undefined);
  const byName = hidden.find((run) => componentNamed(run.container['name']) !== undefined && (labelled === undefined || run.container['name'] === labelled));
  if (byName) return { found: { component: componentNamed(byName.container['name']) as ComponentName, containerIndex: byName.containerIndex }, invocation: byName.invocation };
  const only = runs.length === 1 ? hidden[0] : undefined;
  if (labelled !== undefined && only) return { found: { component: labelled, containerIndex: only.containerIndex }, invocation: only.invocation };
  return undefined;
}

function commandOf(container: Record<string, unknown>): string[] {
  return Array.isArray(container['command']) ? container['command'].filter((item): item is string => typeof item === 'string') : [];
}

function argsOf(container: Record<string, unknown>): string[] {
  return Array.isArray(container['args']) ? container['args'].filter((item): item is string => typeof item === 'string') : [];
}

/** The component's flags from its Pod: the container's command after the program, then its args. */
export function componentFromStaticPod(resource: LoadedResource, reader?: HostReader): ComponentConfig | undefined {
  const identified = controlPlaneContainerOf(resource.object);
  if (!identified) return undefined;
  const { found, invocation } = identified;
  const container = ((resource.object['spec'] as Record<string, unknown>)['containers'] as Record<string, unknown>[])[found.containerIndex] as Record<string, unknown>;
  const command = commandOf(container);
  const args = argsOf(container);
  // The program's flags follow it (a launcher's own flags come before it); with the image's entrypoint, all do.
  const flags = FlagSet.parse(invocation.argv.slice(invocation.flagsFrom), invocation.flagsFrom);
  const containerPath: FieldPath = ['spec', 'containers', found.containerIndex];
  const pathOfIndex = (index: number): FieldPath =>
    index < command.length ? [...containerPath, 'command', index] : [...containerPath, 'args', index - command.length];
  const missingFlagPath: FieldPath = args.length > 0 || command.length === 0 ? [...containerPath, 'args'] : [...containerPath, 'command'];
  const pathOf = (at: ComponentField): FieldPath => {
    if ('flag' in at) {
      const flag = flags.get(at.flag);
      return flag ? pathOfIndex(flag.index) : missingFlagPath;
    }
    return 'config' in at ? at.config : missingFlagPath;
  };
  const templateSource = resource.document.templateSource();
  return {
    component: found.component,
    resource: resourceRef(resource.object),
    flags,
    ...(reader ? { reader } : {}),
    locate(at) {
      const path = pathOf(at);
      const position = resource.document.position([...resource.prefix, ...path]);
      return {
        location: { file: resource.document.file, line: position.line, column: position.column, ...(templateSource ? { templateSource } : {}) },
        field: 'flag' in at ? `${formatFieldPath(path)} (--${at.flag})` : formatFieldPath(path),
      };
    },
  };
}
