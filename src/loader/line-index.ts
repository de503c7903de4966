/** Offset → 1-based line and column, built on first use: most documents never need a position. */
export class LineIndex {
  private starts: Uint32Array | undefined;

  /**
   * @param firstLine line and column of the text's first character, for a text cut out of a file (one document
   *   of a stream read part by part)
   */
  constructor(
    private readonly text: string,
    private readonly firstLine = 1,
    private readonly firstColumn = 1,
  ) {}

  position(offset: number): { line: number; column: number } {
    const starts = (this.starts ??= this.buildStarts());
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + this.firstLine, column: offset - (starts[low] as number) + (low === 0 ? this.firstColumn : 1) };
  }

  /** Line starts in a typed array: a 100 MB List has millions of lines, 4 bytes each instead of a JS array's 8+. */
  private buildStarts(): Uint32Array {
    let count = 1;
    for (let index = this.text.indexOf('\n'); index !== -1; index = this.text.indexOf('\n', index + 1)) count++;
    const starts = new Uint32Array(count);
    let line = 1;
    for (let index = this.text.indexOf('\n'); index !== -1; index = this.text.indexOf('\n', index + 1)) starts[line++] = index + 1;
    return starts;
  }
}
