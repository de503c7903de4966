import type { LoadedResource } from '../loader/source.js';
import { isRecord } from '../util/object.js';
import type { ComponentConfig, ComponentName, HostReader } from './component-config.js';
import { componentFromContainer } from './control-plane-container.js';

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

/** The component's flags from its Pod: the container's command after the binary, then its args. */
export function componentFromStaticPod(resource: LoadedResource, reader?: HostReader): ComponentConfig | undefined {
  const found = controlPlaneComponentOf(resource.object);
  if (!found) return undefined;
  return componentFromContainer(resource, ['spec', 'containers', found.containerIndex], found.component, reader);
}
