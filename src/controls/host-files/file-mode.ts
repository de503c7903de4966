/** Mode and owner checks for host files: one finding per file whose permissions or owner are looser than a rule allows. */
import type { ComponentConfig, ComponentNotAssessed, ComponentViolation, HostFile, HostFileRole } from '../../components/component-config.js';
import { joinWords } from '../../util/words.js';

export interface FileRule {
  readonly role: HostFileRole;
  /** What the file is, as a finding names it: `the private key`, `the etcd data directory`. */
  readonly what: string;
  /** The loosest mode allowed (`0o600`); undefined: the mode is not checked. */
  readonly maxMode?: number;
  /** The file must belong to root:root (uid 0, gid 0). */
  readonly rootOwned: boolean;
  readonly directory?: boolean;
}

/** `0644`: permission and special bits, without the file type. */
export function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

export function checkFiles(component: ComponentConfig, rules: readonly FileRule[]): (ComponentViolation | ComponentNotAssessed)[] {
  // A host without any file of these kinds (a worker has no PKI folder) gives nothing to judge: not a pass.
  if (!(component.files ?? []).some((file) => rules.some((rule) => rule.role === file.role))) {
    return [{ notAssessed: `no ${rules.map((rule) => rule.what).join(' or ')} on this host` }];
  }
  const violations: ComponentViolation[] = [];
  for (const file of component.files ?? []) {
    const rule = rules.find((candidate) => candidate.role === file.role);
    const message = rule ? fileProblems(file, rule) : undefined;
    if (message) violations.push({ at: { file: file.path }, message });
  }
  return violations;
}

function fileProblems(file: HostFile, rule: FileRule): string | undefined {
  const problems: string[] = [];
  if (rule.maxMode !== undefined) {
    const extra = file.mode & 0o7777 & ~rule.maxMode;
    if (extra !== 0) problems.push(`mode ${octal(file.mode)} ${grants(extra, rule)}; want ${octal(rule.maxMode)} or stricter`);
  }
  if (rule.rootOwned && (file.uid !== 0 || file.gid !== 0)) problems.push(`owner ${file.uid}:${file.gid}; want root:root (0:0)`);
  return problems.length > 0 ? problems.join('; ') : undefined;
}

const CLASSES = [
  { name: 'the owner', shift: 6 },
  { name: 'group', shift: 3 },
  { name: 'others', shift: 0 },
] as const;

/** `lets group and others read the private key`, `sets setuid on …`: what the extra bits allow. */
function grants(extra: number, rule: FileRule): string {
  const verbs = rule.directory ? ['list', 'write to', 'enter'] : ['read', 'write', 'execute'];
  const byAccess = new Map<string, string[]>();
  for (const { name, shift } of CLASSES) {
    const bits = (extra >> shift) & 0o7;
    const access = verbs.filter((_, index) => bits & (0o4 >> index));
    if (access.length === 0) continue;
    const key = joinWords(access);
    byAccess.set(key, [...(byAccess.get(key) ?? []), name]);
  }
  const phrases = [...byAccess].map(([access, who]) => `${joinWords(who)} ${access}`);
  const special = [
    [0o4000, 'setuid'],
    [0o2000, 'setgid'],
    [0o1000, 'the sticky bit'],
  ].filter(([bit]) => extra & (bit as number)).map(([, name]) => name as string);
  const parts: string[] = [];
  if (phrases.length > 0) parts.push(`lets ${phrases.join(', and ')} ${rule.what}`);
  if (special.length > 0) parts.push(`sets ${joinWords(special)} on ${rule.what}`);
  return parts.join(' and ');
}
