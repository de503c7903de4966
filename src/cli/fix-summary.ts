import type { FixOutcome, OutcomeStatus } from '../fix/fix-inputs.js';
import { terminalText } from '../report/terminal-text.js';

// The summary `fix` writes to stderr, for files and live clusters alike.

const STATUS_ORDER: readonly OutcomeStatus[] = ['fixed', 'review', 'manual', 'open'];
const STATUS_LABEL: Readonly<Record<OutcomeStatus, string>> = { fixed: 'fixed', review: 'left for review', manual: 'manual', open: 'open' };

/** Every finding with what became of it: nothing is skipped silently. */
export function summaryText(outcomes: readonly FixOutcome[]): string {
  const lines: string[] = [];
  for (const status of STATUS_ORDER) {
    for (const { finding, reason, risk } of outcomes.filter((outcome) => outcome.status === status)) {
      const { resource, location } = finding;
      const name = `${resource.kind}/${resource.namespace ? `${resource.namespace}/` : ''}${resource.name ?? '?'}`;
      const label = status === 'fixed' && risk ? `fixed (${risk})` : STATUS_LABEL[status];
      lines.push(terminalText(`${label}: ${finding.controlId} ${name} ${location.file}:${location.line} ${finding.field}: ${status === 'fixed' ? finding.message : reason}`));
    }
  }
  const count = (status: OutcomeStatus) => outcomes.filter((outcome) => outcome.status === status).length;
  lines.push(`${outcomes.length} findings: ${count('fixed')} fixed, ${count('review')} left for review, ${count('manual')} manual, ${count('open')} open`);
  return `${lines.join('\n')}\n`;
}
