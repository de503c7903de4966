/**
 * `audit serve --state-file`: the detection rules' memory (burst counters, open exec sessions) kept on disk, so a
 * restart — a rollout, an OOM kill, a node drain — does not forget the first half of a burst or report an exec
 * session a second time when it ends. Written atomically (a temporary file renamed over the old one), so a crash
 * mid-write leaves the previous state, never half of one.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DetectorState } from '../detect/engine.js';
import { readInputFile } from '../../loader/safe-read.js';

/** Bumped when the file's layout changes; a file of another version is not read (its rules start empty). */
export const STATE_FILE_VERSION = 1;

interface StateFile {
  readonly kind: 'KubehardenAuditServeState';
  readonly version: number;
  readonly savedAt: string;
  readonly rules: DetectorState;
}

/** The state in FILE; `undefined` when there is none yet. Anything unreadable throws, with the reason. */
export function readStateFile(file: string): DetectorState | undefined {
  let bytes: Buffer;
  try {
    bytes = readInputFile(file, 'state');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: Partial<StateFile>;
  try {
    parsed = JSON.parse(bytes.toString('utf8')) as Partial<StateFile>;
  } catch (error) {
    throw new Error(`not JSON (${(error as Error).message})`);
  }
  if (parsed?.kind !== 'KubehardenAuditServeState') throw new Error('not an audit serve state file');
  if (parsed.version !== STATE_FILE_VERSION) throw new Error(`version ${String(parsed.version)}, this kubeharden reads version ${STATE_FILE_VERSION}`);
  if (typeof parsed.rules !== 'object' || parsed.rules === null || Array.isArray(parsed.rules)) throw new Error('no rules object');
  return parsed.rules;
}

/** Replaces FILE with STATE: written beside it, flushed to disk, then renamed over it. */
export function writeStateFile(file: string, state: DetectorState, now: Date = new Date()): void {
  const content: StateFile = { kind: 'KubehardenAuditServeState', version: STATE_FILE_VERSION, savedAt: now.toISOString(), rules: state };
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(content)}\n`);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
