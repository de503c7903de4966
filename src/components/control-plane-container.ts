/**
 * A control-plane component as one container runs it, wherever the container is declared: a static Pod on a node,
 * a kubeadm-style Pod kept in git, or the pod template of a Deployment, DaemonSet or StatefulSet (hosted and
 * self-hosted control planes). The binary the container runs decides which component it is.
 */
import { resourceRef } from '../engine/evaluate.js';
import { formatFieldPath } from '../engine/field-path.js';
import type { FieldPath } from '../engine/types.js';
import type { PodTemplateRef } from '../kube/pod-templates.js';
import type { LoadedResource } from '../loader/source.js';
import { isRecord } from '../util/object.js';
import type { ComponentConfig, ComponentField, ComponentName, HostReader } from './component-config.js';
import { FlagSet } from './flags.js';

export const CONTROL_PLANE_COMPONENTS: readonly ComponentName[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];

/** hyperkube's old subcommand names, which it accepted beside the binaries' own. */
const HYPERKUBE_ALIASES: Readonly<Record<string, ComponentName>> = { apiserver: 'kube-apiserver', 'controller-manager': 'kube-controller-manager', scheduler: 'kube-scheduler' };

/** What the container executes: its command, then its args (the kubelet appends args to the command). */
function argvOf(container: Record<string, unknown>): { command: string[]; args: string[] } {
  const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item : '')) : []);
  return { command: strings(container['command']), args: strings(container['args']) };
}

/**
 * The control-plane component a container runs and where its binary sits in command + args: the first word that
 * is not a flag, looked through the wrappers Kubernetes images use (`/go-runner --log-file=… kube-scheduler …`,
 * `hyperkube kube-apiserver …`). Without a command the image's entrypoint runs the args, so an args list that
 * starts with the binary counts too. A shell (`sh -c "kube-apiserver …"`) is not looked into.
 */
export function controlPlaneBinaryOf(container: unknown): { component: ComponentName; binaryIndex: number } | undefined {
  if (!isRecord(container)) return undefined;
  const { command, args } = argvOf(container);
  const argv = [...command, ...args];
  let index = argv.findIndex((word) => !word.startsWith('-'));
  if (index === -1) return undefined;
  let binary = baseName(argv[index] as string);
  if (binary === 'go-runner') {
    index = argv.findIndex((word, at) => at > index && !word.startsWith('-'));
    if (index === -1) return undefined;
    binary = baseName(argv[index] as string);
  }
  if (binary === 'hyperkube') {
    index++;
    const sub = argv[index];
    if (sub === undefined) return undefined;
    binary = HYPERKUBE_ALIASES[sub] ?? sub;
  }
  const component = CONTROL_PLANE_COMPONENTS.find((name) => name === binary);
  return component === undefined ? undefined : { component, binaryIndex: index };
}

/** The component the container runs, by the binary in its command (or args): the one identification everyone uses. */
export function controlPlaneComponentOfContainer(container: unknown): ComponentName | undefined {
  return controlPlaneBinaryOf(container)?.component;
}

function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}

/**
 * The component's flags from one container: everything after its binary in command + args. When the binary is not
 * in the container (a static pod known by its label, an image whose entrypoint is the binary), every flag of
 * command + args counts, after a leading non-flag word. Findings point at the flag, or at the list a missing flag
 * belongs in.
 */
export function componentFromContainer(
  resource: LoadedResource,
  containerPath: FieldPath,
  component: ComponentName,
  reader?: HostReader,
): ComponentConfig | undefined {
  let container: unknown = resource.object;
  for (const key of containerPath) container = isRecord(container) ? container[key as string] : Array.isArray(container) ? container[key as number] : undefined;
  if (!isRecord(container)) return undefined;
  const { command, args } = argvOf(container);
  const found = controlPlaneBinaryOf(container);
  const argv = [...command, ...args];
  const firstFlag = found?.component === component ? found.binaryIndex + 1 : command.length > 0 && !command[0]?.startsWith('-') ? 1 : 0;
  const flags = FlagSet.parse(argv.slice(firstFlag), firstFlag);
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
    component,
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

/**
 * Every control-plane component the pod template's containers run (a Pod, Deployment, DaemonSet, StatefulSet…),
 * each judged as on a node. Init containers are left out: they exit before the pod serves anything.
 */
export function controlPlaneComponentsIn(resource: LoadedResource, template: PodTemplateRef): ComponentConfig[] {
  const containers = isRecord(template.spec) && Array.isArray(template.spec['containers']) ? template.spec['containers'] : [];
  return containers.flatMap((container, index) => {
    const component = controlPlaneComponentOfContainer(container);
    const config = component === undefined ? undefined : componentFromContainer(resource, [...template.specPath, 'containers', index], component);
    return config ? [config] : [];
  });
}
