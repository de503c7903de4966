/** `kubeharden rbac generate --from-audit LOG`: least-privilege roles for the requests subjects made. */
import yaml from 'js-yaml';
import type { InputError } from '../loader/source.js';
import { readAuditEventBatches } from '../audit/log/read-events.js';
import { effectiveUser, requestOfEvent, SERVICE_ACCOUNT_PREFIX, subjectMadeRequest } from '../audit/audited-request.js';
import { generateRoles, type AuditedRequest } from '../rbac/generate.js';
import { generatedObjects } from '../rbac/generated-objects.js';
import { describeSubject, type RbacSubject } from '../rbac/model.js';
import { inputErrorText, terminalText } from '../report/terminal-text.js';
import { UsageError } from './usage-error.js';
import { writeOutput } from './output-file.js';

export interface GenerateCommandOptions {
  fromAudit?: string;
  subject: string[];
  output?: string;
  expandVerbs?: boolean;
  expandNamespaces?: boolean;
}

/** Names kept for the "who is in the log" message: enough to help, bounded on a log of millions of users. */
const MAX_USERS_KEPT = 1000;
const USERS_SHOWN = 10;

/** `user:alice`, `group:devs`, `sa:ns1:sa1` (or `serviceaccount:`); `user:system:serviceaccount:NS:NAME` is that service account. */
export function parseSubjectArgument(text: string): RbacSubject {
  const colon = text.indexOf(':');
  const kind = colon === -1 ? '' : text.slice(0, colon).toLowerCase();
  const rest = colon === -1 ? '' : text.slice(colon + 1);
  if (rest === '' || !['user', 'group', 'sa', 'serviceaccount'].includes(kind)) {
    throw new UsageError(`--subject must be user:NAME, group:NAME or sa:NAMESPACE:NAME, not "${text}"`);
  }
  if (kind === 'group') return { kind: 'Group', name: rest, namespace: null };
  const account = kind === 'user' ? (rest.startsWith(SERVICE_ACCOUNT_PREFIX) ? rest.slice(SERVICE_ACCOUNT_PREFIX.length) : undefined) : rest;
  if (account === undefined) return { kind: 'User', name: rest, namespace: null };
  const parts = account.split(':');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') throw new UsageError(`a service account is sa:NAMESPACE:NAME, not "${text}"`);
  return { kind: 'ServiceAccount', namespace: parts[0] as string, name: parts[1] as string };
}

export async function runRbacGenerate(options: GenerateCommandOptions): Promise<number> {
  if (options.fromAudit === undefined) throw new UsageError('give the audit log to learn from: kubeharden rbac generate --from-audit audit.log --subject user:alice');
  const log = options.fromAudit;
  const subjects = options.subject.map(parseSubjectArgument);
  const errors: InputError[] = [];
  // Without --subject, the log's only user: its requests are gathered while checking that it is the only one.
  const onlyUser = subjects.length === 0;
  const requests = (onlyUser ? [undefined] : subjects).map(() => new Map<string, AuditedRequest>());
  const users = new Set<string>();
  let firstUser: string | undefined;
  for await (const batch of readAuditEventBatches(log, errors)) {
    for (const { event } of batch) {
      const username = effectiveUser(event)?.username;
      if (username !== undefined && users.size < MAX_USERS_KEPT) users.add(username);
      firstUser ??= username;
      const request = requestOfEvent(event);
      if (request === undefined) continue;
      // Keyed, so a log of millions of repeated requests holds each distinct one once.
      const key = JSON.stringify(request);
      if (onlyUser && username === firstUser) requests[0]?.set(key, request);
      subjects.forEach((subject, index) => {
        if (subjectMadeRequest(subject, event)) requests[index]?.set(key, request);
      });
    }
  }
  for (const error of errors) process.stderr.write(`kubeharden: ${terminalText(inputErrorText(error))}\n`);
  if (errors.some((error) => error.line === null)) throw new UsageError(`cannot read the audit log ${log}`);
  const usersText = () => {
    const shown = [...users].sort().slice(0, USERS_SHOWN);
    return shown.length === 0 ? 'it holds no requests' : `users in the log: ${shown.join(', ')}${users.size > USERS_SHOWN ? ', ...' : ''}`;
  };
  if (onlyUser) {
    if (users.size !== 1) throw new UsageError(`give --subject (user:NAME, group:NAME or sa:NAMESPACE:NAME): ${usersText()}`);
    subjects.push(parseSubjectArgument(`user:${firstUser as string}`));
  }
  const generateOptions = { expandVerbs: options.expandVerbs === true, expandNamespaces: options.expandNamespaces === true };
  const documents: string[] = [];
  subjects.forEach((subject, index) => {
    const made = requests[index] as Map<string, AuditedRequest>;
    if (made.size === 0) throw new UsageError(`${describeSubject(subject)} made no request in ${log}; ${usersText()}`);
    const objects = generatedObjects(subject, generateRoles(made.values(), generateOptions), log === '-' ? 'stdin' : log);
    // Not an error: the subject's requests are all allowed to every authenticated user (discovery, /version...).
    if (objects.length === 0) process.stderr.write(`kubeharden: ${terminalText(describeSubject(subject))} needs no role: every authenticated user may make its ${made.size} request(s)\n`);
    for (const object of objects) documents.push(yaml.dump(object, { lineWidth: -1, noRefs: true }));
  });
  const text = documents.length === 0 ? '' : `${documents.join('---\n')}`;
  writeOutput(options.output, text);
  return errors.length > 0 ? 2 : 0;
}
