import { formatVersion } from '../../kube/version.js';
import { inputErrorLocation, type InputError } from '../../loader/source.js';
import { cell, code } from '../../report/markdown.js';
import type { NotAssessed } from '../../report/report.js';
import { inputErrorText, terminalText } from '../../report/terminal-text.js';
import { writeYaml } from '../../report/yaml-writer.js';
import { alignColumns } from '../../util/columns.js';
import { LABEL_PREFIX, versionLabel } from './levels.js';
import { planCounts, type NamespacePlan, type PsaPlan, type WorkloadRef } from './plan.js';
import type { LevelViolation } from './workload-level.js';

export const PLAN_FORMATS = ['table', 'json', 'markdown', 'yaml', 'kubectl'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/** What the plan was made from, and what could not be read. */
export interface PlanReport {
  readonly plan: PsaPlan;
  readonly source: 'manifests' | 'cluster';
  readonly errors: readonly InputError[];
  readonly notAssessed: readonly NotAssessed[];
}

/**
 * 2 when some input could not be read (the plan may miss workloads), 1 when a namespace's current enforce label is
 * stronger than its workloads pass (they are, or at the target version will be, rejected), else 0.
 */
export function planExitCode(report: PlanReport): number {
  if (report.errors.length > 0 || report.notAssessed.length > 0) return 2;
  return report.plan.namespaces.some((namespace) => namespace.status === 'stronger') ? 1 : 0;
}

export function renderPlan(report: PlanReport, format: PlanFormat): string {
  switch (format) {
    case 'table':
      return planTable(report);
    case 'json':
      return `${JSON.stringify(planJson(report), null, 2)}\n`;
    case 'markdown':
      return planMarkdown(report);
    case 'yaml':
      return planYaml(report.plan);
    case 'kubectl':
      return planKubectl(report.plan);
  }
}

/** `enforce=baseline warn=restricted audit=restricted` (the versions, all the same, are named once beside). */
function levelsText(labels: Readonly<Record<string, string>>): string {
  return ['enforce', 'warn', 'audit'].flatMap((mode) => (labels[`${LABEL_PREFIX}${mode}`] === undefined ? [] : [`${mode}=${labels[`${LABEL_PREFIX}${mode}`]}`])).join(' ');
}

function currentText(namespace: NamespacePlan): string {
  if (!namespace.namespaceObject) return '(no Namespace object)';
  const enforce = namespace.current[`${LABEL_PREFIX}enforce`];
  if (enforce === undefined) return '-';
  const version = namespace.current[`${LABEL_PREFIX}enforce-version`];
  // PSA writes a level and version so (LevelVersion.String()).
  return `${enforce}:${version ?? 'latest'}`;
}

function where(workload: WorkloadRef, violation?: LevelViolation): string {
  return violation !== undefined && violation.line > 0 ? `${workload.file}:${violation.line}:${violation.column}` : workload.file;
}

function summaryLine(plan: PsaPlan): string {
  const { passes, status } = planCounts(plan);
  const count = plan.namespaces.length;
  return (
    `${count} ${count === 1 ? 'namespace passes' : 'namespaces pass'}: ${passes.restricted} restricted, ${passes.baseline} baseline, ${passes.privileged} privileged; ` +
    `current enforce labels: ${status.missing} missing, ${status.weaker} weaker, ${status.stronger} stronger than passes, ${status.matches} matching.`
  );
}

function verdictLine(report: PlanReport): string {
  const code = planExitCode(report);
  if (code === 2) return 'Result: INCOMPLETE: some input could not be read, so the plan may miss workloads; exit code 2.';
  const stronger = report.plan.namespaces.filter((namespace) => namespace.status === 'stronger').map((namespace) => namespace.name);
  if (code === 1) return `Result: ${stronger.length} namespace${stronger.length === 1 ? '' : 's'} enforce${stronger.length === 1 ? 's' : ''} more than ${stronger.length === 1 ? 'its' : 'their'} workloads pass (${stronger.join(', ')}); exit code 1.`;
  return 'Result: no current enforce label is stronger than its workloads pass; exit code 0.';
}

function planTable(report: PlanReport): string {
  const { plan } = report;
  const lines = [`Pod Security rollout plan for Kubernetes ${formatVersion(plan.version)} (every *-version label: ${versionLabel(plan.version)})`, ''];
  const rows = [['NAMESPACE', 'WORKLOADS', 'PASSES', 'CURRENT', 'STATUS', 'SET']];
  for (const namespace of plan.namespaces) {
    rows.push([namespace.name, String(namespace.workloads.length), namespace.passes, currentText(namespace), namespace.status, levelsText(namespace.labels)]);
  }
  lines.push(...alignColumns(rows));
  const blocked = plan.namespaces.filter((namespace) => namespace.blocking.length > 0);
  if (blocked.length > 0) {
    lines.push('', 'What blocks the next level:');
    for (const namespace of blocked) {
      lines.push(`  ${terminalText(namespace.name)}: ${namespace.blocking.length} of ${namespace.workloads.length} workload${namespace.workloads.length === 1 ? '' : 's'} fail ${namespace.next ?? ''}`);
      for (const workload of namespace.blocking) {
        lines.push(`    ${terminalText(`${workload.kind} ${workload.name}`)}  ${terminalText(where(workload, workload.violations[0]))}`);
        lines.push(...alignColumns(workload.violations.map((violation) => [violation.controlId, `(${violation.check})`, violation.field]), '      '));
      }
    }
  }
  const rejecting = plan.namespaces.filter((namespace) => namespace.rejectedByCurrent.length > 0);
  if (rejecting.length > 0) {
    lines.push('', 'Rejected by the current enforce label:');
    for (const namespace of rejecting) {
      lines.push(`  ${terminalText(namespace.name)} (${terminalText(currentText(namespace))}): ${terminalText(namespace.rejectedByCurrent.map((workload) => `${workload.kind} ${workload.name}`).join(', '))}`);
    }
  }
  const invalid = plan.namespaces.filter((namespace) => namespace.invalidLabels.length > 0);
  for (const namespace of invalid) lines.push('', `${terminalText(namespace.name)}: Pod Security cannot read ${terminalText(namespace.invalidLabels.join(', '))}: it enforces restricted (a bad level) or the latest version (a bad version)`);
  lines.push('', summaryLine(plan));
  for (const error of report.errors) lines.push(`error: ${inputErrorText(error)}`);
  for (const item of report.notAssessed) lines.push(`not read: ${terminalText(`${item.what}: ${item.reason}`)}`);
  lines.push(verdictLine(report));
  return `${lines.join('\n')}\n`;
}

function planJson(report: PlanReport): unknown {
  const { plan } = report;
  const counts = planCounts(plan);
  return {
    kubernetesVersion: formatVersion(plan.version),
    versionLabel: versionLabel(plan.version),
    source: report.source,
    namespaces: plan.namespaces,
    summary: { namespaces: plan.namespaces.length, passes: counts.passes, status: counts.status },
    errors: report.errors.map((error) => ({ location: inputErrorLocation(error), message: error.message })),
    notAssessed: report.notAssessed,
    exitCode: planExitCode(report),
  };
}

function planMarkdown(report: PlanReport): string {
  const { plan } = report;
  const lines = [
    `## Pod Security rollout plan for Kubernetes ${formatVersion(plan.version)}`,
    '',
    `Every \`*-version\` label: \`${versionLabel(plan.version)}\`.`,
    '',
    '| namespace | workloads | passes | current enforce | status | labels to set |',
    '|---|---|---|---|---|---|',
    ...plan.namespaces.map((namespace) => `| ${cell(namespace.name)} | ${namespace.workloads.length} | ${namespace.passes} | ${cell(currentText(namespace))} | ${namespace.status} | ${code(levelsText(namespace.labels))} |`),
  ];
  for (const namespace of plan.namespaces.filter((entry) => entry.blocking.length > 0)) {
    lines.push('', `### ${cell(namespace.name)}: what fails ${namespace.next ?? ''}`, '', '| workload | control | check | field | message |', '|---|---|---|---|---|');
    for (const workload of namespace.blocking) {
      for (const violation of workload.violations) {
        lines.push(`| ${cell(`${workload.kind} ${workload.name}`)} ${code(where(workload, violation))} | ${cell(violation.controlId)} | ${cell(violation.check)} | ${code(violation.field)} | ${cell(violation.message)} |`);
      }
    }
  }
  const rejecting = plan.namespaces.filter((namespace) => namespace.rejectedByCurrent.length > 0);
  if (rejecting.length > 0) {
    lines.push('', '### Rejected by the current enforce label', '');
    for (const namespace of rejecting) lines.push(`- ${cell(namespace.name)} (${cell(currentText(namespace))}): ${cell(namespace.rejectedByCurrent.map((workload) => `${workload.kind} ${workload.name}`).join(', '))}`);
  }
  lines.push('', summaryLine(plan));
  for (const error of report.errors) lines.push('', `- error: ${code(inputErrorLocation(error))} ${cell(error.message)}`);
  for (const item of report.notAssessed) lines.push('', `- not read: ${cell(item.what)}: ${cell(item.reason)}`);
  lines.push('', verdictLine(report));
  return `${lines.join('\n')}\n`;
}

/** One Namespace object per namespace, carrying only the labels to set: `kubectl apply -f` merges them in. */
function planYaml(plan: PsaPlan): string {
  return plan.namespaces
    .map((namespace) => {
      const comment = `# ${namespace.name}: ${namespace.workloads.length} workload${namespace.workloads.length === 1 ? ' passes' : 's pass'} ${namespace.passes} at Kubernetes ${formatVersion(plan.version)}; current labels: ${namespace.status}`;
      return `---\n${terminalText(comment)}\n${writeYaml({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace.name, labels: namespace.labels } })}`;
    })
    .join('');
}

/** What a namespace name must be (RFC 1123 label): also one shell word that needs no quoting. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** One `kubectl label --overwrite` per namespace that needs a change. */
function planKubectl(plan: PsaPlan): string {
  const lines: string[] = [];
  for (const namespace of plan.namespaces) {
    const changes = Object.entries(namespace.changes);
    if (changes.length === 0) {
      lines.push(`# ${terminalText(namespace.name)}: labels already as planned (${namespace.passes})`);
      continue;
    }
    if (!DNS_LABEL.test(namespace.name)) {
      // The API server would refuse the name; printed as a command it could also act on the terminal or the shell.
      lines.push(`# ${terminalText(JSON.stringify(namespace.name))} is not a valid namespace name (an RFC 1123 label): no command`);
      continue;
    }
    lines.push(`# ${namespace.name}: passes ${namespace.passes}; current labels: ${namespace.status}`);
    lines.push(['kubectl', 'label', '--overwrite', 'namespace', namespace.name, ...changes.map(([key, value]) => `${key}=${value}`)].join(' '));
  }
  return `${lines.join('\n')}\n`;
}
