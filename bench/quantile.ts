/**
 * The q-quantile of latencies or costs sorted ascending, as the serve benches report p50 and p99: the value at
 * rank floor(q·n), the last one at most; NaN when there is none.
 */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** A copy sorted ascending. */
export function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}
