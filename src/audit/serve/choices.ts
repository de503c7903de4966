/**
 * The settings of `audit serve` the command line offers as defaults and choices. Apart from the server so that
 * `src/cli/main.ts` can name them without loading the server (and node:https) at start-up.
 */
export const DEFAULT_QUEUE_CAPACITY = 10_000;
export const HTTP_SHAPES = ['json', 'text'] as const;
export type HttpShape = (typeof HTTP_SHAPES)[number];
/** Seconds between saves of the rules' memory with --state-file: a crash forgets at most this much of a burst. */
export const DEFAULT_STATE_INTERVAL_SECONDS = 10;
