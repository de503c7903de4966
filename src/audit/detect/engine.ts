/**
 * Runs detection rules over a stream of audit events. Rules that name the resources they look at are indexed by
 * them, so each event reaches only the few rules that care about it.
 */
import type { LoggedEvent } from '../event.js';
import { resourceKey, type DetectionHit, type DetectionListener, type DetectionRule, type DetectionSettings } from './rule.js';

export interface RuleHit extends DetectionHit {
  readonly rule: DetectionRule;
}

export interface Detector {
  event(logged: LoggedEvent): void;
  /** Flushes aggregating rules; call once after the last event. */
  end(): void;
  /** What the rules remember of earlier events, by rule id (only rules that remember anything). */
  saveState(): DetectorState;
  /**
   * Gives each rule back its memory. Rules the saved state does not name start empty; a rule whose saved memory
   * has the wrong shape starts empty too, and is named in the answer so the caller can say so.
   */
  restoreState(state: DetectorState): { readonly restored: readonly string[]; readonly refused: readonly { readonly rule: string; readonly reason: string }[] };
}

/** The rules' memory as plain JSON, keyed by rule id. */
export type DetectorState = Readonly<Record<string, unknown>>;

export function createDetector(rules: readonly DetectionRule[], settings: DetectionSettings, onHit: (hit: RuleHit) => void): Detector {
  const everyEvent: DetectionListener[] = [];
  const byResource = new Map<string, DetectionListener[]>();
  const all: DetectionListener[] = [];
  const byId = new Map<string, DetectionListener>();
  for (const rule of rules) {
    const listener = rule.create({ settings, report: (hit) => onHit({ ...hit, rule }) });
    all.push(listener);
    byId.set(rule.meta.id, listener);
    if (!rule.resources) {
      everyEvent.push(listener);
      continue;
    }
    for (const key of rule.resources) {
      let list = byResource.get(key);
      if (!list) byResource.set(key, (list = []));
      list.push(listener);
    }
  }
  return {
    event(logged) {
      for (const listener of everyEvent) listener.event(logged);
      const targeted = byResource.get(resourceKey(logged.event));
      if (targeted) for (const listener of targeted) listener.event(logged);
    },
    end() {
      for (const listener of all) listener.end?.();
    },
    saveState() {
      const state: Record<string, unknown> = {};
      for (const [id, listener] of byId) if (listener.saveState) state[id] = listener.saveState();
      return state;
    },
    restoreState(state) {
      const restored: string[] = [];
      const refused: { rule: string; reason: string }[] = [];
      for (const [id, saved] of Object.entries(state)) {
        const listener = byId.get(id);
        // A rule removed or renamed since the save: its memory means nothing now.
        if (!listener?.restoreState) continue;
        try {
          listener.restoreState(saved);
          restored.push(id);
        } catch (error) {
          // restoreState checks the whole value before it changes anything: the rule keeps its empty memory.
          refused.push({ rule: id, reason: (error as Error).message });
        }
      }
      return { restored, refused };
    },
  };
}
