import type { LoadedResource } from '../loader/source.js';
import { isRecord } from '../util/object.js';
import type { ComponentConfig, ComponentName, HostReader } from './component-config.js';
import { CONTROL_PLANE_COMPONENTS, componentFromContainer, controlPlaneComponentNamed, invocationOf, type Invocation } from './control-plane-container.js';

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
  const labelled = CONTROL_PLANE_COMPONENTS.find((name) => labels['component'] === name);
  const runs = containers.flatMap((container, containerIndex) => (isRecord(container) ? [{ container, containerIndex, invocation: invocationOf(container) }] : []));
  // A container whose program is a component: the program decides; the label only picks among several.
  const running = runs.filter((run) => controlPlaneComponentNamed(run.invocation.binary) !== undefined);
  const chosen = running.find((run) => run.invocation.binary === labelled) ?? running[0];
  if (chosen) return { found: { component: controlPlaneComponentNamed(chosen.invocation.binary) as ComponentName, containerIndex: chosen.containerIndex }, invocation: chosen.invocation };
  // No command names a component: fall back on what the manifest says about containers whose program it hides.
  const hidden = runs.filter((run) => run.invocation.binary === undefined);
  const byName = hidden.find((run) => controlPlaneComponentNamed(run.container['name']) !== undefined && (labelled === undefined || run.container['name'] === labelled));
  if (byName) return { found: { component: controlPlaneComponentNamed(byName.container['name']) as ComponentName, containerIndex: byName.containerIndex }, invocation: byName.invocation };
  const only = runs.length === 1 ? hidden[0] : undefined;
  if (labelled !== undefined && only) return { found: { component: labelled, containerIndex: only.containerIndex }, invocation: only.invocation };
  return undefined;
}

/** The component's flags from its Pod: the container's command after the program, then its args. */
export function componentFromStaticPod(resource: LoadedResource, reader?: HostReader): ComponentConfig | undefined {
  const identified = controlPlaneContainerOf(resource.object);
  if (!identified) return undefined;
  const { found, invocation } = identified;
  return componentFromContainer(resource, ['spec', 'containers', found.containerIndex], found.component, invocation, reader);
}
