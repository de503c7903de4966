/** A unified diff (`diff -u`, three lines of context) between two texts, in the form `patch -p0` and `git apply` read. */
export function unifiedDiff(oldName: string, newName: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const script = editScript(a, b);
  const hunks: string[] = [];
  let index = 0;
  while (index < script.length) {
    while (index < script.length && script[index]?.kind === ' ') index++;
    if (index >= script.length) break;
    let start = Math.max(0, index - context);
    let end = index;
    // Extend over changes closer together than twice the context.
    for (let gap = 0; end < script.length && gap <= 2 * context; end++) gap = script[end]?.kind === ' ' ? gap + 1 : 0;
    end = Math.min(script.length, end - Math.max(0, countTrailingSame(script, end) - context));
    const slice = script.slice(start, end);
    const oldStart = (script[start]?.oldLine ?? 0) + 1;
    const newStart = (script[start]?.newLine ?? 0) + 1;
    const oldCount = slice.filter((line) => line.kind !== '+').length;
    const newCount = slice.filter((line) => line.kind !== '-').length;
    hunks.push(`@@ -${oldCount === 0 ? oldStart - 1 : oldStart},${oldCount} +${newCount === 0 ? newStart - 1 : newStart},${newCount} @@\n`);
    for (const line of slice) hunks.push(`${line.kind}${line.text}${line.text.endsWith('\n') ? '' : '\n\\ No newline at end of file\n'}`);
    index = end;
    start = end;
  }
  return `--- ${oldName}\n+++ ${newName}\n${hunks.join('')}`;
}

interface ScriptLine {
  readonly kind: ' ' | '-' | '+';
  readonly text: string;
  /** 0-based line in the old and new text where this line sits (or would). */
  readonly oldLine: number;
  readonly newLine: number;
}

function countTrailingSame(script: readonly ScriptLine[], end: number): number {
  let count = 0;
  for (let at = end - 1; at >= 0 && script[at]?.kind === ' '; at--) count++;
  return count;
}

/** Lines with their line breaks kept, so CRLF and a missing final newline show as they are. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Myers' O(ND) shortest edit script: fixes change few lines, so D stays small even in large files. */
function editScript(a: readonly string[], b: readonly string[]): ScriptLine[] {
  const max = a.length + b.length;
  const offset = max + 1;
  const trace: Int32Array[] = [];
  let v = new Int32Array(2 * max + 3);
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0)) ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < a.length && y < b.length && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= a.length && y >= b.length) {
        found = true;
        break;
      }
    }
  }
  trace.push(v);
  // Walk back through the trace.
  const lines: ScriptLine[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 2; d >= 0; d--) {
    const previous = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (previous[offset + k - 1] ?? 0) < (previous[offset + k + 1] ?? 0));
    const previousK = down ? k + 1 : k - 1;
    const previousX = previous[offset + previousK] ?? 0;
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      x--;
      y--;
      lines.push({ kind: ' ', text: a[x] as string, oldLine: x, newLine: y });
    }
    if (d === 0) break;
    if (down) {
      y--;
      lines.push({ kind: '+', text: b[y] as string, oldLine: x, newLine: y });
    } else {
      x--;
      lines.push({ kind: '-', text: a[x] as string, oldLine: x, newLine: y });
    }
  }
  return lines.reverse();
}
