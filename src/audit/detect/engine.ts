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
}

export function createDetector(rules: readonly DetectionRule[], settings: DetectionSettings, onHit: (hit: RuleHit) => void): Detector {
  const everyEvent: DetectionListener[] = [];
  const byResource = new Map<string, DetectionListener[]>();
  const all: DetectionListener[] = [];
  for (const rule of rules) {
    const listener = rule.create({ settings, report: (hit) => onHit({ ...hit, rule }) });
    all.push(listener);
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
  };
}
