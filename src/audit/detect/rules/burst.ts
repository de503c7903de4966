/**
 * Counting bursts: per key (a user and address), the times of the last N matching events. When N fall within the
 * window, one finding is reported and the key stays quiet for a window, so a long attack gives one finding per
 * window, not one per request. Memory is bounded by the keys active within a window.
 */
import type { LoggedEvent } from '../../event.js';
import type { DetectionContext, DetectionListener } from '../rule.js';

interface KeyState {
  /** Ring buffer of the last `threshold` event times (ms). */
  readonly times: number[];
  next: number;
  quietUntil: number;
  last: number;
}

/** Sweep idle keys every so many matching events. */
const SWEEP_EVERY = 10_000;

export function burstListener(
  context: DetectionContext,
  matches: (logged: LoggedEvent) => string | undefined,
  describe: (key: string, count: number, seconds: number, logged: LoggedEvent) => { message: string; field: string },
): DetectionListener {
  const { burstThreshold: threshold, burstWindowSeconds } = context.settings;
  const windowMs = burstWindowSeconds * 1000;
  const keys = new Map<string, KeyState>();
  let seen = 0;
  return {
    event(logged) {
      const key = matches(logged);
      if (key === undefined) return;
      const time = Date.parse(logged.event.stageTimestamp ?? logged.event.requestReceivedTimestamp ?? '');
      if (Number.isNaN(time)) return;
      if (++seen % SWEEP_EVERY === 0) {
        for (const [name, state] of keys) if (time - state.last > windowMs && time > state.quietUntil) keys.delete(name);
      }
      let state = keys.get(key);
      if (!state) keys.set(key, (state = { times: [], next: 0, quietUntil: -Infinity, last: time }));
      state.last = time;
      if (time < state.quietUntil) return;
      if (state.times.length < threshold) state.times.push(time);
      else state.times[state.next] = time;
      state.next = (state.next + 1) % threshold;
      if (state.times.length < threshold) return;
      // The oldest of the last `threshold` times is the one the ring buffer overwrites next. Logs given newest
      // file first run backwards in time: the span is the distance either way.
      const span = Math.abs(time - (state.times[state.next] as number));
      if (span > windowMs) return;
      const { message, field } = describe(key, threshold, Math.max(1, Math.round(span / 1000)), logged);
      context.report({ logged, message, field });
      state.times.length = 0;
      state.next = 0;
      state.quietUntil = time + windowMs;
    },
    saveState(): SavedBurstKey[] {
      return [...keys].map(([key, state]) => ({ key, times: inOrder(state), quietUntil: Number.isFinite(state.quietUntil) ? state.quietUntil : null, last: state.last }));
    },
    restoreState(saved) {
      if (!Array.isArray(saved)) throw new Error('not a list of burst keys');
      const restored = new Map<string, KeyState>();
      for (const entry of saved as unknown[]) {
        const { key, times, quietUntil, last } = (entry ?? {}) as Partial<SavedBurstKey>;
        if (typeof key !== 'string' || !Array.isArray(times) || !times.every(Number.isFinite) || !Number.isFinite(last) || (quietUntil !== null && !Number.isFinite(quietUntil))) {
          throw new Error(`a burst key of the wrong shape: ${JSON.stringify(entry)?.slice(0, 120)}`);
        }
        // A threshold lowered since the save keeps the newest times; the ring starts again at its oldest slot.
        const kept = times.slice(-threshold);
        restored.set(key, { times: kept, next: kept.length % threshold, quietUntil: quietUntil ?? -Infinity, last: last as number });
      }
      keys.clear();
      for (const [key, state] of restored) keys.set(key, state);
    },
  };
}

/** One key of a burst rule as saved: its recent event times oldest first, and when it may report again. */
interface SavedBurstKey {
  readonly key: string;
  readonly times: number[];
  /** null: not quiet (in memory, -Infinity, which JSON cannot hold). */
  readonly quietUntil: number | null;
  readonly last: number;
}

/** The ring buffer's times, oldest first. */
function inOrder(state: KeyState): number[] {
  return [...state.times.slice(state.next), ...state.times.slice(0, state.next)];
}
