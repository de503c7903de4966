/**
 * One finding per streaming session (exec, attach, port-forward). kube-apiserver writes a session up to three
 * times: RequestReceived, ResponseStarted when the connection upgrades (Falco's choice) and ResponseComplete when it
 * ends (Elastic's). A session is reported at ResponseStarted and its ResponseComplete skipped; the ResponseComplete
 * is reported only when no ResponseStarted was seen (the policy omits that stage, or the attempt was refused and
 * never upgraded). Also the reading of exec command lines, shared by the exec rules so that one exec lands in
 * exactly one of them.
 */
import type { AuditEvent, LoggedEvent } from '../../event.js';
import type { DetectionListener } from '../rule.js';

/**
 * Sessions reported at ResponseStarted whose ResponseComplete has not been seen yet. A policy that omits
 * ResponseComplete, or a log cut short, would let the set grow forever; past this many the oldest are forgotten
 * (at worst a session outliving ten thousand newer ones is reported again when it ends).
 */
const MAX_OPEN_SESSIONS = 10_000;

/** Calls `onSession` once per session, with the event to report it on. */
export function sessionListener(onSession: (logged: LoggedEvent, event: AuditEvent) => void): DetectionListener {
  const open = new Set<string>();
  return {
    event(logged) {
      const { event } = logged;
      const stage = event.stage;
      if (stage !== 'ResponseStarted' && stage !== 'ResponseComplete') return;
      // create over SPDY; get when kubectl (1.30+) upgrades to a WebSocket.
      if (event.verb !== 'create' && event.verb !== 'get') return;
      const id = event.auditID ?? '';
      if (stage === 'ResponseComplete') {
        if (open.delete(id)) return;
      } else if (id !== '') {
        open.add(id);
        if (open.size > MAX_OPEN_SESSIONS) open.delete(open.values().next().value as string);
      }
      onSession(logged, event);
    },
    // The sessions still open, oldest first: after a restart their ResponseComplete is not reported a second time.
    saveState: () => [...open],
    restoreState(saved) {
      if (!Array.isArray(saved) || !saved.every((id) => typeof id === 'string')) throw new Error('not a list of audit IDs');
      open.clear();
      for (const id of (saved as string[]).slice(-MAX_OPEN_SESSIONS)) open.add(id);
    },
  };
}

/** `what=x&command=sh&command=-c&command=id` → `sh -c id`. */
export function execCommand(uri: string | undefined): string {
  const query = uri === undefined ? -1 : uri.indexOf('?');
  if (query === -1) return '';
  return new URLSearchParams((uri as string).slice(query + 1)).getAll('command').join(' ');
}

/** What each kind of command is after, and how to recognise it in the command line. */
const SUSPICIOUS: readonly { readonly what: string; readonly pattern: RegExp }[] = [
  { what: 'the cloud metadata service', pattern: /169\.254\.169\.254|169\.254\.170\.2|fd00:ec2::254|metadata\.google\.internal|\/computeMetadata\/|\/latest\/(meta-data|user-data|api\/token)/i },
  {
    what: 'credential files',
    pattern: /\/run\/secrets\/kubernetes\.io|\/run\/secrets\/eks\.amazonaws\.com|\/etc\/kubernetes\/|\/var\/lib\/kubelet\/|\/etc\/shadow|\/\.ssh\/|\/\.kube\/config|\/\.aws\/credentials|\/\.docker\/config\.json|\/proc\/[0-9a-z]+\/environ/i,
  },
  { what: 'a reverse shell', pattern: /\/dev\/(tcp|udp)\/|\bn(c|cat)\b.*\s-[a-z]*e\b|\bmkfifo\b|\bsocat\b.*\bexec:|\b(bash|sh)\s+-i\b/i },
  { what: 'a download', pattern: /\b(curl|wget)\b.*\bhttps?:\/\//i },
];

/** What a command line reaches for, in words; empty for commands that look like ordinary work. */
export function suspiciousPurposes(command: string): string[] {
  if (command === '') return [];
  return SUSPICIOUS.filter(({ pattern }) => pattern.test(command)).map(({ what }) => what);
}
