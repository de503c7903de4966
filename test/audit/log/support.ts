import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggedEvent } from '../../../src/audit/event.js';
import { AuditLogParser, type ParseLogOptions } from '../../../src/audit/log/parse-log.js';
import { readAuditEvents, type ReadAuditOptions } from '../../../src/audit/log/read-events.js';
import type { InputError } from '../../../src/loader/source.js';

let scratch: string | undefined;

/** Writes `content` to a fresh temporary file (removed when the test process exits) and returns its path. */
export function tempFile(name: string, content: string | Uint8Array): string {
  if (!scratch) {
    const dir = (scratch = mkdtempSync(join(tmpdir(), 'kubeharden-audit-log-')));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

export interface ReadResult {
  readonly events: LoggedEvent[];
  readonly errors: InputError[];
}

export async function readAll(source: string, options: ReadAuditOptions = {}): Promise<ReadResult> {
  const errors: InputError[] = [];
  const events: LoggedEvent[] = [];
  for await (const logged of readAuditEvents(source, errors, options)) events.push(logged);
  return { events, errors };
}

/** Feeds `bytes` to a parser cut at `cuts` (offsets), as a stream would deliver it. */
export function parseInPieces(bytes: Buffer, cuts: readonly number[], options: ParseLogOptions = {}): ReadResult {
  const errors: InputError[] = [];
  const parser = new AuditLogParser('log', errors, options);
  const events: LoggedEvent[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    events.push(...parser.push(bytes.subarray(from, cut)));
    from = cut;
  }
  events.push(...parser.push(bytes.subarray(from)));
  events.push(...parser.finish());
  return { events, errors };
}

let counter = 0;

/** A small but complete audit event; `overrides` replace top-level fields. */
export function auditEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  return {
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: `id-${counter}`, stage: 'ResponseComplete',
    requestURI: `/api/v1/namespaces/default/pods/web-${counter}`, verb: 'get',
    user: { username: 'alice', groups: ['system:authenticated'] }, sourceIPs: ['10.0.0.1'],
    objectRef: { resource: 'pods', namespace: 'default', name: `web-${counter}`, apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 200 }, requestReceivedTimestamp: '2026-11-01T08:00:00.000000Z', stageTimestamp: '2026-11-01T08:00:00.002000Z',
    ...overrides,
  };
}

export function jsonLines(values: readonly unknown[], newline = '\n'): string {
  return values.map((value) => JSON.stringify(value) + newline).join('');
}
