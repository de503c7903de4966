import { resourceRef } from '../kube/resource-ref.js';
import { formatFieldPath, type FieldPath } from '../vocabulary/field-path.js';
import type { LoadedResource } from '../loader/source.js';
import { isRecord } from '../util/object.js';
import type { ComponentConfig, ComponentField, ComponentName, HostReader } from './component-config.js';
import { FlagSet } from './flags.js';

const CONTROL_PLANE: readonly ComponentName[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];

/**
 * The control-plane component a Pod runs, as kubeadm and most installers lay them out: a static pod labelled
 * `component: kube-apiserver`, or failing that a container whose command (or name) is the component's binary.
 */
export function controlPlaneComponentOf(object: Record<string, unknown>): { component: ComponentName; containerIndex: number } | undefined {
  if (object['kind'] !== 'Pod' || !isRecord(object['spec'])) return undefined;
  const containers = Array.isArray(object['spec']['containers']) ? object['spec']['containers'] : [];
  const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
  const labels = isRecord(metadata['labels']) ? metadata['labels'] : {};
  const labelled = CONTROL_PLANE.find((name) => labels['component'] === name);
  for (const [index, container] of containers.entries()) {
    if (!isRecord(container)) continue;
    const binary = commandOf(container)[0]?.split('/').pop();
    const named = CONTROL_PLANE.find((name) => binary === name || (binary === undefined && container['name'] === name));
    if (labelled !== undefined && (named === labelled || containers.length === 1)) return { component: labelled, containerIndex: index };
    if (labelled === undefined && named !== undefined) return { component: named, containerIndex: index };
  }
  return undefined;
}

function commandOf(container: Record<string, unknown>): string[] {
  return Array.isArray(container['command']) ? container['command'].filter((item): item is string => typeof item === 'string') : [];
}

function argsOf(container: Record<string, unknown>): string[] {
  return Array.isArray(container['args']) ? container['args'].filter((item): item is string => typeof item === 'string') : [];
}

/** The component's flags from its Pod: the container's command after the binary, then its args. */
export function componentFromStaticPod(resource: LoadedResource, reader?: HostReader): ComponentConfig | undefined {
  const found = controlPlaneComponentOf(resource.object);
  if (!found) return undefined;
  const spec = resource.object['spec'] as Record<string, unknown>;
  const container = (spec['containers'] as Record<string, unknown>[])[found.containerIndex] as Record<string, unknown>;
  const command = commandOf(container);
  const args = argsOf(container);
  // The binary itself is command[0] when the command names it; images that set only args have no binary here.
  const skipBinary = command.length > 0 && !command[0]?.startsWith('-') ? 1 : 0;
  const flags = FlagSet.parse([...command.slice(skipBinary), ...args], skipBinary);
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
