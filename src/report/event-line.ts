import type { EventSummary } from '../vocabulary/finding.js';
import { terminalText } from './terminal-text.js';

/** An audit event in one line: when, who (as whom), from where, what, and the answer. Every field is the log writer's text. */
export function describeEvent(event: EventSummary): string {
  return terminalText(eventText(event));
}

function eventText(event: EventSummary): string {
  const who = event.impersonatedUser ? `${event.user} as ${event.impersonatedUser}` : event.user;
  const from = event.sourceIPs.length > 0 ? ` from ${event.sourceIPs.join(', ')}` : '';
  const answer = event.responseCode !== undefined ? ` → ${event.responseCode}${event.decision ? ` (${event.decision})` : ''}` : '';
  return `${event.time}  ${who}${from}  ${event.verb} ${event.requestURI}${answer}`;
}
