import type { InventoryControl } from '../../engine/types.js';

/** The logging controls judge a live cluster: its nodes, its DaemonSets and its API server's flags together. */
export const NEEDS_CLUSTER: NonNullable<InventoryControl['needsCluster']> = {
  reason: 'not assessed: manifests do not show the nodes, what runs on each of them, or the API server that runs; kubeharden cluster judges it',
  kinds: ['Node', 'DaemonSet', 'Pod'],
};

/** `kube-system/fluent-bit (Fluent Bit)`: a shipper DaemonSet as messages name it. */
export function describeShipper(shipper: { readonly name: string; readonly shippers: readonly string[] }): string {
  return `${shipper.name} (${shipper.shippers.join(', ')})`;
}
