/**
 * `netpol diff` reports: a terminal table, JSON, a pull-request Markdown summary, and SARIF (one result per pair
 * whose connections the change opens or closes, so code scanning shows them on the pull request).
 */
import { terminalText } from '../report/terminal-text.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { ConnectivityChange } from './diff.js';

export interface DiffReport {
  /** What was compared: `main` (a git revision) or `OLD → NEW` folders. */
  readonly base: string;
  readonly head: string;
  readonly changes: readonly ConnectivityChange[];
}

function counts(changes: readonly ConnectivityChange[]): Record<'added' | 'removed' | 'changed', number> {
  return { added: changes.filter((c) => c.kind === 'added').length, removed: changes.filter((c) => c.kind === 'removed').length, changed: changes.filter((c) => c.kind === 'changed').length };
}

/** What the change opens and closes on a row: the connections after but not before, and the other way round. */
export function openedClosed(change: ConnectivityChange): { opened: string; closed: string } {
  const opened = change.after.subtract(change.before);
  const closed = change.before.subtract(change.after);
  return { opened: opened.isEmpty() ? '' : opened.toString(), closed: closed.isEmpty() ? '' : closed.toString() };
}

export function renderDiffTable(report: DiffReport): string {
  const { added, removed, changed } = counts(report.changes);
  const lines = [`Connectivity from ${report.base} to ${report.head}: ${added} added, ${removed} removed, ${changed} changed.`];
  for (const change of report.changes) {
    const { opened, closed } = openedClosed(change);
    const what = [opened ? `opens ${opened}` : '', closed ? `closes ${closed}` : ''].filter(Boolean).join('; ');
    lines.push(terminalText(`${change.kind.toUpperCase().padEnd(8)}${change.source} => ${change.destination}  ${what}  (was: ${change.before}; now: ${change.after})${change.workloads ? ` [${change.workloads}]` : ''}`));
  }
  return `${lines.join('\n')}\n`;
}

export function renderDiffJson(report: DiffReport, errors: readonly unknown[]): string {
  const changes = report.changes.map((change) => ({
    type: change.kind,
    source: change.source,
    destination: change.destination,
    before: change.before.toString(),
    after: change.after.toString(),
    ...openedClosed(change),
    ...(change.workloads ? { workloads: change.workloads } : {}),
  }));
  return `${JSON.stringify({ base: report.base, head: report.head, summary: counts(report.changes), changes, errors }, null, 2)}\n`;
}

const MAX_MARKDOWN_ROWS = 200;

export function renderDiffMarkdown(report: DiffReport): string {
  const { added, removed, changed } = counts(report.changes);
  const cell = (text: string) => `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
  // What the change opens first: that is what a reviewer must decide on.
  const ordered = [...report.changes].sort((a, b) => Number(openedClosed(b).opened !== '') - Number(openedClosed(a).opened !== ''));
  const lines = [
    `## Connectivity changes: ${added} added, ${removed} removed, ${changed} changed`,
    '',
    `Compared ${cell(report.base)} with ${cell(report.head)}.`,
    '',
  ];
  if (ordered.length === 0) return `${[...lines, 'No connection opened or closed.'].join('\n')}\n`;
  lines.push('| Change | Source | Destination | Opens | Closes |', '|---|---|---|---|---|');
  for (const change of ordered.slice(0, MAX_MARKDOWN_ROWS)) {
    const { opened, closed } = openedClosed(change);
    lines.push(`| ${change.kind} | ${cell(change.source)} | ${cell(change.destination)} | ${opened ? cell(opened) : ''} | ${closed ? cell(closed) : ''} |`);
  }
  if (ordered.length > MAX_MARKDOWN_ROWS) lines.push('', `_…and ${ordered.length - MAX_MARKDOWN_ROWS} more; see the JSON report._`);
  return `${lines.join('\n')}\n`;
}

const RULES = [
  { id: 'NETPOL-CONNECTION-OPENED', text: 'The change allows connections that were denied before' },
  { id: 'NETPOL-CONNECTION-CLOSED', text: 'The change denies connections that were allowed before' },
] as const;

export function renderDiffSarif(report: DiffReport): string {
  const results = report.changes.flatMap((change) => {
    const { opened, closed } = openedClosed(change);
    const name = `${change.source} => ${change.destination}`;
    const result = (ruleIndex: 0 | 1, connections: string) => ({
      ruleId: RULES[ruleIndex].id,
      ruleIndex,
      level: ruleIndex === 0 ? 'warning' : 'note',
      message: { text: `${name}: ${ruleIndex === 0 ? 'opens' : 'closes'} ${connections} (was: ${change.before}; now: ${change.after})` },
      locations: [{ logicalLocations: [{ name, kind: 'connection' }] }],
      partialFingerprints: { 'kubeharden-netpol/v1': `${RULES[ruleIndex].id}|${name}|${connections}` },
    });
    return [...(opened ? [result(0, opened)] : []), ...(closed ? [result(1, closed)] : [])];
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, version: TOOL_VERSION, rules: RULES.map((rule) => ({ id: rule.id, shortDescription: { text: rule.text } })) } },
        properties: { base: report.base, head: report.head },
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
