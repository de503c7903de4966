/**
 * The settings of `audit serve` the command line offers as defaults and choices. Apart from the server so that
 * `src/cli/main.ts` can name them without loading the server (and node:https) at start-up.
 */
export const DEFAULT_QUEUE_CAPACITY = 10_000;
export const HTTP_SHAPES = ['json', 'text'] as const;
export type HttpShape = (typeof HTTP_SHAPES)[number];
