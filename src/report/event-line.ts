import type { EventSummary } from '../engine/finding.js';

/** An audit event in one line: when, who (as whom), from where, what, and the answer. */
export function describeEvent(event: EventSummary): string {
  const who = event.impersonatedUser ? `${event.user} as ${event.impersonatedUser}` : event.user;
  const from = event.sourceIPs.length > 0 ? ` from ${event.sourceIPs.join(', ')}` : '';
  const answer = event.responseCode !== undefined ? ` → ${event.responseCode}${event.decision ? ` (${event.decision})` : ''}` : '';
  return `${event.time}  ${who}${from}  ${event.verb} ${event.requestURI}${answer}`;
}
