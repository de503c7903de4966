/** What `audit serve` counts, and the Prometheus text exposition of it for `/metrics`. */

export type BatchRefusal = 'invalid' | 'queue_full' | 'too_large';

export class ServeMetrics {
  batchesAccepted = 0;
  eventsReceived = 0;
  /** Items of accepted batches that were not audit events of the expected shape: skipped, never retried. */
  eventsInvalid = 0;
  /** Events of batches answered 429: the API server's batch backend sends them again, so they are counted, not lost. */
  eventsRefused = 0;
  eventsProcessed = 0;
  readonly batchesRefused: Record<BatchRefusal, number> = { invalid: 0, queue_full: 0, too_large: 0 };
  readonly findingsByRule = new Map<string, number>();
  /** With --state-file: saves of the rules' memory, and those that failed (each also reported on stderr). */
  stateSaves?: { ok: number; failed: number };

  constructor(ruleIds: readonly string[]) {
    // Every rule from the start, so a dashboard sees a 0 rather than no series.
    for (const id of ruleIds) this.findingsByRule.set(id, 0);
  }

  finding(ruleId: string): void {
    this.findingsByRule.set(ruleId, (this.findingsByRule.get(ruleId) ?? 0) + 1);
  }

  /** `undelivered`: findings an HTTP output gave up on (absent for stdout and files). */
  render(queueDepth: number, queueCapacity: number, undelivered?: number): string {
    const lines: string[] = [];
    const metric = (name: string, type: 'counter' | 'gauge', help: string, samples: readonly (readonly [string, number])[]): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    metric('kubeharden_audit_batches_accepted_total', 'counter', 'EventList batches accepted.', [['', this.batchesAccepted]]);
    metric('kubeharden_audit_batches_refused_total', 'counter', 'Batches refused: invalid (400), queue_full (429, retried by the API server), too_large (413).',
      Object.entries(this.batchesRefused).map(([reason, count]) => [`{reason="${reason}"}`, count]));
    metric('kubeharden_audit_events_received_total', 'counter', 'Audit events accepted into the queue.', [['', this.eventsReceived]]);
    metric('kubeharden_audit_events_invalid_total', 'counter', 'Items of accepted batches skipped as not audit events of the expected shape.', [['', this.eventsInvalid]]);
    metric('kubeharden_audit_events_refused_total', 'counter', 'Events in batches answered 429 because the queue was full (the API server retries them).', [['', this.eventsRefused]]);
    metric('kubeharden_audit_events_processed_total', 'counter', 'Audit events run through the detection rules.', [['', this.eventsProcessed]]);
    metric('kubeharden_audit_findings_total', 'counter', 'Detections, by rule.', [...this.findingsByRule].map(([rule, count]) => [`{rule="${rule}"}`, count]));
    if (undelivered !== undefined) metric('kubeharden_audit_findings_undelivered_total', 'counter', 'Findings the HTTP endpoint did not take after every retry (each also reported on stderr).', [['', undelivered]]);
    if (this.stateSaves) metric('kubeharden_audit_state_saves_total', 'counter', "Saves of the detection rules' memory to --state-file, by result.", [['{result="ok"}', this.stateSaves.ok], ['{result="failed"}', this.stateSaves.failed]]);
    metric('kubeharden_audit_queue_depth', 'gauge', 'Events accepted and not yet run through the rules.', [['', queueDepth]]);
    metric('kubeharden_audit_queue_capacity', 'gauge', 'Events the queue holds before batches are answered 429.', [['', queueCapacity]]);
    return `${lines.join('\n')}\n`;
  }
}
