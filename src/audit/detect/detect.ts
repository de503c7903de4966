/** `audit detect`: streams every log through the detection engine, keeping only the hits. */
import type { Finding } from '../../engine/finding.js';
import type { InputError } from '../../loader/source.js';
import { readAuditEventBatches } from '../log/read-events.js';
import { createDetector } from './engine.js';
import { detectionFinding } from './finding.js';
import type { DetectionRule, DetectionSettings } from './rule.js';

export interface DetectionRun {
  readonly findings: Finding[];
  readonly events: number;
}

export async function detectInLogs(sources: readonly string[], rules: readonly DetectionRule[], settings: DetectionSettings, errors: InputError[]): Promise<DetectionRun> {
  const findings: Finding[] = [];
  let events = 0;
  const detector = createDetector(rules, settings, (hit) => findings.push(detectionFinding(hit)));
  for (const source of sources) {
    for await (const batch of readAuditEventBatches(source, errors)) {
      events += batch.length;
      for (const logged of batch) detector.event(logged);
    }
  }
  detector.end();
  return { findings, events };
}
