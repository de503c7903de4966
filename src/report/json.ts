import { verdict, type Report } from './report.js';

/** The JSON report in pieces, so a report with hundreds of thousands of findings is never one huge string. */
export function* renderJsonChunks(report: Report, findingsPerChunk = 500): Generator<string> {
  const { tool, findings, errors, ...head } = report;
  // The verdict right after the tool: the one field a reader needs first.
  const headText = JSON.stringify({ tool, verdict: verdict(report), ...head }, null, 2);
  // Reopen the head object and continue it with the two arrays, formatted exactly as JSON.stringify would.
  yield `${headText.slice(0, -2)},\n  "findings": `;
  yield* arrayChunks(findings, findingsPerChunk);
  yield ',\n  "errors": ';
  yield* arrayChunks(errors, findingsPerChunk);
  yield '\n}\n';
}

function* arrayChunks(items: readonly unknown[], perChunk: number): Generator<string> {
  if (items.length === 0) {
    yield '[]';
    return;
  }
  for (let start = 0; start < items.length; start += perChunk) {
    const parts = items.slice(start, start + perChunk).map((item) => `    ${JSON.stringify(item, null, 2).replace(/\n/g, '\n    ')}`);
    yield `${start === 0 ? '[\n' : ',\n'}${parts.join(',\n')}`;
  }
  yield '\n  ]';
}

export function renderJson(report: Report): string {
  return [...renderJsonChunks(report)].join('');
}
