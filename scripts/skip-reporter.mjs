// A node:test reporter that writes one JSON line per skipped test or suite: { file, name, reason }.
// scripts/run-tests.mjs runs it beside the spec reporter and lists the skips after the run, so that a test that
// did not run (no Go, no Chromium, no test API server, no ../shared) is never mistaken for one that passed.
import { relative } from 'node:path';

export default async function* skipReporter(source) {
  /** Per file, the names of the tests being run at each nesting level, to name a skipped test with its suites. */
  const running = new Map();
  for await (const event of source) {
    const { data } = event;
    const file = data.file ?? '';
    if (event.type === 'test:start') {
      const stack = running.get(file) ?? [];
      stack.length = data.nesting;
      stack.push(data.name);
      running.set(file, stack);
    } else if ((event.type === 'test:pass' || event.type === 'test:fail') && data.skip !== undefined && data.skip !== false) {
      const suites = (running.get(file) ?? []).slice(0, data.nesting);
      yield `${JSON.stringify({
        file: file === '' ? '' : relative(process.cwd(), file),
        name: [...suites, data.name].join(' › '),
        reason: typeof data.skip === 'string' && data.skip.trim() !== '' ? data.skip : null,
      })}\n`;
    }
  }
}
