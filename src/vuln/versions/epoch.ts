/**
 * `[epoch:]version[-release]`, the shape Debian (`epoch:upstream-revision`) and rpm (`epoch:version-release`)
 * versions share: the epoch is the digits before the first `:`, the release whatever follows the last `-`.
 */
export interface EpochVersion {
  readonly epoch: bigint;
  readonly version: string;
  /** null when there is no `-` (rpm tells "no release" from an empty one; Debian does not). */
  readonly release: string | null;
}

export function splitEpochVersion(text: string): EpochVersion {
  const value = text.trim();
  const colon = value.indexOf(':');
  const epochText = colon > 0 && /^\d+$/.test(value.slice(0, colon)) ? value.slice(0, colon) : '';
  const rest = epochText ? value.slice(colon + 1) : value;
  const dash = rest.lastIndexOf('-');
  return {
    epoch: epochText ? BigInt(epochText) : 0n,
    version: dash === -1 ? rest : rest.slice(0, dash),
    release: dash === -1 ? null : rest.slice(dash + 1),
  };
}

export function compareEpochs(a: EpochVersion, b: EpochVersion): number {
  return a.epoch === b.epoch ? 0 : a.epoch < b.epoch ? -1 : 1;
}
