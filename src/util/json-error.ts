/**
 * What JSON.parse found wrong, without the text it quotes: V8 cites the start of the input (`"mysql -pS3cret..." is
 * not valid JSON`), and the input can hold anything, credentials included. Where it was is for the caller to say
 * (line and column); the position V8 appends is dropped with the quote.
 */
export function jsonParseProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/,\s*(?:\.\.\.)?"[\s\S]*"(?:\.\.\.)?\s+is not valid JSON$/, '')
    .replace(/\s+in JSON at position \d+(?:\s*\(line \d+ column \d+\))?/, '')
    .slice(0, 200);
}
