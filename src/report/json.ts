import { findingsOf, verdict, type Report } from './report.js';

/**
 * MAJOR.MINOR of the JSON report's shape (docs/schemas/kubeharden-report.schema.json, docs/json-format.md): MINOR
 * grows when a field is added, MAJOR when one is removed, renamed or changes meaning.
 */
export const JSON_REPORT_SCHEMA_VERSION = '1.1';

/** The JSON report in pieces, so a report with millions of findings is never one huge string nor one array. */
export function* renderJsonChunks(report: Report, findingsPerChunk = 500): Generator<string> {
  // Every key but the two lists, read without touching `findings` (which would read every finding at once); the
  // verdict right after the tool: the one field a reader needs first. The schema version before anything, so a
  // reader can decide how to read the rest.
  const head: Record<string, unknown> = { schemaVersion: JSON_REPORT_SCHEMA_VERSION, tool: report.tool, verdict: verdict(report) };
  for (const key of Object.keys(report)) if (key !== 'findings' && key !== 'errors') head[key] = (report as unknown as Record<string, unknown>)[key];
  const headText = JSON.stringify(head, null, 2);
  // Reopen the head object and continue it with the two arrays, formatted exactly as JSON.stringify would.
  yield `${headText.slice(0, -2)},\n  "findings": `;
  yield* arrayChunks(findingsOf(report), findingsPerChunk);
  yield ',\n  "errors": ';
  yield* arrayChunks(report.errors, findingsPerChunk);
  yield '\n}\n';
}

function* arrayChunks(items: Iterable<unknown>, perChunk: number): Generator<string> {
  let parts: string[] = [];
  let first = true;
  for (const item of items) {
    parts.push(`    ${JSON.stringify(item, null, 2).replace(/\n/g, '\n    ')}`);
    if (parts.length === perChunk) {
      yield `${first ? '[\n' : ',\n'}${parts.join(',\n')}`;
      first = false;
      parts = [];
    }
  }
  if (parts.length > 0) {
    yield `${first ? '[\n' : ',\n'}${parts.join(',\n')}`;
    first = false;
  }
  yield first ? '[]' : '\n  ]';
}

export function renderJson(report: Report): string {
  return [...renderJsonChunks(report)].join('');
}
