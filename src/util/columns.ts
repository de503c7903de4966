import { terminalText } from '../report/terminal-text.js';

/**
 * Rows of cells as aligned lines: each column as wide as its widest cell, two spaces between, no trailing blanks.
 * Cells are neutralised first (see terminal-text.ts), so a cell stays one line and its width is what is shown.
 */
export function alignColumns(cells: readonly (readonly string[])[], indent = ''): string[] {
  const rows = cells.map((row) => row.map((cell) => terminalText(cell)));
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows.map((row) => `${indent}${row.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ')}`.trimEnd());
}
