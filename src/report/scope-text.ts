import type { Report } from './report.js';

/** What a report looked at, in words: manifests, a cluster's objects, audit events or audit policies. */
export function scopeText(report: Report): string {
  const { summary, target } = report;
  const count = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;
  switch (target?.kind) {
    case 'audit-log':
      return `Read ${count(summary.resources, 'audit event')} in ${count(summary.inputs, 'log')}`;
    case 'audit-policy':
      return `Checked ${count(summary.resources, 'audit policy', 'audit policies')} in ${count(summary.inputs, 'file')}`;
    case 'netpol-flows':
      return `Judged ${count(summary.resources, 'flow and allow rule', 'flows and allow rules')} from ${count(summary.inputs, 'input')}`;
    case 'cluster':
      return `Scanned ${count(summary.resources, 'resource')} (${summary.podTemplates} with pod templates) from ${count(summary.inputs, 'list request')}`;
    default:
      return `Scanned ${count(summary.resources, 'resource')} (${summary.podTemplates} with pod templates) in ${count(summary.inputs, 'input')}`;
  }
}
