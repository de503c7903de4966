/** `audit detect`: streams every log through the detection engine, keeping only the hits. */
import { AuditFindings } from '../report/report-input.js';
import type { InputError } from '../../loader/source.js';
import { readAuditEventBatches } from '../log/read-events.js';
import { createDetector } from './engine.js';
import { detectionFinding } from './finding.js';
import type { DetectionRule, DetectionSettings } from './rule.js';

export interface DetectionRun {
  readonly findings: AuditFindings;
  readonly events: number;
}

export async function detectInLogs(sources: readonly string[], rules: readonly DetectionRule[], settings: DetectionSettings, errors: InputError[]): Promise<DetectionRun> {
  const findings = new AuditFindings();
  let events = 0;
  // A detection's subject is its event: a rule fails each event at most once.
  const detector = createDetector(rules, settings, (hit) => findings.add(detectionFinding(hit), hit.logged.file, hit.logged.line));
  for (const source of sources) {
    for await (const batch of readAuditEventBatches(source, errors)) {
      events += batch.length;
      for (const logged of batch) detector.event(logged);
    }
  }
  detector.end();
  return { findings, events };
}
