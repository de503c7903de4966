/**
 * `scan --diff-base REF`: the same scan of the tree at REF, read with `git archive` into a temporary folder (the
 * working tree and the index are never touched), its findings' fingerprints as the baseline of this scan. The
 * base findings' files are mapped back to their working-tree paths first, so a finding that stayed put has the
 * same fingerprint on both sides; what REF had and the working tree has not is listed as fixed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { fingerprint, portablePath } from '../exceptions/fingerprint.js';
import type { FixedFinding, BaselineInput } from '../report/report.js';
import { collectScanInputs } from '../render/collect.js';
import type { InputError } from '../loader/source.js';
import { scanInputs, type ScanResult } from '../scan/scan.js';

/** What the base scan repeats of the working tree's: flags, version, selection. */
export interface DiffSession {
  readonly options: ScanCommandOptions;
  readonly version: KubeVersion;
  readonly scanOptions: ScanOptions;
}
import type { Finding } from '../vocabulary/finding.js';
import { collectOptionsFrom } from './collect-options.js';
import type { KubeVersion } from '../kube/version.js';
import type { ScanOptions } from '../scan/scan.js';
import type { ScanCommandOptions } from './scan-options.js';
import { UsageError } from './usage-error.js';

function git(args: readonly string[], cwd: string): { ok: boolean; stdout: string; stderr: string } {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 16 << 20 });
  if (result.error) throw new UsageError(`--diff-base needs git: ${result.error.message}`);
  return { ok: result.status === 0, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

/** `git archive REF` unpacked into `into` (by tar, streamed: nothing held in memory). */
function extractTree(top: string, ref: string, into: string, flag: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const archive = spawn('git', ['archive', '--format=tar', ref], { cwd: top, stdio: ['ignore', 'pipe', 'pipe'] });
    const tar = spawn('tar', ['-x', '-f', '-', '-C', into], { stdio: ['pipe', 'ignore', 'pipe'] });
    archive.stdout.pipe(tar.stdin);
    let problem = '';
    archive.stderr.on('data', (chunk: Buffer) => (problem += chunk.toString()));
    tar.stderr.on('data', (chunk: Buffer) => (problem += chunk.toString()));
    archive.on('error', reject);
    tar.on('error', reject);
    // Decide only when both have exited: tar may close before git does (seen under load), and a verdict taken
    // then would read git's exit code before it exists.
    const exits: { archive?: number | null; tar?: number | null } = {};
    const settle = (): void => {
      if (!('archive' in exits) || !('tar' in exits)) return;
      if (exits.archive === 0 && exits.tar === 0) resolvePromise();
      else {
        const failed = exits.archive !== 0 ? `git archive exit ${exits.archive}` : `tar exit ${exits.tar}`;
        reject(new UsageError(`${flag}: cannot read ${ref} with git archive: ${problem.trim() || failed}`));
      }
    };
    archive.on('close', (code) => {
      exits.archive = code;
      settle();
    });
    tar.on('close', (code) => {
      exits.tar = code;
      settle();
    });
  });
}

/**
 * Runs `use` with the tree of `ref` unpacked in a temporary folder, given a function mapping a path of the working
 * tree (relative to `cwd`) to the same path in that folder, and one mapping back; removes the folder after.
 */
export async function withTreeAt<T>(flag: string, ref: string, cwd: string, use: (tree: { toBase(path: string): string; toWorking(path: string): string; root: string; folder: string }) => Promise<T>): Promise<T> {
  const top = git(['rev-parse', '--show-toplevel'], cwd);
  if (!top.ok) throw new UsageError(`${flag} needs a git repository: ${top.stderr || 'git rev-parse failed'}`);
  const root = resolve(top.stdout);
  const verified = git(['rev-parse', '--verify', '--quiet', `${ref}^{tree}`], root);
  if (!verified.ok) throw new UsageError(`${flag}: ${ref} is not a commit of this repository`);
  const folder = mkdtempSync(join(tmpdir(), 'kubeharden-diff-base-'));
  try {
    await extractTree(root, verified.stdout, folder, flag);
    return await use({
      root,
      folder,
      toBase: (path) => join(folder, relative(root, resolve(cwd, path))),
      toWorking: (path) => {
        const absolute = resolve(cwd, path);
        return absolute.startsWith(folder + sep) ? portablePath(join(root, relative(folder, absolute))) : path;
      },
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The findings of the working tree's scan, as the fingerprints the report compares. */
export function fingerprintsOf(result: ScanResult): Set<string> {
  const prints = new Set<string>();
  for (const finding of result.store.all()) if (!finding.suppression) prints.add(finding.fingerprint);
  return prints;
}

/**
 * Scans the same paths in the tree at `ref` and returns the baseline of this scan: the base's fingerprints, and
 * the base findings the working tree no longer has (`current`).
 */
export async function diffBaseline(ref: string, paths: readonly string[], session: DiffSession, current: ReadonlySet<string>, cwd: string = process.cwd()): Promise<BaselineInput> {
  if (paths.includes('-')) throw new UsageError('--diff-base compares files in a git repository: standard input (-) has no earlier version');
  if (!existsSync(cwd)) throw new UsageError(`--diff-base: ${cwd} does not exist`);
  return withTreeAt('--diff-base', ref, cwd, async ({ toBase, toWorking }) => {
    const options = session.options;
    // The base is scanned as the working tree is: same flags, exclusions at the same places, values files as they
    // were at REF when they are in the repository.
    const baseOptions = {
      ...options,
      ...(options.values ? { values: options.values.map((file) => (existsSync(toBase(file)) ? toBase(file) : file)) } : {}),
      ...(options.configExclude ? { configExclude: { base: toBase(options.configExclude.base), patterns: options.configExclude.patterns } } : {}),
    };
    const basePaths = paths.map(toBase).filter((path) => existsSync(path));
    const errors: InputError[] = [];
    const inputs = await collectScanInputs(basePaths, errors, collectOptionsFrom(baseOptions, session.version, toBase(cwd)));
    const result = await scanInputs(inputs, errors, session.scanOptions);
    if (errors.length > 0) process.stderr.write(`kubeharden: warning: ${errors.length} input(s) of ${ref} could not be read; their findings count as introduced\n`);
    const fingerprints = new Set<string>();
    const fixedFindings: FixedFinding[] = [];
    for (const finding of result.store.all()) {
      if (finding.suppression) continue;
      const moved: Finding = { ...finding, location: { ...finding.location, file: toWorking(finding.location.file) } };
      const print = fingerprint(moved);
      if (fingerprints.has(print)) continue;
      fingerprints.add(print);
      if (current.has(print)) continue;
      const { kind, namespace, name } = finding.resource;
      fixedFindings.push({
        controlId: finding.controlId,
        severity: finding.severity,
        resource: `${kind}/${namespace ? `${namespace}/` : ''}${name ?? ''}`,
        location: `${moved.location.file}:${moved.location.line}`,
        message: finding.message,
      });
    }
    result.store.close();
    return { file: `git ${ref}`, ref, fingerprints, fixedFindings };
  });
}
